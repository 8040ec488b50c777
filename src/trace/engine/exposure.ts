import { constrain, startAntichain, antichainKey, touches, type Antichain } from './interval';
import { placedRows, type TaintGraph } from './taint-graph';

export type Exposure = 'DIRECT' | 'POSSIBLE' | 'NONE';

/**
 * Exposure as a reachability question, answered for any graph however large its cycles (API-CORE.md: exposure is
 * always exact, even where counting is too complex). A walk back from the item carries the antichain of interval
 * intersections, as counting does, but visits each (node, antichain) state once instead of keeping paths simple:
 * a time-consistent walk of the right shape can always be shortened to a simple path (cutting out a loop leaves
 * fewer intervals to meet, the same start and the same site), so a walk exists exactly when a path does.
 * Linear in the number of states; pure.
 */
export function reachableExposure(graph: TaintGraph, item: string, asOf: number | null): Exposure {
  const start = startAntichain(asOf);
  const items = bomBelow(graph, item);
  const starts = (type: 'PRODUCED' | 'SOURCED_FROM') => items.flatMap((i) => graph.into(i, type).flatMap((hop) => {
    const chain = constrain(start, hop.intervals);
    return chain.length > 0 ? [{ node: hop.source, chain }] : [];
  }));
  if (new Walk(graph).reaches(starts('PRODUCED').map((s) => ({ kind: 'factory' as const, ...s })))) return 'DIRECT';
  if (new Walk(graph).reaches(starts('SOURCED_FROM').map((s) => ({ kind: 'company' as const, ...s })))) return 'POSSIBLE';
  return 'NONE';
}

/** The item and every item in its bill of materials. */
function bomBelow(graph: TaintGraph, item: string): string[] {
  const seen = new Set([item]);
  const stack = [item];
  while (stack.length > 0) {
    for (const h of graph.into(stack.pop()!, 'COMPONENT_OF')) {
      if (!seen.has(h.source)) {
        seen.add(h.source);
        stack.push(h.source);
      }
    }
  }
  return [...seen];
}

type State =
  | { kind: 'factory'; node: string; chain: Antichain }
  | { kind: 'company'; node: string; chain: Antichain }
  /** an agency on a labor segment that ends at `site` (placements depend on it) */
  | { kind: 'agency'; node: string; site: string; chain: Antichain };

class Walk {
  private readonly seen = new Set<string>();
  private readonly queue: State[] = [];

  constructor(private readonly graph: TaintGraph) {}

  private push(s: State): void {
    if (s.chain.length === 0) return;
    const key = `${s.kind}\u0000${s.node}\u0000${s.kind === 'agency' ? s.site : ''}\u0000${antichainKey(s.chain)}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.queue.push(s);
  }

  private source(id: string): boolean {
    return this.graph.node(id)?.source ?? false;
  }

  /** Whether a source is reached from any of the states. */
  reaches(initial: State[]): boolean {
    initial.forEach((s) => this.push(s));
    while (this.queue.length > 0) {
      const s = this.queue.pop()!;
      const g = this.graph;
      if (s.kind === 'company') {
        for (const op of g.outOf(s.node, 'OPERATES')) this.push({ kind: 'factory', node: op.target, chain: s.chain });
        for (const h of g.into(s.node, 'SUPPLIES')) this.push({ kind: 'company', node: h.source, chain: constrain(s.chain, h.intervals) });
      } else if (s.kind === 'factory') {
        if (this.source(s.node)) return true;
        for (const h of g.into(s.node, 'EMPLOYED_AT')) if (this.source(h.source) && touches(s.chain, h.intervals)) return true;
        for (const h of g.into(s.node, 'SUPPLIES_LABOR_TO')) {
          this.push({ kind: 'agency', node: h.source, site: s.node, chain: constrain(s.chain, h.intervals) });
        }
        for (const h of g.into(s.node, 'SUBCONTRACTOR_OF')) this.push({ kind: 'factory', node: h.source, chain: constrain(s.chain, h.intervals) });
      } else {
        if (this.source(s.node)) return true;
        for (const h of g.into(s.node, 'RECRUITED_BY')) {
          if (this.source(h.source) && touches(s.chain, placedRows(h, s.site).map((r) => r.interval))) return true;
        }
        for (const h of g.into(s.node, 'DISPATCHES_TO')) {
          this.push({ kind: 'agency', node: h.source, site: s.site, chain: constrain(s.chain, h.intervals) });
        }
      }
    }
    return false;
  }
}
