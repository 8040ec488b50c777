import { LABOR_REL_TYPES, TIMED_REL_TYPES } from '../model/graph-model';
import { antichainKey, constrain, startAntichain, touches, type Antichain, type Interval } from './interval';
import { componentsOf } from './scc';
import type { Hop, TaintGraph, TaintRow } from './taint-graph';

/**
 * Counting, numbering and drawing the paths of TRACE-SEMANTICS.md without listing them.
 *
 * A path read backwards from the traced item X is: bill-of-materials hops down to the item Y where its prefix
 * ends, then the prefix: a production hop (direct) or a sourcing hop and company chain (possible), subcontract
 * hops, and a labor segment. So
 *   paths(Y) = prefixes(Y) + Σ over Y's distinct children c of paths(c)        (the BOM is acyclic)
 * and prefixes are counted by walking subcontract and supply hops back from Y while carrying the antichain of
 * achievable interval intersections, memoized where the walk enters a new strongly connected component.
 * All counts are exact BigInts. Paths are numbered in a fixed order (children and hops by id, a node's own
 * prefixes before its children's), and path k is found by descending with the counts: no path before it is built.
 */

export type PathKind = 'direct' | 'possible';

export interface Counts {
  /** Distinct node sequences with a time-consistent choice of parallel rows. */
  all: bigint;
  /** Those with such a choice that uses no rebutted labor row. */
  open: bigint;
}

export interface ItemCounts {
  direct: Counts;
  possible: Counts;
}

export interface TracedPath {
  /** Node ids from the source to the traced item. */
  nodes: string[];
  /** The hop between nodes[i] and nodes[i+1], with the parallel rows that fit a time-consistent choice. */
  hops: { hop: Hop; rows: TaintRow[] }[];
  rebutted: boolean;
}

export interface Subgraph {
  nodes: string[];
  rows: TaintRow[];
}

interface Segment {
  /** Source first: [worker], [agency] or [worker, agency]. */
  nodes: string[];
  /** In path order. */
  hops: Hop[];
  timed: Hop;
  openIntervals: Interval[];
  /** Whether every row of the recruitment hop ([worker, agency] segments) is rebutted. */
  recruitmentRebutted: boolean;
}

interface Partial {
  nodes: string[];
  hops: Hop[];
}

const ZERO: Counts = { all: 0n, open: 0n };
const add = (a: Counts, b: Counts): Counts => ({ all: a.all + b.all, open: a.open + b.open });

/**
 * Counting simple paths through a cycle is exponential in the cycle's size (a #P-hard problem in general); real
 * subcontracting and supply cycles are small. When one is not, the engine stops and says so rather than hold the
 * process: it never answers with an inexact count.
 */
export class TraceTooComplexError extends Error {
  constructor(readonly steps: number) {
    super(`tracing needs more than ${steps} steps: the subcontracting or supply graph has a large cycle, and exact `
      + 'counting of simple paths through it is exponential; split the cycle in the data or raise LABORTRACE_TRACE_MAX_STEPS');
  }
}

export const DEFAULT_MAX_STEPS = Number(process.env.LABORTRACE_TRACE_MAX_STEPS ?? 5_000_000);

export interface TraceOptions {
  /** Latest day the goods could have been made (days since epoch); null: no bound. */
  asOf: number | null;
  /** Work budget per call (counts, pathAt, subgraph): chain and company computations that miss the memo. */
  maxSteps?: number;
  /** Nodes treated as absent (impact analysis counts paths through a node as all minus those avoiding it). */
  excluded?: ReadonlySet<string>;
}

export class TraceEngine {
  private readonly start: Antichain;
  private readonly excluded: ReadonlySet<string>;
  private readonly segments = new Map<string, Segment[]>();
  private readonly chainMemo = new Map<string, Counts>();
  private readonly companyMemo = new Map<string, Counts>();
  private readonly itemMemo = new Map<string, ItemCounts>();
  private factoryComponents?: Map<string, number>;
  private companyComponents?: Map<string, number>;
  private readonly maxSteps: number;
  private steps = 0;

  constructor(private readonly graph: TaintGraph, options: TraceOptions) {
    this.start = startAntichain(options.asOf);
    this.excluded = options.excluded ?? new Set();
    this.maxSteps = options.maxSteps ?? DEFAULT_MAX_STEPS;
  }

  private tick(): void {
    if (++this.steps > this.maxSteps) throw new TraceTooComplexError(this.maxSteps);
  }

  /** Each public call gets the whole budget. */
  budget(): void {
    this.steps = 0;
  }

  /** Every hop's ends are in the graph (the loaders add both); only excluded nodes are absent. */
  private present(id: string): boolean {
    return this.excluded.size === 0 || !this.excluded.has(id);
  }

  // ---- labor segments -------------------------------------------------------------------------------------

  private segmentsAt(factory: string): Segment[] {
    let list = this.segments.get(factory);
    if (list) return list;
    list = [];
    for (const hop of this.graph.into(factory, 'EMPLOYED_AT')) {
      if (this.present(hop.source) && this.graph.node(hop.source)!.source) list.push(segment([hop.source], [hop], hop));
    }
    for (const supply of this.graph.into(factory, 'SUPPLIES_LABOR_TO')) {
      const agency = supply.source;
      if (!this.present(agency)) continue;
      if (this.graph.node(agency)!.source) list.push(segment([agency], [supply], supply));
      for (const recruit of this.graph.into(agency, 'RECRUITED_BY')) {
        if (this.present(recruit.source) && this.graph.node(recruit.source)!.source) {
          list.push(segment([recruit.source, agency], [recruit, supply], supply, recruit));
        }
      }
    }
    list.sort((a, b) => compareIdLists(a.nodes, b.nodes));
    this.segments.set(factory, list);
    return list;
  }

  private segmentCounts(factory: string, chain: Antichain): Counts {
    let all = 0n;
    let open = 0n;
    for (const s of this.segmentsAt(factory)) {
      if (!touches(chain, s.timed.intervals)) continue;
      all++;
      if (!s.recruitmentRebutted && touches(chain, s.openIntervals)) open++;
    }
    return { all, open };
  }

  // ---- subcontract chains: prefixes ending at a factory -----------------------------------------------------

  private factoryComponent(id: string): number {
    this.factoryComponents ??= componentsOf(
      [...this.graph.nodes.values()].filter((n) => n.kind === 'Factory').map((n) => n.id),
      (id) => this.graph.outOf(id, 'SUBCONTRACTOR_OF').map((h) => h.target),
    );
    return this.factoryComponents.get(id) ?? -1;
  }

  private companyComponent(id: string): number {
    this.companyComponents ??= componentsOf(
      [...this.graph.nodes.values()].filter((n) => n.kind === 'Company').map((n) => n.id),
      (id) => this.graph.outOf(id, 'SUPPLIES').map((h) => h.target),
    );
    return this.companyComponents.get(id) ?? -1;
  }

  /**
   * Labor segment + subcontract hops ending at `factory`, simple (not through `visited`), consistent with `chain`.
   * `entry`: the walk just entered this factory's component, so the count depends on (factory, chain) alone.
   */
  chainCount(factory: string, chain: Antichain, visited: Set<string>, entry: boolean): Counts {
    const key = entry ? `${factory}\u0000${antichainKey(chain)}` : undefined;
    if (key !== undefined) {
      const memo = this.chainMemo.get(key);
      if (memo) return memo;
    }
    this.tick();
    let total = this.segmentCounts(factory, chain);
    for (const step of this.subcontractSteps(factory, chain, visited)) {
      total = add(total, within(visited, step.sub, () => this.chainCount(step.sub, step.next, visited, step.entry)));
    }
    if (key !== undefined) this.chainMemo.set(key, total);
    return total;
  }

  /** The subcontract steps back from a factory: subcontractors not yet on the walk whose rows fit the chain. */
  *subcontractSteps(factory: string, chain: Antichain, visited: Set<string>): Generator<{ hop: Hop; sub: string; next: Antichain; entry: boolean }> {
    for (const hop of this.graph.into(factory, 'SUBCONTRACTOR_OF')) {
      const sub = hop.source;
      if (visited.has(sub) || !this.present(sub)) continue;
      const next = constrain(chain, hop.intervals);
      if (next.length === 0) continue;
      yield { hop, sub, next, entry: this.factoryComponent(sub) !== this.factoryComponent(factory) };
    }
  }

  private chainAt(factory: string, chain: Antichain, visited: Set<string>, index: bigint): Partial {
    const valid = this.segmentsAt(factory).filter((s) => touches(chain, s.timed.intervals));
    if (index < BigInt(valid.length)) {
      const s = valid[Number(index)];
      return { nodes: [...s.nodes, factory], hops: [...s.hops] };
    }
    const [step, offset] = locate(
      this.subcontractSteps(factory, chain, visited),
      (st) => within(visited, st.sub, () => this.chainCount(st.sub, st.next, visited, st.entry).all),
      index - BigInt(valid.length),
    );
    const inner = within(visited, step.sub, () => this.chainAt(step.sub, step.next, visited, offset));
    return { nodes: [...inner.nodes, factory], hops: [...inner.hops, step.hop] };
  }

  // ---- company chains: possible prefixes ending at a company ------------------------------------------------

  companyCount(company: string, visited: Set<string>, entry: boolean): Counts {
    if (entry) {
      const memo = this.companyMemo.get(company);
      if (memo) return memo;
    }
    this.tick();
    let total = ZERO;
    for (const op of this.operatedFactories(company)) total = add(total, this.chainCount(op.target, this.start, new Set([op.target]), true));
    for (const step of this.supplierSteps(company, visited)) {
      total = add(total, within(visited, step.supplier, () => this.companyCount(step.supplier, visited, step.entry)));
    }
    if (entry) this.companyMemo.set(company, total);
    return total;
  }

  operatedFactories(company: string): Hop[] {
    return this.graph.outOf(company, 'OPERATES').filter((op) => this.present(op.target));
  }

  /** The supply steps back from a company: its suppliers not yet on the walk. */
  *supplierSteps(company: string, visited: Set<string>): Generator<{ hop: Hop; supplier: string; entry: boolean }> {
    for (const hop of this.graph.into(company, 'SUPPLIES')) {
      const supplier = hop.source;
      if (visited.has(supplier) || !this.present(supplier)) continue;
      yield { hop, supplier, entry: this.companyComponent(supplier) !== this.companyComponent(company) };
    }
  }

  private companyAt(company: string, visited: Set<string>, index: bigint): Partial {
    const operated = this.operatedFactories(company);
    const own = operated.reduce((n, op) => n + this.chainCount(op.target, this.start, new Set([op.target]), true).all, 0n);
    if (index < own) {
      const [op, offset] = locate(operated, (o) => this.chainCount(o.target, this.start, new Set([o.target]), true).all, index);
      const inner = this.chainAt(op.target, this.start, new Set([op.target]), offset);
      return { nodes: [...inner.nodes, company], hops: [...inner.hops, op] };
    }
    const [step, offset] = locate(
      this.supplierSteps(company, visited),
      (st) => within(visited, st.supplier, () => this.companyCount(st.supplier, visited, st.entry).all),
      index - own,
    );
    const inner = within(visited, step.supplier, () => this.companyAt(step.supplier, visited, offset));
    return { nodes: [...inner.nodes, company], hops: [...inner.hops, step.hop] };
  }

  // ---- prefixes ending at an item ----------------------------------------------------------------------------

  /** Where prefixes end at an item: production hops with their antichains (direct), or sourcing hops (possible). */
  private *prefixStarts(item: string, kind: PathKind): Generator<{ hop: Hop; count: () => Counts; at: (i: bigint) => Partial }> {
    if (kind === 'direct') {
      for (const hop of this.graph.into(item, 'PRODUCED')) {
        const f = hop.source;
        if (!this.present(f)) continue;
        const chain = constrain(this.start, hop.intervals);
        if (chain.length === 0) continue;
        yield { hop, count: () => this.chainCount(f, chain, new Set([f]), true), at: (i) => this.chainAt(f, chain, new Set([f]), i) };
      }
    } else {
      for (const hop of this.graph.into(item, 'SOURCED_FROM')) {
        const c = hop.source;
        if (!this.present(c)) continue;
        yield { hop, count: () => this.companyCount(c, new Set([c]), true), at: (i) => this.companyAt(c, new Set([c]), i) };
      }
    }
  }

  /** The hot loop of screening, so written out rather than through prefixStarts' closures. */
  prefixCounts(item: string, kind: PathKind): Counts {
    let total = ZERO;
    if (kind === 'direct') {
      for (const hop of this.graph.into(item, 'PRODUCED')) {
        if (!this.present(hop.source)) continue;
        const chain = constrain(this.start, hop.intervals);
        if (chain.length > 0) total = add(total, this.chainCount(hop.source, chain, new Set([hop.source]), true));
      }
    } else {
      for (const hop of this.graph.into(item, 'SOURCED_FROM')) {
        if (this.present(hop.source)) total = add(total, this.companyCount(hop.source, new Set([hop.source]), true));
      }
    }
    return total;
  }

  private prefixAt(item: string, kind: PathKind, index: bigint): Partial {
    const [start, offset] = locate(this.prefixStarts(item, kind), (st) => st.count().all, index);
    const inner = start.at(offset);
    return { nodes: [...inner.nodes, item], hops: [...inner.hops, start.hop] };
  }

  // ---- items: the bill of materials --------------------------------------------------------------------------

  /** Distinct children first, so that deep bills of materials are counted bottom-up without deep recursion. */
  counts(item: string): ItemCounts {
    const memo = this.itemMemo.get(item);
    if (memo) return memo;
    this.budget();
    const stack: { id: string; expanded: boolean }[] = [{ id: item, expanded: false }];
    while (stack.length > 0) {
      const top = stack[stack.length - 1];
      if (this.itemMemo.has(top.id)) {
        stack.pop();
        continue;
      }
      const children = this.presentChildren(top.id);
      if (!top.expanded) {
        top.expanded = true;
        for (const h of children) if (!this.itemMemo.has(h.source)) stack.push({ id: h.source, expanded: false });
        continue;
      }
      stack.pop();
      // accumulated in locals: this runs once per item of the catalogue when screening
      let { all: da, open: dop } = this.present(top.id) ? this.prefixCounts(top.id, 'direct') : ZERO;
      let { all: pa, open: pop } = this.present(top.id) ? this.prefixCounts(top.id, 'possible') : ZERO;
      for (const h of children) {
        const c = this.itemMemo.get(h.source)!;
        da += c.direct.all;
        dop += c.direct.open;
        pa += c.possible.all;
        pop += c.possible.open;
      }
      const direct = { all: da, open: dop };
      const possible = { all: pa, open: pop };
      this.itemMemo.set(top.id, { direct, possible });
    }
    return this.itemMemo.get(item)!;
  }

  private presentChildren(item: string): readonly Hop[] {
    if (this.excluded.size === 0) return this.graph.into(item, 'COMPONENT_OF');
    if (!this.present(item)) return [];
    return this.graph.into(item, 'COMPONENT_OF').filter((h) => this.present(h.source));
  }

  /** Path number `index` (0-based) in the fixed order, or a RangeError past the end. */
  pathAt(item: string, kind: PathKind, index: bigint): TracedPath {
    if (index < 0n || index >= this.counts(item)[kind].all) throw new RangeError(`no path ${index}`);
    this.budget();
    const up: Hop[] = [];
    let current = item;
    let rest = index;
    for (;;) {
      const own = this.prefixCounts(current, kind).all;
      if (rest < own) break;
      const [child, offset] = locate(this.presentChildren(current), (h) => this.counts(h.source)[kind].all, rest - own);
      up.push(child);
      current = child.source;
      rest = offset;
    }
    const prefix = this.prefixAt(current, kind, rest);
    const hops = [...prefix.hops, ...up.reverse()];
    const nodes = [...prefix.nodes, ...up.map((h) => h.target)];
    return this.describe(nodes, hops);
  }

  /** Which parallel rows of each hop fit a time-consistent choice, and whether one avoids rebutted labor rows. */
  private describe(nodes: string[], hops: Hop[]): TracedPath {
    const timed = hops.map((h) => TIMED_REL_TYPES.has(h.type));
    const before: Antichain[] = [];
    let acc: Antichain = this.start;
    for (let i = 0; i < hops.length; i++) {
      before.push(acc);
      if (timed[i]) acc = constrain(acc, hops[i].intervals);
    }
    const after: Antichain[] = new Array(hops.length);
    let back: Antichain = startAntichain(null);
    for (let i = hops.length - 1; i >= 0; i--) {
      after[i] = back;
      if (timed[i]) back = constrain(back, hops[i].intervals);
    }
    const described = hops.map((hop, i) => {
      if (!timed[i]) return { hop, rows: hop.rows };
      const around = constrain(before[i], after[i]);
      return { hop, rows: hop.rows.filter((r) => touches(around, [r.interval])) };
    });
    let open: Antichain = this.start;
    let openOk = true;
    for (const hop of hops) {
      const rows = LABOR_REL_TYPES.has(hop.type) ? hop.rows.filter((r) => !r.rebutted) : hop.rows;
      if (rows.length === 0) openOk = false;
      if (TIMED_REL_TYPES.has(hop.type)) open = constrain(open, rows.map((r) => r.interval));
    }
    return { nodes, hops: described, rebutted: !(openOk && open.length > 0) };
  }

  // ---- subgraphs: unions of the nodes and rows of valid paths -------------------------------------------------

  /** The union of all valid paths to `item` (of the given kinds). */
  subgraph(item: string, kinds: readonly PathKind[] = ['direct', 'possible']): Subgraph {
    this.budget();
    const m = new SubgraphMarker(this, kinds);
    const total = (id: string) => kinds.reduce((s, k) => s + this.counts(id)[k].all, 0n);
    const seen = new Set<string>([item]);
    const queue = [item];
    while (queue.length > 0) {
      const id = queue.pop()!;
      if (total(id) === 0n) continue;
      m.nodes.add(id);
      m.markPrefixes(id, null);
      for (const h of this.presentChildren(id)) {
        if (total(h.source) === 0n) continue;
        m.markRows(h.rows);
        if (!seen.has(h.source)) {
          seen.add(h.source);
          queue.push(h.source);
        }
      }
    }
    return m.result();
  }

  /**
   * The union of the valid paths to products that pass through `node` (impact analysis). `without` is an engine
   * over the same graph with `node` excluded: a walk still lacking `node` continues only where the counts differ.
   */
  subgraphThrough(node: string, without: TraceEngine, kinds: readonly PathKind[] = ['direct', 'possible']): Subgraph {
    this.budget();
    without.budget();
    const m = new SubgraphMarker(this, kinds, { node, without });
    const toProduct = new Map<string, boolean>();
    const reachesProduct = (id: string): boolean => {
      let r = toProduct.get(id);
      if (r === undefined) {
        toProduct.set(id, false); // the bill of materials is acyclic; this only guards malformed input
        r = this.graph.node(id)?.kind === 'Product' || this.graph.outOf(id, 'COMPONENT_OF').some((h) => reachesProduct(h.target));
        toProduct.set(id, r);
      }
      return r;
    };
    const starts: string[] = [];
    if (this.graph.node(node)?.kind === 'Product' || this.graph.node(node)?.kind === 'Component') {
      if (!reachesProduct(node)) return m.result();
      const below = this.subgraph(node, kinds);
      if (below.nodes.length === 0) return m.result();
      below.nodes.forEach((n) => m.nodes.add(n));
      m.markRows(below.rows);
      starts.push(node);
    } else {
      for (const n of this.graph.nodes.values()) {
        if ((n.kind !== 'Product' && n.kind !== 'Component') || !reachesProduct(n.id)) continue;
        if (m.markPrefixes(n.id, false)) {
          m.nodes.add(n.id);
          starts.push(n.id);
        }
      }
    }
    const climbed = new Set(starts);
    while (starts.length > 0) {
      const id = starts.pop()!;
      for (const h of this.graph.outOf(id, 'COMPONENT_OF')) {
        if (!this.present(h.target) || !reachesProduct(h.target)) continue;
        m.markRows(h.rows);
        m.nodes.add(h.target);
        if (!climbed.has(h.target)) {
          climbed.add(h.target);
          starts.push(h.target);
        }
      }
    }
    return m.result();
  }

  /** @internal for SubgraphMarker */
  walk() {
    return {
      graph: this.graph,
      start: this.start,
      present: (id: string) => this.present(id),
      segmentsAt: (f: string) => this.segmentsAt(f),
    };
  }
}

/**
 * Marks the nodes and rows of valid prefixes, pruning every walk with the counts so that nothing is listed path by
 * path. With `through`, only prefixes containing that node count: `has` says whether the walk (from the item back
 * towards the sources) has passed it; until it has, a step is taken only where the counts with and without the
 * node differ.
 */
class SubgraphMarker {
  readonly nodes = new Set<string>();
  private readonly rows = new Map<string, TaintRow>();
  private readonly markedChains = new Set<string>();
  private readonly markedCompanies = new Set<string>();
  private readonly w: ReturnType<TraceEngine['walk']>;

  constructor(
    private readonly engine: TraceEngine,
    private readonly kinds: readonly PathKind[],
    private readonly through?: { node: string; without: TraceEngine },
  ) {
    this.w = engine.walk();
  }

  markRows(list: readonly TaintRow[]): void {
    for (const r of list) this.rows.set(r.key, r);
  }

  result(): Subgraph {
    return { nodes: [...this.nodes].sort(), rows: [...this.rows.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)) };
  }

  /** Whether a walk can be completed (into a prefix containing the `through` node, when there is one). */
  private alive(has: boolean, full: () => Counts, without: (e: TraceEngine) => Counts): boolean {
    const all = full().all;
    if (all === 0n) return false;
    if (!this.through || has) return true;
    return all - without(this.through.without).all > 0n;
  }

  private is(id: string): boolean {
    return this.through?.node === id;
  }

  private chainAlive(factory: string, chain: Antichain, visited: Set<string>, entry: boolean, has: boolean): boolean {
    return this.alive(has, () => this.engine.chainCount(factory, chain, visited, entry), (e) => e.chainCount(factory, chain, visited, entry));
  }

  /** Marks the prefixes ending at an item; `has` null: no `through` filter. Returns whether any was marked. */
  markPrefixes(item: string, has: boolean | null): boolean {
    const h = has ?? true;
    let any = false;
    const { graph, start, present } = this.w;
    if (this.kinds.includes('direct')) {
      for (const hop of graph.into(item, 'PRODUCED')) {
        const f = hop.source;
        if (!present(f)) continue;
        const chain = constrain(start, hop.intervals);
        const hf = h || this.is(f);
        if (chain.length === 0 || !this.chainAlive(f, chain, new Set([f]), true, hf)) continue;
        this.markRows(hop.rows.filter((r) => {
          const one = constrain(start, [r.interval]);
          return one.length > 0 && this.chainAlive(f, one, new Set([f]), true, hf);
        }));
        this.markChain(f, chain, new Set([f]), true, hf);
        any = true;
      }
    }
    if (this.kinds.includes('possible')) {
      for (const hop of graph.into(item, 'SOURCED_FROM')) {
        const c = hop.source;
        if (!present(c)) continue;
        const hc = h || this.is(c);
        if (!this.companyAlive(c, new Set([c]), true, hc)) continue;
        this.markRows(hop.rows);
        this.markCompany(c, new Set([c]), true, hc);
        any = true;
      }
    }
    return any;
  }

  private companyAlive(company: string, visited: Set<string>, entry: boolean, has: boolean): boolean {
    return this.alive(has, () => this.engine.companyCount(company, visited, entry), (e) => e.companyCount(company, visited, entry));
  }

  private markChain(factory: string, chain: Antichain, visited: Set<string>, entry: boolean, has: boolean): void {
    if (entry) {
      const key = `${factory}\u0000${antichainKey(chain)}\u0000${has}`;
      if (this.markedChains.has(key)) return;
      this.markedChains.add(key);
    }
    this.nodes.add(factory);
    for (const s of this.w.segmentsAt(factory)) {
      if (!touches(chain, s.timed.intervals)) continue;
      if (!has && !s.nodes.some((n) => this.is(n))) continue;
      s.nodes.forEach((n) => this.nodes.add(n));
      for (const h of s.hops) this.markRows(h === s.timed ? h.rows.filter((r) => touches(chain, [r.interval])) : h.rows);
    }
    for (const { hop, sub, next, entry: e } of this.engine.subcontractSteps(factory, chain, visited)) {
      const hs = has || this.is(sub);
      within(visited, sub, () => {
        if (!this.chainAlive(sub, next, visited, e, hs)) return;
        this.markRows(hop.rows.filter((r) => {
          const one = constrain(chain, [r.interval]);
          return one.length > 0 && this.chainAlive(sub, one, visited, e, hs);
        }));
        this.markChain(sub, next, visited, e, hs);
      });
    }
  }

  private markCompany(company: string, visited: Set<string>, entry: boolean, has: boolean): void {
    if (entry) {
      const key = `${company}\u0000${has}`;
      if (this.markedCompanies.has(key)) return;
      this.markedCompanies.add(key);
    }
    this.nodes.add(company);
    for (const op of this.engine.operatedFactories(company)) {
      const f = op.target;
      const hf = has || this.is(f);
      if (!this.chainAlive(f, this.w.start, new Set([f]), true, hf)) continue;
      this.markRows(op.rows);
      this.markChain(f, this.w.start, new Set([f]), true, hf);
    }
    for (const { hop, supplier, entry: e } of this.engine.supplierSteps(company, visited)) {
      const hs = has || this.is(supplier);
      within(visited, supplier, () => {
        if (!this.companyAlive(supplier, visited, e, hs)) return;
        this.markRows(hop.rows);
        this.markCompany(supplier, visited, e, hs);
      });
    }
  }
}

/** Candidates laid end to end by size: the one whose range holds `index`, and the offset into it. */
function locate<T>(candidates: Iterable<T>, size: (c: T) => bigint, index: bigint): [T, bigint] {
  let rest = index;
  for (const c of candidates) {
    const n = size(c);
    if (rest < n) return [c, rest];
    rest -= n;
  }
  throw new RangeError('path index past the end');
}

/** Runs `work` with `id` on the walk (a simple path visits each node once). */
function within<T>(visited: Set<string>, id: string, work: () => T): T {
  visited.add(id);
  try {
    return work();
  } finally {
    visited.delete(id);
  }
}

function segment(nodes: string[], hops: Hop[], timed: Hop, recruitment?: Hop): Segment {
  return {
    nodes, hops, timed,
    openIntervals: timed.rows.filter((r) => !r.rebutted).map((r) => r.interval),
    recruitmentRebutted: recruitment !== undefined && recruitment.rows.every((r) => r.rebutted),
  };
}

function compareIdLists(a: string[], b: string[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1;
  }
  return a.length - b.length;
}

export function exposureOf(c: ItemCounts): 'DIRECT' | 'POSSIBLE' | 'NONE' {
  return c.direct.all > 0n ? 'DIRECT' : c.possible.all > 0n ? 'POSSIBLE' : 'NONE';
}

