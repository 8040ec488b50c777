import { LABOR_REL_TYPES, REL_TYPES, TIMED_REL_TYPES, type RelType } from '../../model/graph-model';
import { antichainKey, constrain, startAntichain, touches, type Antichain, type Interval } from './interval';
import { traceMaxStepsSetting } from '../../config';
import { componentsOf } from './scc';
import { cmp, placedRows, rebuttedAt, type GraphChanges, type Hop, type TaintGraph, type TaintRow } from './taint-graph';

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
 *
 * Rebuttals scoped to items: a labor row may be rebutted only for paths ending at some items. Which paths exist (the
 * `all` counts, numbering, subgraphs) never depends on rebuttals; the `open` counts of the paths ending at X do, and
 * they are counted, when some rebuttal names X, by an engine scoped to X (options.rebuttalItem) with its own memo.
 * It recomputes only what can see a row rebutted for X: the nodes downstream of those rows (affectedBy); for every
 * other node it asks the unscoped engine, whose memo it shares. Items no scoped rebuttal names, and graphs without
 * any, take the unscoped engine's path unchanged.
 *
 * Keeping the memo across patches. Every memoized count belongs to one node N (a segment or chain count to a factory,
 * an agency count to an agency, a company count to a company, an item count to an item) and is a function of the part
 * of the graph upstream of N alone: the rows into N (a company: the OPERATES rows out of it) and, recursively, the
 * counts of their far ends, plus the source status of the nodes met. (A memo entry is only made where the walk enters
 * a strongly connected component, where the nodes already walked cannot be met again: so the value does not depend
 * on the walk.) When the graph is patched, the journal (TaintGraph.changesSince) names the nodes that read something
 * that changed (a removed row's taint end included, so what was downstream of it only through removed rows is found
 * from there too). An entry can change only if its node is downstream of one of them, and that is decided in two
 * parts:
 *  - eagerly, on the engine's next call, for the walk from those nodes along every hop but the bill of materials
 *    (downstreamOf, without COMPONENT_OF: labor, subcontracting, operators, supply, and the production and sourcing
 *    hops into the first items): small, as the labor and supply network is; the segment, agency, chain and company
 *    entries of those nodes are dropped, and the item entries met are marked stale;
 *  - lazily, for the bill of materials, whose upward closure is large (one component is in thousands of products):
 *    an item's entry records the version it was last found valid at and the version its value last changed at; it is
 *    valid if it is not stale and its children's entries are valid and have not changed since (verify). So a trace
 *    checks its item's bill of materials (not the whole catalogue above the change), and a recount that finds the
 *    value it had leaves the items above it valid.
 * The memos scoped to items hold few item entries: theirs are dropped whenever anything changed. Scoped memos also
 * compute what their rebuttals affect again when next asked. The components follow the patch in place
 * (updateComponents): only the components around the ends of hops created or dropped are computed again.
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
  /** Factories where the labor segment of a marked path ends. */
  sites: string[];
}

interface Partial {
  nodes: string[];
  hops: Hop[];
}

/**
 * The antichain of a walk through a labor segment, twice: over every row, and over the rows no evidence rebuts.
 * `open` is the same array as `all` until a rebutted row is met, so the common case costs one antichain.
 */
interface Pair {
  all: Antichain;
  open: Antichain;
}

const ZERO: Counts = { all: 0n, open: 0n };
const ONE: Counts = { all: 1n, open: 1n };
const NONE_OPEN: Counts = { all: 1n, open: 0n };
const add = (a: Counts, b: Counts): Counts => ({ all: a.all + b.all, open: a.open + b.open });
const pairKey = (p: Pair) => `${antichainKey(p.all)}|${p.open === p.all ? '=' : antichainKey(p.open)}`;

/** The walk past one more timed labor hop (rows chosen from `rows`/`intervals`), or null when no row fits. */
function stepPair(p: Pair, intervals: readonly Interval[], openIntervals: readonly Interval[]): Pair | null {
  const all = constrain(p.all, intervals);
  if (all.length === 0) return null;
  if (p.open.length === 0) return { all, open: p.open };
  if (p.open === p.all && openIntervals === intervals) return { all, open: all };
  return { all, open: constrain(p.open, openIntervals) };
}

/** The walk past one more labor hop choosing from `rows`, open rows being those not rebutted for `item`. */
function stepRows(p: Pair, rows: readonly TaintRow[], item: string | null): Pair | null {
  return stepPair(p, rows.map((r) => r.interval), rows.filter((r) => !rebuttedAt(r, item)).map((r) => r.interval));
}

const leaf = (p: Pair): Counts => (p.open.length > 0 ? ONE : NONE_OPEN);

/**
 * Counting simple paths through a cycle is exponential in the cycle's size (a #P-hard problem in general); real
 * subcontracting and supply cycles are small. When one is not, the engine stops and says so rather than hold the
 * process: it never answers with an inexact count.
 */
export class TraceTooComplexError extends Error {
  constructor(readonly steps: number) {
    super(`tracing needs more than ${steps} steps: the subcontracting, dispatch or supply graph has a large cycle, and exact `
      + 'counting of simple paths through it is exponential; split the cycle in the data or raise LABORTRACE_TRACE_MAX_STEPS');
  }
}

/** The default work budget of one request (LABORTRACE_TRACE_MAX_STEPS, validated at start-up by loadConfig). */
export const DEFAULT_MAX_STEPS = 5_000_000;

/**
 * The work one request may do: chain, agency and company computations that miss the memo. One budget is made per
 * request and every engine call of that request draws on it (a screen of every product, an impact's two engines,
 * the paths and subgraphs a query asks for afterwards), so no request can get round it by asking for many items.
 */
export class WorkBudget {
  private used = 0;

  /**
   * `maxSteps` for everything drawing on this budget; `itemSteps` for each item counted through forItem() (API-CORE:
   * an item whose counting exceeds it is TOO_COMPLEX, and the other items of the request are not affected).
   */
  constructor(
    readonly maxSteps: number = traceMaxStepsSetting(),
    readonly itemSteps: number = maxSteps,
    private readonly parent?: WorkBudget,
  ) {}

  get steps(): number {
    return this.used;
  }

  tick(): void {
    if (++this.used > this.maxSteps) throw new TraceTooComplexError(this.maxSteps);
    this.parent?.tick();
  }

  /** The budget of counting one item: `itemSteps` of its own, each step drawn on this budget too. */
  forItem(): WorkBudget {
    return new WorkBudget(this.itemSteps, this.itemSteps, this);
  }
}

/**
 * A bill of materials that contains a cycle: imports refuse one, but a store may hold one written before that check
 * or by hand. Tracing stops with this error, naming the cycle (parent -> child -> ... -> parent), instead of looping.
 */
export class BomCycleError extends Error {
  constructor(readonly cycle: string[]) {
    super(`bill of materials has a cycle: ${cycle.join(' -> ')}`);
    this.name = 'BomCycleError';
  }
}

export interface TraceOptions {
  /** Latest day the goods could have been made (days since epoch); null: no bound. */
  asOf: number | null;
  /**
   * The budget every call of this engine draws on (see withBudget for one per request); without one, the engine
   * gets its own of `maxSteps` (default LABORTRACE_TRACE_MAX_STEPS) for its whole life.
   */
  budget?: WorkBudget;
  maxSteps?: number;
  /** Nodes treated as absent (impact analysis counts paths through nodes as all minus those avoiding them). */
  excluded?: ReadonlySet<string>;
  /**
   * Counts open paths as paths ending at this item: rows rebutted for it only count as rebutted too. counts() makes
   * such engines itself when an item needs one; one made directly answers counts() of other items as an unscoped one.
   */
  rebuttalItem?: string | null;
}

/** The strongly connected components over one relationship type: a number per node, and the members of the larger ones. */
interface Components {
  readonly of: Map<string, number>;
  /** Members of the components of more than one node (a node without an entry here is alone in its component). */
  readonly members: Map<number, string[]>;
  /** The next unused component number. */
  next: number;
}

/** Components by relationship type, as of graph version `version`; shared by an engine and the engines scoped to items. */
interface ComponentsMemo {
  version: number;
  readonly byType: Map<RelType, Components>;
}

/** Memoized counts of one node, by the rest of their key (antichain, factory and pair, ...). */
type NodeMemo<V> = Map<string, Map<string, V>>;

function memoGet<V>(memo: NodeMemo<V>, node: string, key: string): V | undefined {
  return memo.get(node)?.get(key);
}

function memoSet<V>(memo: NodeMemo<V>, node: string, key: string, value: V): void {
  let inner = memo.get(node);
  if (!inner) memo.set(node, (inner = new Map()));
  inner.set(key, value);
}

/** An item's memoized counts, and what says whether they still hold after patches (see "Keeping the memo"). */
interface ItemEntry {
  counts: ItemCounts;
  /** The last version they were found valid at (computed, or verified). */
  verifiedAt: number;
  /** The version their value last changed at (a recount to the same value keeps it). */
  changedAt: number;
  /** Something the item reads itself (production, sourcing, bill-of-materials rows, their far ends' counts) changed. */
  stale: boolean;
}

const sameCounts = (a: ItemCounts, b: ItemCounts) => a.direct.all === b.direct.all && a.direct.open === b.direct.open
  && a.possible.all === b.possible.all && a.possible.open === b.possible.open;

/**
 * What an engine has computed; shared by the engines withBudget makes, since it depends only on graph and options.
 * Computed on graph version `version`: brought up to date when the graph has changed since (a patched snapshot), by
 * dropping the entries of the nodes the changes can affect (catchUp).
 */
interface EngineMemo {
  version: number;
  /** Keyed by factory, then chain. */
  readonly segment: NodeMemo<Counts>;
  /** Keyed by agency, then factory and pair. */
  readonly agency: NodeMemo<Counts>;
  /** Keyed by factory, then chain. */
  readonly chain: NodeMemo<Counts>;
  /** Keyed by company, then chain. */
  readonly company: NodeMemo<Counts>;
  readonly item: Map<string, ItemEntry>;
  /** Item entries are checked lazily (verify); false for the memos scoped to items, whose item entries are dropped. */
  readonly lazyItems: boolean;
  /** The last version an item entry was marked stale at: an entry found valid since needs no check. */
  itemsStaleAt: number;
  /** Shared with the engines scoped to an item: components do not depend on rebuttals. */
  readonly components: ComponentsMemo;
  /** The memos of the engines scoped to an item, by item. */
  readonly scoped: Map<string, EngineMemo>;
  /** A scoped engine's: the nodes whose counts can differ from the unscoped engine's (affectedBy). */
  affected?: ReadonlySet<string>;
}

function newMemo(version: number, lazyItems: boolean, components: ComponentsMemo = { version, byType: new Map() }): EngineMemo {
  return {
    version, segment: new Map(), agency: new Map(), chain: new Map(), company: new Map(), item: new Map(), lazyItems, itemsStaleAt: -1,
    components, scoped: new Map(),
  };
}

function clearMemo(m: EngineMemo, version: number): void {
  for (const map of [m.segment, m.agency, m.chain, m.company, m.item, m.scoped]) map.clear();
  m.affected = undefined;
  m.itemsStaleAt = -1;
  m.version = version;
}

/**
 * Brings a memo (and the memos scoped to items it holds) to the graph's version: drops the entries of the nodes
 * downstream of what changed, keeps the others (see "Keeping the memo across patches" above); everything when the
 * journal cannot say what changed. `closures` caches the nodes to drop by the version caught up from.
 */
function catchUp(graph: TaintGraph, m: EngineMemo, closures = new Map<number, ReadonlySet<string> | null>()): void {
  if (m.version === graph.version) return;
  let closure = closures.get(m.version);
  if (closure === undefined) {
    const changes = graph.changesSince(m.version);
    closure = changes && downstreamOf(graph, changes.dirty, false);
    closures.set(m.version, closure);
  }
  if (closure === null) {
    clearMemo(m, graph.version);
    return;
  }
  for (const map of [m.segment, m.agency, m.chain, m.company] as Map<string, unknown>[]) forget(map, closure);
  if (closure.size > 0) {
    m.affected = undefined;
    if (!m.lazyItems) m.item.clear();
    else {
      // the items that read a changed row or count themselves; the items above them are checked when asked (verify)
      let any = false;
      const mark = (id: string) => {
        const e = m.item.get(id);
        if (e !== undefined) {
          e.stale = true;
          any = true;
        }
      };
      if (m.item.size < closure.size) {
        for (const id of m.item.keys()) if (closure.has(id)) mark(id);
      } else {
        for (const id of closure) mark(id);
      }
      if (any) m.itemsStaleAt = graph.version;
    }
  }
  for (const scoped of m.scoped.values()) catchUp(graph, scoped, closures);
  m.version = graph.version;
}

/** Deletes the entries of `nodes` from a map keyed by node, walking whichever of the two is smaller. */
function forget(map: Map<string, unknown>, nodes: ReadonlySet<string>): void {
  if (map.size === 0 || nodes.size === 0) return;
  if (map.size < nodes.size) {
    for (const id of map.keys()) if (nodes.has(id)) map.delete(id);
  } else {
    for (const id of nodes) map.delete(id);
  }
}

/** Brings the components to the graph's version: recomputed around the ends of the hops created or dropped since. */
function catchUpComponents(graph: TaintGraph, c: ComponentsMemo): void {
  if (c.version === graph.version) return;
  const changes: GraphChanges | null = c.byType.size === 0 ? null : graph.changesSince(c.version);
  if (changes === null) c.byType.clear();
  else {
    for (const [type, ends] of changes.hopEnds) {
      const components = c.byType.get(type);
      if (components && !updateComponents(graph, components, type, ends)) c.byType.delete(type);
    }
  }
  c.version = graph.version;
}

export class TraceEngine {
  private readonly start: Antichain;
  private readonly excluded: ReadonlySet<string>;
  private readonly segmentMemo: NodeMemo<Counts>;
  private readonly agencyMemo: NodeMemo<Counts>;
  private readonly chainMemo: NodeMemo<Counts>;
  private readonly companyMemo: NodeMemo<Counts>;
  private readonly itemMemo: Map<string, ItemEntry>;
  private readonly components: ComponentsMemo;
  private readonly memo: EngineMemo;
  /** The item whose paths this engine's open counts are for (options.rebuttalItem); null: rows rebutted everywhere only. */
  private readonly scope: string | null;
  /** A scoped engine's unscoped engine (same graph, asOf, exclusions, budget): it answers for unaffected nodes. */
  private readonly base: TraceEngine | undefined;
  /** The budget of the request this engine serves. */
  readonly work: WorkBudget;

  constructor(private readonly graph: TaintGraph, private readonly options: TraceOptions, memo?: EngineMemo, base?: TraceEngine) {
    this.start = startAntichain(options.asOf);
    this.excluded = options.excluded ?? new Set();
    this.work = options.budget ?? new WorkBudget(options.maxSteps ?? traceMaxStepsSetting());
    this.scope = options.rebuttalItem ?? null;
    this.base = this.scope === null ? undefined : base ?? new TraceEngine(graph, { ...options, rebuttalItem: null, budget: this.work });
    this.memo = memo ?? newMemo(graph.version, this.scope === null, this.base?.memo.components);
    this.segmentMemo = this.memo.segment;
    this.agencyMemo = this.memo.agency;
    this.chainMemo = this.memo.chain;
    this.companyMemo = this.memo.company;
    this.itemMemo = this.memo.item;
    this.components = this.memo.components;
  }

  /**
   * The same engine (graph, asOf, exclusions, memoized counts: cheap) drawing on `budget`: a long-lived engine
   * serves each request through one of these. Memo entries are only ever complete results, so a request stopped by
   * its budget leaves nothing half-computed for the next.
   */
  withBudget(budget: WorkBudget): TraceEngine {
    return new TraceEngine(this.graph, { ...this.options, budget }, this.memo, this.base?.withBudget(budget));
  }

  /**
   * Brings the memo to the graph's version when the graph has changed since it was computed, keeping what the changes
   * cannot affect (in place: engines sharing it see that too).
   */
  private fresh(): void {
    catchUp(this.graph, this.memo);
    catchUpComponents(this.graph, this.components);
    this.base?.fresh();
  }

  /** The engine counting open paths ending at `item`, sharing this one's memo for everything else. */
  private scopedTo(item: string): TraceEngine {
    let memo = this.memo.scoped.get(item);
    if (!memo) this.memo.scoped.set(item, (memo = newMemo(this.graph.version, false, this.memo.components)));
    return new TraceEngine(this.graph, { ...this.options, budget: this.work, rebuttalItem: item }, memo, this);
  }

  /** A scoped engine's nodes whose counts can differ from the unscoped engine's. */
  private get affected(): ReadonlySet<string> {
    return (this.memo.affected ??= affectedBy(this.graph, this.scope!));
  }

  /** Whether a scoped engine leaves a node to its unscoped engine: no row rebutted for its item is behind it. */
  private unaffected(id: string): boolean {
    return this.base !== undefined && !this.affected.has(id);
  }

  /** The intervals of a labor hop's open rows, for paths ending at this engine's item. */
  private openOf(hop: Hop): readonly Interval[] {
    return this.scope === null || hop.openFor === null ? hop.openIntervals : hop.openFor.get(this.scope) ?? hop.openIntervals;
  }

  /** A recruitment hop into an agency, for a segment ending at `factory`. */
  private stepRecruitment(p: Pair, hop: Hop, factory: string): Pair | null {
    return hop.placed ? stepRows(p, placedRows(hop, factory), this.scope) : stepPair(p, hop.intervals, this.openOf(hop));
  }

  private tick(): void {
    this.work.tick();
  }

  /**
   * Whether a walk may go through `id`: not excluded, and reached by some source's taint (TaintGraph.taintReachable:
   * a node no source reaches is on no path, so counting never enters the cycles behind it).
   */
  present(id: string): boolean {
    return this.graph.taintReachable(id) && (this.excluded.size === 0 || !this.excluded.has(id));
  }

  private isSource(id: string): boolean {
    return this.graph.node(id)!.source;
  }

  /**
   * Strongly connected components of one kind's nodes (and whatever they reach) over one relationship type, computed
   * once, then kept up to date through patches (catchUpComponents). -1: a node no component was computed for.
   */
  private component(id: string, kind: 'Factory' | 'Company' | 'LaborAgency', type: RelType): number {
    let c = this.components.byType.get(type);
    if (!c) {
      const of = componentsOf(
        [...this.graph.nodes.values()].filter((n) => n.kind === kind).map((n) => n.id),
        (n) => this.graph.outOf(n, type).map((h) => h.target),
      );
      c = { of, members: membersOf(of), next: 0 };
      for (const n of of.values()) if (n >= c.next) c.next = n + 1;
      this.components.byType.set(type, c);
    }
    return c.of.get(id) ?? -1;
  }

  // ---- labor segments: from a source to the factory where the labor was done -------------------------------
  //
  // In numbering order at a factory: the factory itself when it is in the DPRK, employment by worker, then labor
  // supply by agency, each agency's walk being: the agency itself (when it is a source), recruitment by worker,
  // then the agencies dispatching through it.

  /** Labor segments ending at `factory` and consistent with `chain`. They involve no factory, so no `visited`. */
  segmentCounts(factory: string, chain: Antichain): Counts {
    if (this.base !== undefined && this.unaffected(factory)) return this.base.segmentCounts(factory, chain);
    const key = antichainKey(chain);
    const memo = memoGet(this.segmentMemo, factory, key);
    if (memo) return memo;
    const start: Pair = { all: chain, open: chain };
    let total = this.isSource(factory) ? ONE : ZERO;
    for (const { next } of this.employmentSteps(factory, start)) total = add(total, leaf(next));
    for (const { agency, next } of this.supplySteps(factory, start)) {
      total = add(total, this.agencyCount(agency, factory, next, new Set([agency]), true));
    }
    memoSet(this.segmentMemo, factory, key, total);
    return total;
  }

  /** @internal Employment hops into a factory, from source workers, that fit the walk. */
  *employmentSteps(factory: string, p: Pair): Generator<{ hop: Hop; worker: string; next: Pair }> {
    for (const hop of this.graph.into(factory, 'EMPLOYED_AT')) {
      if (!this.present(hop.source) || !this.isSource(hop.source)) continue;
      const next = stepPair(p, hop.intervals, this.openOf(hop));
      if (next) yield { hop, worker: hop.source, next };
    }
  }

  /** @internal The labor supply hops into a factory that fit the walk. */
  *supplySteps(factory: string, p: Pair): Generator<{ hop: Hop; agency: string; next: Pair }> {
    for (const hop of this.graph.into(factory, 'SUPPLIES_LABOR_TO')) {
      if (!this.present(hop.source)) continue;
      const next = stepPair(p, hop.intervals, this.openOf(hop));
      if (next) yield { hop, agency: hop.source, next };
    }
  }

  /** @internal Recruitment hops into an agency, from source workers, that fit a segment ending at `factory`. */
  *recruitSteps(agency: string, factory: string, p: Pair): Generator<{ hop: Hop; worker: string; next: Pair }> {
    for (const hop of this.graph.into(agency, 'RECRUITED_BY')) {
      if (!this.present(hop.source) || !this.isSource(hop.source)) continue;
      const next = this.stepRecruitment(p, hop, factory);
      if (next) yield { hop, worker: hop.source, next };
    }
  }

  /** @internal Dispatch hops into an agency from agencies not yet on the walk. */
  *dispatchSteps(agency: string, p: Pair, visited: Set<string>): Generator<{ hop: Hop; from: string; next: Pair; entry: boolean }> {
    for (const hop of this.graph.into(agency, 'DISPATCHES_TO')) {
      const from = hop.source;
      if (visited.has(from) || !this.present(from)) continue;
      const next = stepPair(p, hop.intervals, this.openOf(hop));
      if (!next) continue;
      yield { hop, from, next, entry: this.component(from, 'LaborAgency', 'DISPATCHES_TO') !== this.component(agency, 'LaborAgency', 'DISPATCHES_TO') };
    }
  }

  /** Segment starts reached back from `agency` (on a walk that ends at `factory`): memoized on entering a component. */
  agencyCount(agency: string, factory: string, p: Pair, visited: Set<string>, entry: boolean): Counts {
    if (this.base !== undefined && this.unaffected(agency)) return this.base.agencyCount(agency, factory, p, visited, entry);
    const key = entry ? `${factory}\u0000${pairKey(p)}` : undefined;
    if (key !== undefined) {
      const memo = memoGet(this.agencyMemo, agency, key);
      if (memo) return memo;
    }
    this.tick();
    let total = this.isSource(agency) ? leaf(p) : ZERO;
    for (const { next } of this.recruitSteps(agency, factory, p)) total = add(total, leaf(next));
    for (const step of this.dispatchSteps(agency, p, visited)) {
      total = add(total, within(visited, step.from, () => this.agencyCount(step.from, factory, step.next, visited, step.entry)));
    }
    if (key !== undefined) memoSet(this.agencyMemo, agency, key, total);
    return total;
  }

  private agencyAt(agency: string, factory: string, p: Pair, visited: Set<string>, index: bigint): Partial {
    let rest = index;
    if (this.isSource(agency)) {
      if (rest === 0n) return { nodes: [agency], hops: [] };
      rest--;
    }
    for (const { hop, worker } of this.recruitSteps(agency, factory, p)) {
      if (rest === 0n) return { nodes: [worker, agency], hops: [hop] };
      rest--;
    }
    const [step, offset] = locate(
      this.dispatchSteps(agency, p, visited),
      (st) => within(visited, st.from, () => this.agencyCount(st.from, factory, st.next, visited, st.entry).all),
      rest,
    );
    const inner = within(visited, step.from, () => this.agencyAt(step.from, factory, step.next, visited, offset));
    return { nodes: [...inner.nodes, agency], hops: [...inner.hops, step.hop] };
  }

  private segmentAt(factory: string, chain: Antichain, index: bigint): Partial {
    const start: Pair = { all: chain, open: chain };
    let rest = index;
    if (this.isSource(factory)) {
      if (rest === 0n) return { nodes: [factory], hops: [] };
      rest--;
    }
    for (const { hop, worker } of this.employmentSteps(factory, start)) {
      if (rest === 0n) return { nodes: [worker, factory], hops: [hop] };
      rest--;
    }
    const [step, offset] = locate(
      this.supplySteps(factory, start),
      (st) => this.agencyCount(st.agency, factory, st.next, new Set([st.agency]), true).all,
      rest,
    );
    const inner = this.agencyAt(step.agency, factory, step.next, new Set([step.agency]), offset);
    return { nodes: [...inner.nodes, factory], hops: [...inner.hops, step.hop] };
  }

  // ---- subcontract chains: prefixes ending at a factory -----------------------------------------------------

  /**
   * Labor segment + subcontract hops ending at `factory`, simple (not through `visited`), consistent with `chain`.
   * `entry`: the walk just entered this factory's component, so the count depends on (factory, chain) alone.
   */
  chainCount(factory: string, chain: Antichain, visited: Set<string>, entry: boolean): Counts {
    if (this.base !== undefined && this.unaffected(factory)) return this.base.chainCount(factory, chain, visited, entry);
    const key = entry ? antichainKey(chain) : undefined;
    if (key !== undefined) {
      const memo = memoGet(this.chainMemo, factory, key);
      if (memo) return memo;
    }
    this.tick();
    let total = this.segmentCounts(factory, chain);
    for (const step of this.subcontractSteps(factory, chain, visited)) {
      total = add(total, within(visited, step.sub, () => this.chainCount(step.sub, step.next, visited, step.entry)));
    }
    if (key !== undefined) memoSet(this.chainMemo, factory, key, total);
    return total;
  }

  /** The subcontract steps back from a factory: subcontractors not yet on the walk whose rows fit the chain. */
  *subcontractSteps(factory: string, chain: Antichain, visited: Set<string>): Generator<{ hop: Hop; sub: string; next: Antichain; entry: boolean }> {
    for (const hop of this.graph.into(factory, 'SUBCONTRACTOR_OF')) {
      const sub = hop.source;
      if (visited.has(sub) || !this.present(sub)) continue;
      const next = constrain(chain, hop.intervals);
      if (next.length === 0) continue;
      yield { hop, sub, next, entry: this.component(sub, 'Factory', 'SUBCONTRACTOR_OF') !== this.component(factory, 'Factory', 'SUBCONTRACTOR_OF') };
    }
  }

  private chainAt(factory: string, chain: Antichain, visited: Set<string>, index: bigint): Partial {
    const own = this.segmentCounts(factory, chain).all;
    if (index < own) return this.segmentAt(factory, chain, index);
    const [step, offset] = locate(
      this.subcontractSteps(factory, chain, visited),
      (st) => within(visited, st.sub, () => this.chainCount(st.sub, st.next, visited, st.entry).all),
      index - own,
    );
    const inner = within(visited, step.sub, () => this.chainAt(step.sub, step.next, visited, offset));
    return { nodes: [...inner.nodes, factory], hops: [...inner.hops, step.hop] };
  }

  // ---- company chains: possible prefixes ending at a company ------------------------------------------------

  /** Possible prefixes ending at `company` (operated factories, then suppliers), consistent with `chain`. */
  companyCount(company: string, chain: Antichain, visited: Set<string>, entry: boolean): Counts {
    if (this.base !== undefined && this.unaffected(company)) return this.base.companyCount(company, chain, visited, entry);
    const key = entry ? antichainKey(chain) : undefined;
    if (key !== undefined) {
      const memo = memoGet(this.companyMemo, company, key);
      if (memo) return memo;
    }
    this.tick();
    let total = ZERO;
    for (const op of this.operatedFactories(company)) total = add(total, this.chainCount(op.target, chain, new Set([op.target]), true));
    for (const step of this.supplierSteps(company, chain, visited)) {
      total = add(total, within(visited, step.supplier, () => this.companyCount(step.supplier, step.next, visited, step.entry)));
    }
    if (key !== undefined) memoSet(this.companyMemo, company, key, total);
    return total;
  }

  operatedFactories(company: string): Hop[] {
    return this.graph.outOf(company, 'OPERATES').filter((op) => this.present(op.target));
  }

  /** The supply steps back from a company: its suppliers not yet on the walk, while the trade fits the chain. */
  *supplierSteps(company: string, chain: Antichain, visited: Set<string>): Generator<{ hop: Hop; supplier: string; next: Antichain; entry: boolean }> {
    for (const hop of this.graph.into(company, 'SUPPLIES')) {
      const supplier = hop.source;
      if (visited.has(supplier) || !this.present(supplier)) continue;
      const next = constrain(chain, hop.intervals);
      if (next.length === 0) continue;
      yield { hop, supplier, next, entry: this.component(supplier, 'Company', 'SUPPLIES') !== this.component(company, 'Company', 'SUPPLIES') };
    }
  }

  private companyAt(company: string, chain: Antichain, visited: Set<string>, index: bigint): Partial {
    const operated = this.operatedFactories(company);
    const own = operated.reduce((n, op) => n + this.chainCount(op.target, chain, new Set([op.target]), true).all, 0n);
    if (index < own) {
      const [op, offset] = locate(operated, (o) => this.chainCount(o.target, chain, new Set([o.target]), true).all, index);
      const inner = this.chainAt(op.target, chain, new Set([op.target]), offset);
      return { nodes: [...inner.nodes, company], hops: [...inner.hops, op] };
    }
    const [step, offset] = locate(
      this.supplierSteps(company, chain, visited),
      (st) => within(visited, st.supplier, () => this.companyCount(st.supplier, st.next, visited, st.entry).all),
      index - own,
    );
    const inner = within(visited, step.supplier, () => this.companyAt(step.supplier, step.next, visited, offset));
    return { nodes: [...inner.nodes, company], hops: [...inner.hops, step.hop] };
  }

  // ---- prefixes ending at an item ----------------------------------------------------------------------------

  /** Where prefixes end at an item: production hops (direct) or sourcing hops (possible), with their antichains. */
  *prefixStarts(item: string, kind: PathKind): Generator<{ hop: Hop; from: string; chain: Antichain }> {
    for (const hop of this.graph.into(item, kind === 'direct' ? 'PRODUCED' : 'SOURCED_FROM')) {
      if (!this.present(hop.source)) continue;
      const chain = constrain(this.start, hop.intervals);
      if (chain.length > 0) yield { hop, from: hop.source, chain };
    }
  }

  private prefixStartCount(kind: PathKind, from: string, chain: Antichain): Counts {
    return kind === 'direct' ? this.chainCount(from, chain, new Set([from]), true) : this.companyCount(from, chain, new Set([from]), true);
  }

  /** The hot loop of screening, so written out rather than through prefixStarts' generator. */
  prefixCounts(item: string, kind: PathKind): Counts {
    let total = ZERO;
    for (const hop of this.graph.into(item, kind === 'direct' ? 'PRODUCED' : 'SOURCED_FROM')) {
      if (!this.present(hop.source)) continue;
      const chain = constrain(this.start, hop.intervals);
      if (chain.length > 0) total = add(total, this.prefixStartCount(kind, hop.source, chain));
    }
    return total;
  }

  private prefixAt(item: string, kind: PathKind, index: bigint): Partial {
    const [start, offset] = locate(this.prefixStarts(item, kind), (st) => this.prefixStartCount(kind, st.from, st.chain).all, index);
    const inner = kind === 'direct'
      ? this.chainAt(start.from, start.chain, new Set([start.from]), offset)
      : this.companyAt(start.from, start.chain, new Set([start.from]), offset);
    return { nodes: [...inner.nodes, item], hops: [...inner.hops, start.hop] };
  }

// ---- items: the bill of materials --------------------------------------------------------------------------

  /**
   * The counts of the paths ending at `item`, their open counts with the rows rebutted for that item (by an engine
   * scoped to it when a rebuttal names it).
   */
  counts(item: string): ItemCounts {
    this.fresh();
    if (this.scope !== null) return item === this.scope ? this.itemCounts(item) : this.base!.counts(item);
    if (this.graph.hasScopedRebuttals(item)) return this.scopedTo(item).itemCounts(item);
    return this.itemCounts(item);
  }

  /**
   * The counts of the paths ending at `item`, open counts judged for this engine's scope (the item the paths are
   * extended to, not necessarily `item`: a building block of its parents' counts); their `all` counts are the same
   * in every engine.
   *
   * Distinct children first, so that deep bills of materials are counted bottom-up without deep recursion. A child
   * that is still being counted further down the walk closes a cycle in the bill of materials: a BomCycleError.
   */
  private itemCounts(item: string): ItemCounts {
    if (this.base !== undefined && this.unaffected(item)) return this.base.itemCounts(item);
    const memo = this.validItem(item);
    if (memo) return memo;
    const stack: { id: string; expanded: boolean }[] = [{ id: item, expanded: false }];
    const open = new Set<string>(); // expanded and not yet counted: the walk from `item` down to the top
    while (stack.length > 0) {
      const top = stack[stack.length - 1];
      if (this.validItem(top.id)) {
        stack.pop();
        continue;
      }
      const children = this.presentChildren(top.id);
      if (!top.expanded) {
        if (open.has(top.id)) {
          const walk = stack.filter((e) => e.expanded).map((e) => e.id);
          throw new BomCycleError([...walk.slice(walk.indexOf(top.id)), top.id]);
        }
        top.expanded = true;
        open.add(top.id);
        for (const h of children) if (!this.counted(h.source)) stack.push({ id: h.source, expanded: false });
        continue;
      }
      stack.pop();
      open.delete(top.id);
      // accumulated in locals: this runs once per item of the catalogue when screening
      let { all: da, open: dop } = this.present(top.id) ? this.prefixCounts(top.id, 'direct') : ZERO;
      let { all: pa, open: pop } = this.present(top.id) ? this.prefixCounts(top.id, 'possible') : ZERO;
      for (const h of children) {
        const c = this.base === undefined ? this.itemMemo.get(h.source)!.counts : this.childCounts(h.source);
        da += c.direct.all;
        dop += c.direct.open;
        pa += c.possible.all;
        pop += c.possible.open;
      }
      const direct = { all: da, open: dop };
      const possible = { all: pa, open: pop };
      this.setItem(top.id, { direct, possible });
    }
    return this.itemMemo.get(item)!.counts;
  }

  /** Whether an item's counts are known: memoized, or (scoped engine) the unscoped engine's to give. */
  private counted(id: string): boolean {
    return this.validItem(id) !== undefined || (this.base !== undefined && this.unaffected(id));
  }

  private childCounts(id: string): ItemCounts {
    return this.unaffected(id) ? this.base!.itemCounts(id) : this.itemMemo.get(id)!.counts;
  }

  /** Memoizes an item's counts; the value has changed now, unless it is the one the entry had (its changedAt stays). */
  private setItem(id: string, counts: ItemCounts): void {
    const version = this.memo.version;
    const old = this.itemMemo.get(id);
    const changedAt = old !== undefined && sameCounts(old.counts, counts) ? old.changedAt : version;
    this.itemMemo.set(id, { counts, verifiedAt: version, changedAt, stale: false });
  }

  /**
   * An item's memoized counts if they still hold (a memo scoped to an item: if it has them), else undefined. An
   * unscoped memo's entry found valid at an older version is checked again (verify).
   */
  private validItem(id: string): ItemCounts | undefined {
    const e = this.itemMemo.get(id);
    if (e === undefined || e.stale) return undefined;
    if (e.verifiedAt === this.memo.version || !this.memo.lazyItems || this.verify(id, e)) return e.counts;
    return undefined;
  }

  /**
   * Whether an item's entry still holds at the memo's version, checking its bill of materials bottom-up: an entry holds
   * when it is not stale (nothing the item reads itself changed) and each child's entry holds and has not changed since
   * it was last found valid. Entries that hold are marked valid at this version, the others stale (their values stay,
   * so that a recount can tell whether it changed). Entries found valid since the last one was marked stale need no
   * check. A cycle in the bill of materials (which counting refuses) leaves its items stale.
   */
  private verify(root: string, rootEntry: ItemEntry): boolean {
    const version = this.memo.version;
    const stack: { id: string; e: ItemEntry; expanded: boolean }[] = [{ id: root, e: rootEntry, expanded: false }];
    const walk = new Set<string>();
    while (stack.length > 0) {
      const top = stack[stack.length - 1];
      const e = top.e;
      if (!top.expanded) {
        if (e.stale || e.verifiedAt === version || walk.has(top.id)) {
          stack.pop();
        } else if (e.verifiedAt >= this.memo.itemsStaleAt) {
          e.verifiedAt = version;
          stack.pop();
        } else {
          top.expanded = true;
          walk.add(top.id);
          for (const h of this.presentChildren(top.id)) {
            const c = this.itemMemo.get(h.source);
            if (c !== undefined && !c.stale && c.verifiedAt !== version && !walk.has(h.source)) stack.push({ id: h.source, e: c, expanded: false });
          }
        }
        continue;
      }
      stack.pop();
      walk.delete(top.id);
      let holds = true;
      for (const h of this.presentChildren(top.id)) {
        const c = this.itemMemo.get(h.source);
        if (c === undefined || c.stale || c.verifiedAt !== version || c.changedAt > e.verifiedAt) {
          holds = false;
          break;
        }
      }
      if (holds) e.verifiedAt = version;
      else e.stale = true;
    }
    return !rootEntry.stale;
  }

  private presentChildren(item: string): readonly Hop[] {
    if (this.excluded.size === 0) return this.graph.into(item, 'COMPONENT_OF');
    if (!this.present(item)) return [];
    return this.graph.into(item, 'COMPONENT_OF').filter((h) => this.present(h.source));
  }

  /** Path number `index` (0-based) in the fixed order, or a RangeError past the end. */
  pathAt(item: string, kind: PathKind, index: bigint): TracedPath {
    this.fresh();
    if (index < 0n || index >= this.itemCounts(item)[kind].all) throw new RangeError(`no path ${index}`);
    const up: Hop[] = [];
    let current = item;
    let rest = index;
    for (;;) {
      const own = this.prefixCounts(current, kind).all;
      if (rest < own) break;
      const [child, offset] = locate(this.presentChildren(current), (h) => this.itemCounts(h.source)[kind].all, rest - own);
      up.push(child);
      current = child.source;
      rest = offset;
    }
    const prefix = this.prefixAt(current, kind, rest);
    const hops = [...prefix.hops, ...up.reverse()];
    const nodes = [...prefix.nodes, ...up.map((h) => h.target)];
    return this.describe(nodes, hops, item);
  }

  /**
   * Which parallel rows of each hop fit a time-consistent choice, and whether one avoids the labor rows rebutted on
   * paths ending at `item`.
   */
  private describe(nodes: string[], hops: Hop[], item: string): TracedPath {
    const supply = hops.find((h) => h.type === 'SUPPLIES_LABOR_TO');
    const candidates = hops.map((h) => (h.type === 'RECRUITED_BY' && supply ? placedRows(h, supply.target) : h.rows));
    const timed = hops.map((h) => TIMED_REL_TYPES.has(h.type));
    const intervals = candidates.map((rows) => rows.map((r) => r.interval));
    const before: Antichain[] = [];
    let acc: Antichain = this.start;
    for (let i = 0; i < hops.length; i++) {
      before.push(acc);
      if (timed[i]) acc = constrain(acc, intervals[i]);
    }
    const after: Antichain[] = new Array(hops.length);
    let back: Antichain = startAntichain(null);
    for (let i = hops.length - 1; i >= 0; i--) {
      after[i] = back;
      if (timed[i]) back = constrain(back, intervals[i]);
    }
    const described = hops.map((hop, i) => {
      if (!timed[i]) return { hop, rows: candidates[i] };
      const around = constrain(before[i], after[i]);
      return { hop, rows: candidates[i].filter((r) => touches(around, [r.interval])) };
    });
    let open: Antichain = this.start;
    let openOk = true;
    hops.forEach((hop, i) => {
      const rows = LABOR_REL_TYPES.has(hop.type) ? candidates[i].filter((r) => !rebuttedAt(r, item)) : candidates[i];
      if (rows.length === 0) openOk = false;
      if (timed[i]) open = constrain(open, rows.map((r) => r.interval));
    });
    return { nodes, hops: described, rebutted: !(openOk && open.length > 0) };
  }

  // ---- subgraphs: unions of the nodes and rows of valid paths -------------------------------------------------

  /** The union of all valid paths to `item` (of the given kinds), and the factories where their labor was done. */
  subgraph(item: string, kinds: readonly PathKind[] = ['direct', 'possible']): Subgraph {
    this.fresh();
    const m = new SubgraphMarker(this, kinds);
    const total = (id: string) => kinds.reduce((s, k) => s + this.itemCounts(id)[k].all, 0n);
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
   * How many labor facts stand behind the direct paths to `item`: the distinct sources that start one, and the
   * factories where one's labor segment ends. Every source on a valid path starts a valid path of its own (the
   * rest of the path has fewer intervals to meet), so the sources are the source nodes of the direct subgraph.
   */
  laborFacts(item: string): { sources: string[]; sites: string[] } {
    const s = this.subgraph(item, ['direct']);
    return { sources: s.nodes.filter((id) => this.graph.node(id)?.source), sites: s.sites };
  }

  /**
   * The union of the valid paths to products that pass through any of `through` (impact analysis: a node, or a
   * company with the factories it operates). `without` is an engine over the same graph with those nodes
   * excluded: a walk that has not met one yet continues only where the counts with and without them differ.
   */
  subgraphThrough(through: ReadonlySet<string>, without: TraceEngine, kinds: readonly PathKind[] = ['direct', 'possible']): Subgraph {
    this.fresh();
    without.fresh();
    const m = new SubgraphMarker(this, kinds, { nodes: through, without });
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
    const isItem = (id: string) => this.graph.node(id)?.kind === 'Product' || this.graph.node(id)?.kind === 'Component';
    const starts: string[] = [];
    const item = [...through].find(isItem);
    if (item !== undefined) {
      if (!reachesProduct(item)) return m.result();
      const below = this.subgraph(item, kinds);
      if (below.nodes.length === 0) return m.result();
      below.nodes.forEach((n) => m.nodes.add(n));
      m.markRows(below.rows);
      starts.push(item);
    } else {
      for (const n of this.graph.nodes.values()) {
        if (!isItem(n.id) || !reachesProduct(n.id)) continue;
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

  /** The latest day the goods could have been made (days since epoch), or null. */
  get asOf(): number | null {
    return this.options.asOf;
  }

  /** @internal for SubgraphMarker */
  get startChain(): Antichain {
    return this.start;
  }

  /** @internal for SubgraphMarker */
  isSourceNode(id: string): boolean {
    return this.isSource(id);
  }
}

/**
 * Marks the nodes and rows of valid prefixes, pruning every walk with the counts so that nothing is listed path by
 * path. With `through`, only prefixes containing one of its nodes count: `has` says whether the walk (from the item
 * back towards the sources) has passed one; until it has, a step is taken only where the counts with and without
 * those nodes differ.
 */
class SubgraphMarker {
  readonly nodes = new Set<string>();
  private readonly sites = new Set<string>();
  private readonly rows = new Map<string, TaintRow>();
  private readonly marked = new Set<string>();

  constructor(
    private readonly engine: TraceEngine,
    private readonly kinds: readonly PathKind[],
    private readonly through?: { nodes: ReadonlySet<string>; without: TraceEngine },
  ) {}

  markRows(list: readonly TaintRow[]): void {
    for (const r of list) this.rows.set(r.key, r);
  }

  result(): Subgraph {
    return {
      nodes: [...this.nodes].sort(cmp),
      rows: [...this.rows.values()].sort((a, b) => cmp(a.key, b.key)),
      sites: [...this.sites].sort(cmp),
    };
  }

  /** Marks a walk state once: the same state marks the same rows. */
  private once(key: string): boolean {
    if (this.marked.has(key)) return false;
    this.marked.add(key);
    return true;
  }

  /** Whether a walk can be completed (into a prefix containing a `through` node, when there are some). */
  private alive(has: boolean, count: (e: TraceEngine) => Counts): boolean {
    const all = count(this.engine).all;
    if (all === 0n) return false;
    if (!this.through || has) return true;
    return all - count(this.through.without).all > 0n;
  }

  private is(id: string): boolean {
    return this.through?.nodes.has(id) ?? false;
  }

  private chainAlive(factory: string, chain: Antichain, visited: Set<string>, entry: boolean, has: boolean): boolean {
    return this.alive(has, (e) => e.chainCount(factory, chain, visited, entry));
  }

  private companyAlive(company: string, chain: Antichain, visited: Set<string>, entry: boolean, has: boolean): boolean {
    return this.alive(has, (e) => e.companyCount(company, chain, visited, entry));
  }

  private agencyAlive(agency: string, factory: string, p: Pair, visited: Set<string>, entry: boolean, has: boolean): boolean {
    return this.alive(has, (e) => e.agencyCount(agency, factory, p, visited, entry));
  }

  /** Marks the prefixes ending at an item; `has` null: no `through` filter. Returns whether any was marked. */
  markPrefixes(item: string, has: boolean | null): boolean {
    const h = has ?? true;
    let any = false;
    for (const kind of this.kinds) {
      for (const { hop, from, chain } of this.engine.prefixStarts(item, kind)) {
        const hf = h || this.is(from);
        const alive = (c: Antichain) => (kind === 'direct'
          ? this.chainAlive(from, c, new Set([from]), true, hf)
          : this.companyAlive(from, c, new Set([from]), true, hf));
        if (!alive(chain)) continue;
        this.markRows(hop.rows.filter((r) => {
          const one = constrain(this.engine.startChain, [r.interval]);
          return one.length > 0 && alive(one);
        }));
        if (kind === 'direct') this.markChain(from, chain, new Set([from]), true, hf);
        else this.markCompany(from, chain, new Set([from]), true, hf);
        any = true;
      }
    }
    return any;
  }

  private markChain(factory: string, chain: Antichain, visited: Set<string>, entry: boolean, has: boolean): void {
    if (entry && !this.once(`f\u0000${factory}\u0000${antichainKey(chain)}\u0000${has}`)) return;
    this.nodes.add(factory);
    this.markSegments(factory, chain, has);
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

  /** The labor segments ending at a factory; the factory is a site when one of them is on a marked path. */
  private markSegments(factory: string, chain: Antichain, has: boolean): void {
    const e = this.engine;
    const start: Pair = { all: chain, open: chain };
    let any = has && e.isSourceNode(factory);
    for (const { hop, worker } of e.employmentSteps(factory, start)) {
      if (!has && !this.is(worker)) continue;
      this.nodes.add(worker);
      this.markRows(hop.rows.filter((r) => touches(chain, [r.interval])));
      any = true;
    }
    for (const { hop, agency, next } of e.supplySteps(factory, start)) {
      const ha = has || this.is(agency);
      const alive = (p: Pair) => this.agencyAlive(agency, factory, p, new Set([agency]), true, ha);
      if (!alive(next)) continue;
      this.markRows(hop.rows.filter((r) => {
        const one = stepRows(start, [r], null);
        return one !== null && alive(one);
      }));
      this.markAgency(agency, factory, next, new Set([agency]), true, ha);
      any = true;
    }
    if (any) this.sites.add(factory);
  }

  private markAgency(agency: string, factory: string, p: Pair, visited: Set<string>, entry: boolean, has: boolean): void {
    if (entry && !this.once(`a\u0000${agency}\u0000${factory}\u0000${pairKey(p)}\u0000${has}`)) return;
    this.nodes.add(agency);
    for (const { hop, worker } of this.engine.recruitSteps(agency, factory, p)) {
      if (!has && !this.is(worker)) continue;
      this.nodes.add(worker);
      this.markRows(placedRows(hop, factory).filter((r) => touches(p.all, [r.interval])));
    }
    for (const step of this.engine.dispatchSteps(agency, p, visited)) {
      const hs = has || this.is(step.from);
      within(visited, step.from, () => {
        const alive = (q: Pair) => this.agencyAlive(step.from, factory, q, visited, step.entry, hs);
        if (!alive(step.next)) return;
        this.markRows(step.hop.rows.filter((r) => {
          const one = stepRows(p, [r], null);
          return one !== null && alive(one);
        }));
        this.markAgency(step.from, factory, step.next, visited, step.entry, hs);
      });
    }
  }

  private markCompany(company: string, chain: Antichain, visited: Set<string>, entry: boolean, has: boolean): void {
    if (entry && !this.once(`c\u0000${company}\u0000${antichainKey(chain)}\u0000${has}`)) return;
    this.nodes.add(company);
    for (const op of this.engine.operatedFactories(company)) {
      const f = op.target;
      const hf = has || this.is(f);
      if (!this.chainAlive(f, chain, new Set([f]), true, hf)) continue;
      this.markRows(op.rows);
      this.markChain(f, chain, new Set([f]), true, hf);
    }
    for (const { hop, supplier, next, entry: e } of this.engine.supplierSteps(company, chain, visited)) {
      const hs = has || this.is(supplier);
      within(visited, supplier, () => {
        if (!this.companyAlive(supplier, next, visited, e, hs)) return;
        this.markRows(hop.rows.filter((r) => {
          const one = constrain(chain, [r.interval]);
          return one.length > 0 && this.companyAlive(supplier, one, visited, e, hs);
        }));
        this.markCompany(supplier, next, visited, e, hs);
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

/**
 * The nodes whose counts can see a row rebutted for `item` only: downstream (the way taint flows) of those rows. An
 * agency is affected when such a row leads into it or into an agency dispatching to it; a factory when one is in its
 * labor segments or its subcontractors'; a company when one is behind a plant it operates or a supplier; an item
 * when one is behind its production or sourcing or behind a part in its bill of materials. Every other node counts
 * the same for `item` as for any path.
 *
 * Cost, once per item and memo: the labor and supply network downstream of those rows, then, for the bill of
 * materials, at most twice the smaller of the items above the affected ones and the items below `item` (the two
 * searches run in turns and the first to finish decides; only items below `item` are ever asked about).
 */
function affectedBy(graph: TaintGraph, item: string): Set<string> {
  const out = new Set<string>();
  const made = new Set<string>(); // items produced or sourced by an affected factory or company
  const stack: string[] = [];
  const mark = (id: string) => {
    if (out.has(id)) return;
    out.add(id);
    stack.push(id);
  };
  for (const hop of graph.hopsScopedTo(item)) mark(hop.target);
  while (stack.length > 0) {
    const id = stack.pop()!;
    const kind = graph.kindOf(id);
    if (kind === 'Product' || kind === 'Component') made.add(id);
    // every downstream type whatever the node's kind (only malformed data has other ones than its kind's)
    for (const type of LABOR_AND_SUPPLY) for (const h of graph.outOf(id, type)) mark(h.target);
    for (const h of graph.into(id, 'OPERATES')) mark(h.source); // OPERATES is stored company -> factory
    for (const type of PREFIX_TYPES) for (const h of graph.outOf(id, type)) made.add(h.target);
  }
  for (const i of affectedItems(graph, made, item)) out.add(i);
  return out;
}

const LABOR_AND_SUPPLY: readonly RelType[] = ['DISPATCHES_TO', 'SUPPLIES_LABOR_TO', 'SUBCONTRACTOR_OF', 'SUPPLIES'];
const PREFIX_TYPES: readonly RelType[] = ['PRODUCED', 'SOURCED_FROM'];

/**
 * The items of `item`'s bill of materials (itself included) with one of `made` in theirs, or a superset: the items
 * above `made` when that search finishes first.
 */
function affectedItems(graph: TaintGraph, made: ReadonlySet<string>, item: string): Iterable<string> {
  if (made.size === 0) return made;
  const up = new Set(made);
  const upQueue = [...made];
  const down = new Set([item]);
  const downQueue = [item];
  while (upQueue.length > 0 && downQueue.length > 0) {
    for (const h of graph.outOf(upQueue.pop()!, 'COMPONENT_OF')) {
      if (!up.has(h.target)) {
        up.add(h.target);
        upQueue.push(h.target);
      }
    }
    for (const h of graph.into(downQueue.pop()!, 'COMPONENT_OF')) {
      if (!down.has(h.source)) {
        down.add(h.source);
        downQueue.push(h.source);
      }
    }
  }
  if (upQueue.length === 0) return up;
  // below `item`, bottom-up: an item is affected when it is made affected or has an affected part; a part still
  // being decided closes a cycle in the bill of materials (which counting refuses): counted as affected
  const decided = new Map<string, boolean>();
  const deciding = new Set<string>();
  const stack: { id: string; expanded: boolean }[] = [{ id: item, expanded: false }];
  while (stack.length > 0) {
    const top = stack[stack.length - 1];
    if (decided.has(top.id) || (!top.expanded && deciding.has(top.id))) {
      stack.pop();
    } else if (!top.expanded) {
      top.expanded = true;
      deciding.add(top.id);
      for (const h of graph.into(top.id, 'COMPONENT_OF')) if (!decided.has(h.source) && !deciding.has(h.source)) stack.push({ id: h.source, expanded: false });
    } else {
      stack.pop();
      deciding.delete(top.id);
      decided.set(top.id, made.has(top.id) || graph.into(top.id, 'COMPONENT_OF').some((h) => decided.get(h.source) ?? true));
    }
  }
  return [...decided].filter(([, affected]) => affected).map(([id]) => id);
}

/**
 * The nodes whose memoized counts can read something at `seeds`: the seeds and every node downstream of them, the
 * way taint flows, over the hops counting reads (a factory's operator reads it through OPERATES, stored
 * company -> factory). Counting reads, at a factory: its employment, labor supply and subcontract rows; at an agency:
 * its recruitment and dispatch rows; at a company: the factories it operates and its supply rows; at an item: its
 * production, sourcing and bill-of-materials rows; and, through them, the counts at their far ends. `bom` false:
 * not up the bill of materials (COMPONENT_OF), whose part an engine checks lazily.
 */
export function downstreamOf(graph: TaintGraph, seeds: Iterable<string>, bom = true): Set<string> {
  const types = bom ? DOWNSTREAM_TYPE_INDEXES : DOWNSTREAM_TYPE_INDEXES_BUT_BOM;
  const out = new Set<string>();
  const stack: string[] = [];
  for (const id of seeds) {
    if (!out.has(id)) {
      out.add(id);
      stack.push(id);
    }
  }
  while (stack.length > 0) {
    const id = stack.pop()!;
    const byType = graph.outByType(id);
    for (const t of types) {
      const hops = byType[t];
      if (hops === undefined) continue;
      for (let i = 0; i < hops.length; i++) {
        const target = hops[i].target;
        if (!out.has(target)) {
          out.add(target);
          stack.push(target);
        }
      }
    }
    for (const h of graph.into(id, 'OPERATES')) {
      if (!out.has(h.source)) {
        out.add(h.source);
        stack.push(h.source);
      }
    }
  }
  return out;
}

const DOWNSTREAM_TYPES: readonly RelType[] = [
  'EMPLOYED_AT', 'RECRUITED_BY', 'DISPATCHES_TO', 'SUPPLIES_LABOR_TO', 'SUBCONTRACTOR_OF', 'PRODUCED', 'SOURCED_FROM', 'SUPPLIES', 'COMPONENT_OF',
];
/** Their positions in REL_TYPES (TaintGraph.outByType). */
const DOWNSTREAM_TYPE_INDEXES: readonly number[] = DOWNSTREAM_TYPES.map((t) => REL_TYPES.indexOf(t));
const DOWNSTREAM_TYPE_INDEXES_BUT_BOM: readonly number[] = DOWNSTREAM_TYPES.filter((t) => t !== 'COMPONENT_OF').map((t) => REL_TYPES.indexOf(t));

/** The members of the components of more than one node. */
function membersOf(of: ReadonlyMap<string, number>): Map<number, string[]> {
  const all = new Map<number, string[]>();
  for (const [id, n] of of) {
    const list = all.get(n);
    if (list) list.push(id);
    else all.set(n, [id]);
  }
  for (const [n, list] of all) if (list.length < 2) all.delete(n);
  return all;
}

/** Beyond this many nodes searched, the components of a type are computed again whole, when next needed. */
const COMPONENT_SEARCH_LIMIT = 200_000;

/**
 * Updates the components over `type` after hops of that type were created or dropped at `ends`. Only the components
 * containing an end can change, in the old graph and in the new: the new component of a node whose component has no
 * end is its old one, since every row of its cycles is still there (a cycle through a changed hop would put the hop's
 * ends in it). So the nodes of those components, old (by their numbers) and new (found around each end: the nodes
 * both reachable from it and reaching it), are numbered again, by Tarjan's algorithm over the hops among them (a
 * component of the new graph lies inside this set, so the hops leaving it do not matter). False when a search
 * exceeds COMPONENT_SEARCH_LIMIT: then the caller computes them all again.
 */
function updateComponents(graph: TaintGraph, c: Components, type: RelType, ends: ReadonlySet<string>): boolean {
  const region = new Set<string>();
  const addOld = (id: string) => {
    if (region.has(id)) return;
    const n = c.of.get(id);
    const members = n === undefined ? undefined : c.members.get(n);
    if (members) members.forEach((m) => region.add(m));
    else region.add(id);
  };
  for (const id of ends) {
    addOld(id);
    const around = componentAround(graph, id, type);
    if (around === null) return false;
    around.forEach(addOld);
  }
  for (const id of region) {
    const n = c.of.get(id);
    if (n !== undefined) {
      c.members.delete(n);
      c.of.delete(id);
    }
  }
  const local = componentsOf(region, (id) => graph.outOf(id, type).map((h) => h.target).filter((t) => region.has(t)));
  const renumbered = new Map<number, number>();
  for (const [id, n] of local) {
    let m = renumbered.get(n);
    if (m === undefined) renumbered.set(n, (m = c.next++));
    c.of.set(id, m);
  }
  for (const [n, list] of membersOf(local)) c.members.set(renumbered.get(n)!, list);
  return true;
}

/**
 * The nodes of `id`'s strongly connected component over `type` in the graph as it is: those reachable from it that
 * also reach it. The search forwards and the search backwards take turns; the first to finish bounds the other.
 * Null past COMPONENT_SEARCH_LIMIT nodes.
 */
function componentAround(graph: TaintGraph, id: string, type: RelType): Set<string> | null {
  if (graph.outOf(id, type).length === 0 || graph.into(id, type).length === 0) return new Set([id]);
  const fwd = new Set([id]);
  const bwd = new Set([id]);
  const fq = [id];
  const bq = [id];
  while (fq.length > 0 && bq.length > 0) {
    if (fwd.size + bwd.size > COMPONENT_SEARCH_LIMIT) return null;
    for (const h of graph.outOf(fq.pop()!, type)) {
      if (!fwd.has(h.target)) {
        fwd.add(h.target);
        fq.push(h.target);
      }
    }
    for (const h of graph.into(bq.pop()!, type)) {
      if (!bwd.has(h.source)) {
        bwd.add(h.source);
        bq.push(h.source);
      }
    }
  }
  // one search is complete: the component is what the other direction reaches from `id` within it
  const [within, forwards] = fq.length === 0 ? [fwd, false] : [bwd, true];
  const out = new Set([id]);
  const queue = [id];
  while (queue.length > 0) {
    const x = queue.pop()!;
    const next = forwards ? graph.outOf(x, type).map((h) => h.target) : graph.into(x, type).map((h) => h.source);
    for (const y of next) {
      if (within.has(y) && !out.has(y)) {
        out.add(y);
        queue.push(y);
      }
    }
  }
  return out;
}

export function exposureOf(c: ItemCounts): 'DIRECT' | 'POSSIBLE' | 'NONE' {
  return c.direct.all > 0n ? 'DIRECT' : c.possible.all > 0n ? 'POSSIBLE' : 'NONE';
}
