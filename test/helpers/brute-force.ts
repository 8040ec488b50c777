import type { RelType } from '../../src/model/graph-model';
import type { GenDataset, GenRow } from './random-dataset';

/**
 * The simplest reading of TRACE-SEMANTICS.md, written independently of the engine: list every simple path of the
 * right shape from every source, then keep those with a time-consistent choice of parallel rows (every combination
 * tried). Exponential, so only for small graphs.
 */
export interface BrutePath {
  key: string;
  nodes: string[];
  /** the first node: the source that starts the path */
  source: string;
  /** the factory where the labor segment ends */
  site: string;
  /** every time-consistent choice uses a labor row rebutted for the path's last node (the traced item) */
  rebutted: boolean;
  /** rows that belong to at least one time-consistent choice */
  rows: Set<string>;
}

const TIMED = new Set<RelType>(['EMPLOYED_AT', 'RECRUITED_BY', 'DISPATCHES_TO', 'SUPPLIES_LABOR_TO', 'SUBCONTRACTOR_OF', 'PRODUCED', 'SUPPLIES', 'SOURCED_FROM']);
const LABOR = new Set<RelType>(['EMPLOYED_AT', 'RECRUITED_BY', 'DISPATCHES_TO', 'SUPPLIES_LABOR_TO']);

/**
 * Where a path may go next, by the state it is in (the shape of TRACE-SEMANTICS.md, "Paths"):
 *   worker  -L1-> site | -L2-> agency;   agency -L4-> agency | -L3-> site;   site/factory -S-> factory
 *   factory -P-> item (direct) | -C1-> company;   company -C2-> company | -C3-> item (possible);   item -B-> item
 */
type State = 'worker' | 'agency' | 'factory' | 'company' | 'direct' | 'possible';
const MOVES: Record<State, { type: RelType; to: State }[]> = {
  worker: [{ type: 'EMPLOYED_AT', to: 'factory' }, { type: 'RECRUITED_BY', to: 'agency' }],
  agency: [{ type: 'DISPATCHES_TO', to: 'agency' }, { type: 'SUPPLIES_LABOR_TO', to: 'factory' }],
  factory: [{ type: 'SUBCONTRACTOR_OF', to: 'factory' }, { type: 'PRODUCED', to: 'direct' }, { type: 'OPERATES', to: 'company' }],
  company: [{ type: 'SUPPLIES', to: 'company' }, { type: 'SOURCED_FROM', to: 'possible' }],
  direct: [{ type: 'COMPONENT_OF', to: 'direct' }],
  possible: [{ type: 'COMPONENT_OF', to: 'possible' }],
};

export function bruteForce(d: GenDataset, asOf: string | null): { direct: BrutePath[]; possible: BrutePath[] } {
  // the rows of one hop, taken in the taint direction (OPERATES is stored company -> factory, taint goes factory -> company)
  const from = (r: GenRow) => (r.type === 'OPERATES' ? r.target : r.source);
  const to = (r: GenRow) => (r.type === 'OPERATES' ? r.source : r.target);
  // Rebuttal: a labor row is rebutted for a path ending at item X when it has an accepted rebuttal without scope (the
  // CSV column, `rebutted`) or one whose items include X.
  const scopes = new Map<string, Set<string>>();
  for (const s of d.scopedRebuttals ?? []) scopes.set(s.rowKey, new Set([...(scopes.get(s.rowKey) ?? []), ...s.itemIds]));
  const rebuttedFor = (r: GenRow, item: string) => LABOR.has(r.type) && (r.rebutted || (scopes.get(r.key)?.has(item) ?? false));
  const rowsOf = (type: RelType, a: string, b: string) => d.rows.filter((r) => r.type === type && from(r) === a && to(r) === b);
  const nextOf = (type: RelType, a: string) => [...new Set(d.rows.filter((r) => r.type === type && from(r) === a).map(to))];

  const starts: { id: string; state: State }[] = [
    ...d.workers.filter((w) => w.nationality === 'KP').map((w) => ({ id: w.id, state: 'worker' as State })),
    ...d.agencies.filter((a) => a.dprkLinked || a.country === 'KP').map((a) => ({ id: a.id, state: 'agency' as State })),
    ...d.factories.filter((f) => f.country === 'KP').map((f) => ({ id: f.id, state: 'factory' as State })),
  ];

  type Shape = { nodes: string[]; types: RelType[]; site: string };
  const shapes: { direct: Shape[]; possible: Shape[] } = { direct: [], possible: [] };
  const walk = (nodes: string[], types: RelType[], state: State, site: string | null) => {
    if (state === 'direct' || state === 'possible') shapes[state].push({ nodes, types, site: site! });
    const last = nodes[nodes.length - 1];
    for (const move of MOVES[state]) {
      for (const next of nextOf(move.type, last)) {
        if (nodes.includes(next)) continue; // simple paths only
        // the labor segment ends at the first factory reached
        const nextSite = site ?? (move.to === 'factory' ? next : null);
        walk([...nodes, next], [...types, move.type], move.to, nextSite);
      }
    }
  };
  for (const s of starts) walk([s.id], [], s.state, s.state === 'factory' ? s.id : null);

  const judge = (list: Shape[]): BrutePath[] => {
    const out: BrutePath[] = [];
    for (const s of list) {
      const options = s.types.map((t, i) => rowsOf(t, s.nodes[i], s.nodes[i + 1]));
      let valid = false;
      let open = false;
      const rows = new Set<string>();
      forEachChoice(options, (choice) => {
        if (!consistent(choice, asOf, s.site)) return;
        valid = true;
        choice.forEach((r) => rows.add(r.key));
        if (choice.every((r) => !rebuttedFor(r, s.nodes[s.nodes.length - 1]))) open = true;
      });
      if (valid) out.push({ key: s.nodes.join('>'), nodes: s.nodes, source: s.nodes[0], site: s.site, rebutted: !open, rows });
    }
    return out;
  };
  return { direct: judge(shapes.direct), possible: judge(shapes.possible) };
}

function forEachChoice(options: GenRow[][], visit: (choice: GenRow[]) => void, at = 0, acc: GenRow[] = []): void {
  if (at === options.length) {
    visit(acc);
    return;
  }
  for (const r of options[at]) forEachChoice(options, visit, at + 1, [...acc, r]);
}

/**
 * A choice fits when every recruitment row's placement (if any) is the path's site, and the intervals of its timed
 * rows have a non-empty intersection I with start(I) <= asOf. Resolved ISO days compare as strings; null bounds are open.
 */
function consistent(choice: GenRow[], asOf: string | null, site: string): boolean {
  let start: string | null = null;
  let end: string | null = null;
  for (const r of choice) {
    if (r.type === 'RECRUITED_BY' && r.placement !== null && r.placement !== site) return false;
    if (!TIMED.has(r.type)) continue;
    if (r.from !== null && (start === null || r.from > start)) start = r.from;
    if (r.to !== null && (end === null || r.to < end)) end = r.to;
  }
  if (start !== null && end !== null && start > end) return false;
  if (asOf !== null && start !== null && start > asOf) return false;
  return true;
}
