import type { RelType } from '../../src/model/graph-model';
import type { GenDataset, GenRow } from './random-dataset';

/**
 * The simplest reading of TRACE-SEMANTICS.md, written independently of the engine: list every simple path of the
 * right shape from every source, then keep those with a time-consistent choice of parallel rows (tried one by one).
 * Exponential, so only for small graphs.
 */
export interface BrutePath {
  key: string;
  nodes: string[];
  rebutted: boolean;
  /** rows that belong to at least one time-consistent choice */
  rows: Set<string>;
}

const TIMED = new Set<RelType>(['EMPLOYED_AT', 'SUPPLIES_LABOR_TO', 'SUBCONTRACTOR_OF', 'PRODUCED']);
const LABOR = new Set<RelType>(['EMPLOYED_AT', 'RECRUITED_BY', 'SUPPLIES_LABOR_TO']);

interface Step {
  type: RelType;
  /** stored endpoints of the rows for this hop */
  source: string;
  target: string;
}

export function bruteForce(d: GenDataset, asOf: string | null): { direct: BrutePath[]; possible: BrutePath[] } {
  const rowsOf = (type: RelType, source: string, target: string) =>
    d.rows.filter((r) => r.type === type && r.source === source && r.target === target);
  const pairs = (type: RelType) => {
    const seen = new Map<string, [string, string]>();
    for (const r of d.rows) if (r.type === type) seen.set(`${r.source}>${r.target}`, [r.source, r.target]);
    return [...seen.values()];
  };
  const kp = new Set(d.workers.filter((w) => w.nationality === 'KP').map((w) => w.id));
  const dprkAgency = new Set(d.agencies.filter((a) => a.dprkLinked || a.country === 'KP').map((a) => a.id));

  type Partial = { nodes: string[]; steps: Step[] };
  const labor: Partial[] = [];
  for (const [w, f] of pairs('EMPLOYED_AT')) if (kp.has(w)) labor.push({ nodes: [w, f], steps: [{ type: 'EMPLOYED_AT', source: w, target: f }] });
  for (const [a, f] of pairs('SUPPLIES_LABOR_TO')) {
    if (dprkAgency.has(a)) labor.push({ nodes: [a, f], steps: [{ type: 'SUPPLIES_LABOR_TO', source: a, target: f }] });
    for (const [w, a2] of pairs('RECRUITED_BY')) {
      if (a2 === a && kp.has(w)) {
        labor.push({ nodes: [w, a, f], steps: [{ type: 'RECRUITED_BY', source: w, target: a }, { type: 'SUPPLIES_LABOR_TO', source: a, target: f }] });
      }
    }
  }
  const withSubcontracts: Partial[] = [];
  const extendS = (p: Partial) => {
    withSubcontracts.push(p);
    const last = p.nodes[p.nodes.length - 1];
    for (const [sub, principal] of pairs('SUBCONTRACTOR_OF')) {
      if (sub === last && !p.nodes.includes(principal)) {
        extendS({ nodes: [...p.nodes, principal], steps: [...p.steps, { type: 'SUBCONTRACTOR_OF', source: sub, target: principal }] });
      }
    }
  };
  labor.forEach(extendS);

  const climbs = (p: Partial, out: Partial[]) => {
    out.push(p);
    const last = p.nodes[p.nodes.length - 1];
    for (const [child, parent] of pairs('COMPONENT_OF')) {
      if (child === last && !p.nodes.includes(parent)) climbs({ nodes: [...p.nodes, parent], steps: [...p.steps, { type: 'COMPONENT_OF', source: child, target: parent }] }, out);
    }
  };

  const directShapes: Partial[] = [];
  for (const p of withSubcontracts) {
    const f = p.nodes[p.nodes.length - 1];
    for (const [f2, item] of pairs('PRODUCED')) {
      if (f2 === f) climbs({ nodes: [...p.nodes, item], steps: [...p.steps, { type: 'PRODUCED', source: f, target: item }] }, directShapes);
    }
  }
  const possibleShapes: Partial[] = [];
  const companyWalk = (p: Partial) => {
    const c = p.nodes[p.nodes.length - 1];
    for (const [c2, item] of pairs('SOURCED_FROM')) {
      if (c2 === c) climbs({ nodes: [...p.nodes, item], steps: [...p.steps, { type: 'SOURCED_FROM', source: c, target: item }] }, possibleShapes);
    }
    for (const [supplier, customer] of pairs('SUPPLIES')) {
      if (supplier === c && !p.nodes.includes(customer)) {
        companyWalk({ nodes: [...p.nodes, customer], steps: [...p.steps, { type: 'SUPPLIES', source: supplier, target: customer }] });
      }
    }
  };
  for (const p of withSubcontracts) {
    const f = p.nodes[p.nodes.length - 1];
    for (const [company, f2] of pairs('OPERATES')) {
      if (f2 === f) companyWalk({ nodes: [...p.nodes, company], steps: [...p.steps, { type: 'OPERATES', source: company, target: f }] });
    }
  }

  const judge = (shapes: Partial[]): BrutePath[] => {
    const out: BrutePath[] = [];
    for (const s of shapes) {
      const options = s.steps.map((st) => rowsOf(st.type, st.source, st.target));
      let valid = false;
      let open = false;
      const rows = new Set<string>();
      forEachChoice(options, (choice) => {
        if (!consistent(choice, asOf)) return;
        valid = true;
        choice.forEach((r) => rows.add(r.key));
        if (choice.every((r) => !(LABOR.has(r.type) && r.rebutted))) open = true;
      });
      if (valid) out.push({ key: s.nodes.join('>'), nodes: s.nodes, rebutted: !open, rows });
    }
    return out;
  };
  return { direct: judge(directShapes), possible: judge(possibleShapes) };
}

function forEachChoice(options: GenRow[][], visit: (choice: GenRow[]) => void, at = 0, acc: GenRow[] = []): void {
  if (at === options.length) {
    visit(acc);
    return;
  }
  for (const r of options[at]) forEachChoice(options, visit, at + 1, [...acc, r]);
}

/** ISO dates compare as strings; null bounds are open. */
function consistent(choice: GenRow[], asOf: string | null): boolean {
  let start: string | null = null;
  let end: string | null = null;
  for (const r of choice) {
    if (!TIMED.has(r.type)) continue;
    if (r.from !== null && (start === null || r.from > start)) start = r.from;
    if (r.to !== null && (end === null || r.to < end)) end = r.to;
  }
  if (start !== null && end !== null && start > end) return false;
  if (asOf !== null && start !== null && start > asOf) return false;
  return true;
}
