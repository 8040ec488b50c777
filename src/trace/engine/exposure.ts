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
export function reachableExposure(graph: TaintGraph, item: string, asOf: number | null, memo: ReachMemo = new ReachMemo(graph)): Exposure {
  memo.current();
  const direct = reachedThroughBom(graph, memo, item, 'PRODUCED', asOf);
  if (direct === null) return bomExposure(graph, memo, item, asOf);
  if (direct) return 'DIRECT';
  const possible = reachedThroughBom(graph, memo, item, 'SOURCED_FROM', asOf);
  if (possible === null) return bomExposure(graph, memo, item, asOf);
  return possible ? 'POSSIBLE' : 'NONE';
}

/** The walk's first states from an item's own production (factories) or sourcing (companies) hops. */
function ownStarts(graph: TaintGraph, item: string, type: 'PRODUCED' | 'SOURCED_FROM', start: Antichain): State[] {
  const kind = type === 'PRODUCED' ? 'factory' as const : 'company' as const;
  return graph.into(item, type).flatMap((hop) => {
    const chain = constrain(start, hop.intervals);
    return chain.length > 0 ? [{ kind, node: hop.source, chain }] : [];
  });
}

/**
 * Whether a walk from the production (or sourcing) hops of the item or of anything in its bill of materials reaches
 * a source: the item's own hops, else any part's answer (bill-of-materials hops carry no time), each item answered
 * once per memo (shared parts are many; a catalogue's bill of materials is deep). Bottom-up without recursion; null
 * on a cycle in the bill of materials, which the validator refuses but a caller may still hand over.
 */
function reachedThroughBom(graph: TaintGraph, memo: ReachMemo, item: string, type: 'PRODUCED' | 'SOURCED_FROM', asOf: number | null): boolean | null {
  const start = startAntichain(asOf);
  const key = (id: string) => `${type}\u0000${asOf ?? ''}\u0000${id}`;
  const stack: { id: string; expanded: boolean }[] = [{ id: item, expanded: false }];
  const open = new Set<string>();
  while (stack.length > 0) {
    const top = stack[stack.length - 1];
    const k = key(top.id);
    if (memo.items.has(k)) {
      stack.pop();
      continue;
    }
    if (!top.expanded) {
      if (open.has(top.id)) return null;
      if (new Walk(graph, memo).reaches(ownStarts(graph, top.id, type, start))) {
        memo.items.set(k, true);
        stack.pop();
        continue;
      }
      top.expanded = true;
      open.add(top.id);
      for (const h of graph.into(top.id, 'COMPONENT_OF')) if (!memo.items.has(key(h.source))) stack.push({ id: h.source, expanded: false });
      continue;
    }
    stack.pop();
    open.delete(top.id);
    memo.items.set(k, graph.into(top.id, 'COMPONENT_OF').some((h) => memo.items.get(key(h.source)) === true));
  }
  return memo.items.get(key(item))!;
}

/** The same question for an item whose bill of materials has a cycle: one walk from every item below it. */
function bomExposure(graph: TaintGraph, memo: ReachMemo, item: string, asOf: number | null): Exposure {
  const start = startAntichain(asOf);
  const items = bomBelow(graph, item);
  const starts = (type: 'PRODUCED' | 'SOURCED_FROM') => items.flatMap((i) => ownStarts(graph, i, type, start));
  if (new Walk(graph, memo).reaches(starts('PRODUCED'))) return 'DIRECT';
  if (new Walk(graph, memo).reaches(starts('SOURCED_FROM'))) return 'POSSIBLE';
  return 'NONE';
}

/**
 * What walks have settled about states, shared by the walks of many items over one graph (a screen): every state of
 * a walk that ended without a source reaches none, and the states on the way to a source found reach one. A
 * state's answer depends on the state alone (node, antichain, site), not on the item or the asOf that led to it, so
 * it holds for every later walk until the graph changes (then it is forgotten). A screen through a supply cycle of
 * 10^4 companies thus walks the cycle about once, not once per product; and each item of a deep, shared bill of
 * materials is answered once, not once per product above it.
 */
export class ReachMemo {
  readonly dead = new Set<string>();
  readonly live = new Set<string>();
  /** Per (hop type, asOf, item): whether a walk from it or its bill of materials reaches a source. */
  readonly items = new Map<string, boolean>();
  /** States queued by the walks so far: their work. */
  walked = 0;
  private version: number;

  constructor(private readonly graph: TaintGraph) {
    this.version = graph.version;
  }

  /** Forgets what was settled on an earlier version of the graph. */
  current(): void {
    if (this.graph.version === this.version) return;
    this.dead.clear();
    this.live.clear();
    this.items.clear();
    this.version = this.graph.version;
  }
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
  /** The states this walk has queued, each with the state it was reached from (null for a start). */
  private readonly from = new Map<string, string | null>();
  private readonly queue: { s: State; key: string }[] = [];

  constructor(private readonly graph: TaintGraph, private readonly memo: ReachMemo) {}

  /** Queues a state reached from `parent`; true when it is known to reach a source (and so does the walk to it). */
  private push(s: State, parent: string | null): boolean {
    if (s.chain.length === 0) return false;
    const key = `${s.kind}\u0000${s.node}\u0000${s.kind === 'agency' ? s.site : ''}\u0000${antichainKey(s.chain)}`;
    if (this.memo.live.has(key)) {
      this.settleLive(parent);
      return true;
    }
    if (this.from.has(key) || this.memo.dead.has(key)) return false;
    this.from.set(key, parent);
    this.queue.push({ s, key });
    this.memo.walked++;
    return false;
  }

  /** A source is reached from `key`: so it is from every state on the walk to it. */
  private settleLive(key: string | null): void {
    for (let k = key; k !== null; k = this.from.get(k) ?? null) this.memo.live.add(k);
  }

  private source(id: string): boolean {
    return this.graph.node(id)?.source ?? false;
  }

  /** Whether a source is reached from any of the states. */
  reaches(initial: State[]): boolean {
    for (const s of initial) if (this.push(s, null)) return true;
    while (this.queue.length > 0) {
      const { s, key } = this.queue.pop()!;
      if (this.expand(s, key)) return true;
    }
    for (const k of this.from.keys()) this.memo.dead.add(k); // exhausted: none of them reaches a source
    return false;
  }

  /** Queues the states after `s`; true when a source is reached (the walk to it then settled live). */
  private expand(s: State, key: string): boolean {
    const g = this.graph;
    const found = () => {
      this.settleLive(key);
      return true;
    };
    if (s.kind === 'company') {
      for (const op of g.outOf(s.node, 'OPERATES')) if (this.push({ kind: 'factory', node: op.target, chain: s.chain }, key)) return true;
      for (const h of g.into(s.node, 'SUPPLIES')) if (this.push({ kind: 'company', node: h.source, chain: constrain(s.chain, h.intervals) }, key)) return true;
    } else if (s.kind === 'factory') {
      if (this.source(s.node)) return found();
      for (const h of g.into(s.node, 'EMPLOYED_AT')) if (this.source(h.source) && touches(s.chain, h.intervals)) return found();
      for (const h of g.into(s.node, 'SUPPLIES_LABOR_TO')) {
        if (this.push({ kind: 'agency', node: h.source, site: s.node, chain: constrain(s.chain, h.intervals) }, key)) return true;
      }
      for (const h of g.into(s.node, 'SUBCONTRACTOR_OF')) if (this.push({ kind: 'factory', node: h.source, chain: constrain(s.chain, h.intervals) }, key)) return true;
    } else {
      if (this.source(s.node)) return found();
      for (const h of g.into(s.node, 'RECRUITED_BY')) {
        if (this.source(h.source) && touches(s.chain, placedRows(h, s.site).map((r) => r.interval))) return found();
      }
      for (const h of g.into(s.node, 'DISPATCHES_TO')) {
        if (this.push({ kind: 'agency', node: h.source, site: s.site, chain: constrain(s.chain, h.intervals) }, key)) return true;
      }
    }
    return false;
  }
}
