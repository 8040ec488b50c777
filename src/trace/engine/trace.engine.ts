import { traceMaxStepsSetting } from '../../config';
import type { RelType } from '../../model/graph-model';
import { catchUpComponents, componentOf, componentShape, graphComponents, SUBSET_MEMO_MAX, type ComponentShape, type ComponentsMemo } from './components';
import { add, exactItem, leaf, ONE, pairKey, plus, stepPair, stepRows, ZERO, type Counts, type ItemCounts, type ItemTally, type Pair, type PathKind } from './counts';
import { catchUp, joinWalkMemo, memoGet, memoSet, newMemo, setItem, validItem, type EngineMemo, type ItemEntry, type NodeMemo, type WalkMemo } from './engine-memo';
import { subgraphThrough } from './impact';
import { countProducts, type ItemTable } from './item-table';
import { antichainKey, constrain, startAntichain, type Antichain, type Interval } from './interval';
import { pathsInOrder } from './path-listing';
import { pathAt, type TracedPath } from './path-numbering';
import { affectedBy } from './rebuttal-scope';
import { subgraphOf, type Subgraph } from './subgraph-marker';
import { newPrefixHops, placedRows, type Hop, type TaintGraph } from './taint-graph';
import { within, type CountedWalks, type WalkKind, type DispatchStep, type PrefixStart, type SubcontractStep, type SupplierStep, type SupplyStep, type WorkerStep } from './walks';
import { TraceTooComplexError, WorkBudget } from './work-budget';

/**
 * Counting the paths of TRACE-SEMANTICS.md without listing them; the engine's public face (counts, pathAt, subgraph,
 * subgraphThrough, laborFacts). Numbering is in path-numbering.ts, drawing (subgraphs) in subgraph-marker.ts and
 * impact.ts, both reading the counts through the CountedWalks view (walks.ts).
 *
 * A path read backwards from the traced item X is: bill-of-materials hops down to the item Y where its prefix
 * ends, then the prefix: a production hop (direct) or a sourcing hop and company chain (possible), subcontract
 * hops, and a labor segment. So
 *   paths(Y) = prefixes(Y) + Σ over Y's distinct children c of paths(c)        (the BOM is acyclic)
 * and prefixes are counted by walking subcontract and supply hops back from Y while carrying the antichain of
 * achievable interval intersections, memoized where the walk enters a new strongly connected component.
 * All counts are exact (numbers while they are safe integers, bigints past 2^53: counts.ts). Paths are numbered in
 * a fixed order (children and hops by id, a node's own prefixes before its children's), and path k is found by
 * descending with the counts: no path before it is built.
 *
 * Rebuttals scoped to items: a labor row may be rebutted only for paths ending at some items. Which paths exist (the
 * `all` counts, numbering, subgraphs) never depends on rebuttals; the `open` counts of the paths ending at X do, and
 * they are counted, when some rebuttal names X, by an engine scoped to X (options.rebuttalItem) with its own memo.
 * It recomputes only what can see a row rebutted for X: the nodes downstream of those rows (affectedBy, rebuttal-scope.ts); for every
 * other node it asks the unscoped engine, whose memo it shares. Items no scoped rebuttal names, and graphs without
 * any, take the unscoped engine's path unchanged.
 *
 * Keeping the memo across patches: engine-memo.ts. The layout of the engine and its design: docs/engine.md.
 */

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
  /**
   * Counts at walk states to share with the other engines of a snapshot (GraphSnapshotCache: one per snapshot, so a
   * screen at a new asOf reuses what other asOf values counted); used by unscoped engines without exclusions.
   */
  walks?: WalkMemo;
}

const NO_PREFIXES: ItemTally = { direct: ZERO, possible: ZERO };

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
  /** What path numbering and subgraph marking read of this engine (walks.ts); made when first asked. */
  private walksView: CountedWalks | undefined;
  /**
   * The subset memos of the small components walked, by shape serial: counts at walk states (node, antichain or pair,
   * visited members) inside one component (componentWalk). They live for one public call (fresh() drops them), so
   * numbering and marking read the states counting filled, and no long-lived memo holds them.
   */
  private readonly subsetMemos = new Map<number, Map<string, Counts>>();
  /** Antichains from the start through a one-row production or sourcing hop, and their keys, by its interned interval. */
  private readonly startChains: ({ chain: Antichain; key: string } | undefined)[] = [];
  /** ownPrefixes' list of hops, reused from item to item. */
  private readonly prefixHops = newPrefixHops();
  /** An item's bill-of-materials hops that walks take (presentChildren), for the memo's lazy item checks. */
  private readonly childrenOf = (item: string): readonly Hop[] => this.presentChildren(item);

  constructor(private readonly graph: TaintGraph, private readonly options: TraceOptions, memo?: EngineMemo, base?: TraceEngine) {
    this.start = startAntichain(options.asOf);
    this.excluded = options.excluded ?? new Set();
    this.work = options.budget ?? new WorkBudget(options.maxSteps ?? traceMaxStepsSetting());
    this.scope = options.rebuttalItem ?? null;
    this.base = this.scope === null ? undefined : base ?? new TraceEngine(graph, { ...options, rebuttalItem: null, budget: this.work });
    const shared = options.walks !== undefined && this.scope === null && this.excluded.size === 0;
    this.memo = memo ?? newMemo(graph.version, this.scope === null, this.base?.memo.components ?? graphComponents(graph),
      shared ? joinWalkMemo(options.walks!, options.asOf) : undefined);
    this.segmentMemo = this.memo.walk.segment;
    this.agencyMemo = this.memo.walk.agency;
    this.chainMemo = this.memo.walk.chain;
    this.companyMemo = this.memo.walk.company;
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
    this.subsetMemos.clear();
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
   * Counting at a component entry (`key` defined; elsewhere `compute` runs as it is). An entry whose counting once
   * ran out of budget after spending `s` steps of its own is refused at once by a later call with no more than `s`
   * steps left, so one large cycle costs a screen one item's budget rather than every item's that reaches it (a
   * refusal, never a count). The record goes with the memo when the graph changes behind the entry.
   */
  private guarded(tag: string, node: string, key: string | undefined, compute: () => Counts): Counts {
    if (key === undefined) return compute();
    const k = `${tag}\u0000${key}`;
    const spent = memoGet(this.memo.walk.tooComplex, node, k);
    if (spent !== undefined && this.work.remaining <= spent) throw new TraceTooComplexError(this.work.maxSteps);
    const before = this.work.steps;
    try {
      return compute();
    } catch (e) {
      // a walk too long is refused whatever the budget; otherwise what it spent
      if (e instanceof TraceTooComplexError) memoSet(this.memo.walk.tooComplex, node, k, e.depth ? Infinity : Math.max(spent ?? 0, this.work.steps - before));
      throw e;
    }
  }

  /**
   * Counting at a walk state of a chain, company or agency walk (`key` defined: it enters `node`'s component), by
   * the component's shape (docs/engine.md, "Large and small components"):
   *  - alone in its component: `compute` as it is;
   *  - a small one (SUBSET_MEMO_MAX): the walk states inside it are memoized by (node, `state`, the visited members
   *    as a bit mask) for one public call (the count from a state depends on no visited node outside the component:
   *    one would be in it); so a dense component of 12 nodes costs tens of thousands of steps instead of the millions
   *    its simple paths number; the budget bounds the rest;
   *  - a larger one whose walkBound (size·2^branching bits) exceeds the budget: refused at entry, before any step
   *    (deterministic: it depends on the graph and the budget, not on what was counted before);
   *  - other larger ones (long rings, sparse chords) are enumerated under the budget.
   */
  private componentWalk(tag: string, node: string, kind: WalkKind, key: string | undefined, state: () => string,
    visited: ReadonlySet<string>, compute: () => Counts): Counts {
    const shape = this.shape(node, kind);
    if (shape === null || shape.members.length > SUBSET_MEMO_MAX) {
      // (a walk inside a large component calls compute directly: one stack frame per hop fewer, see MAX_WALK_DEPTH)
      if (key === undefined) return compute();
      if (shape !== null && shape.walkBound > this.work.maxSteps) {
        throw new TraceTooComplexError(this.work.maxSteps, false, { size: shape.members.length, bound: shape.walkBound });
      }
      return this.guarded(tag, node, key, compute);
    }
    let states = this.subsetMemos.get(shape.serial);
    if (states === undefined) this.subsetMemos.set(shape.serial, (states = new Map()));
    const k = `${tag}\u0000${node}\u0000${state()}\u0000${visitedMask(shape, visited)}`;
    const known = states.get(k);
    if (known) {
      this.tick(); // a dense component's work is mostly these reads: the budget counts them too
      return known;
    }
    const total = this.guarded(tag, node, key, compute);
    // past the limit the states are counted again rather than kept: memory stays bounded, counts stay exact
    if (states.size < SUBSET_MEMO_ENTRIES) states.set(k, total);
    return total;
  }

  /**
   * What, beyond (node, antichain or pair), a walk state's paths depend on: the visited members of the node's
   * component when it is a small one (walked with the subset memo), else nothing (''). Marking keys its states by it.
   */
  private visitedKey(node: string, kind: WalkKind, visited: ReadonlySet<string>): string {
    const shape = this.shape(node, kind);
    return shape === null || shape.members.length > SUBSET_MEMO_MAX ? '' : `${shape.serial}:${visitedMask(shape, visited)}`;
  }

  /**
   * Whether a walk may go through `id`: not excluded, and reached by some source's taint (TaintGraph.taintReachable:
   * a node no source reaches is on no path, so counting never enters the cycles behind it).
   */
  private present(id: string): boolean {
    return this.graph.taintReachable(id) && (this.excluded.size === 0 || !this.excluded.has(id));
  }

  /** present(hop.source), by the source's node number where the hop is a stored one (the walks' most frequent check). */
  private sourcePresent(hop: Hop): boolean {
    return this.excluded.size === 0 ? this.graph.sourceReachable(hop) : this.present(hop.source);
  }

  private isSource(id: string): boolean {
    return this.graph.node(id)!.source;
  }

  /** A node's component over one relationship type (components.ts): a step into another one is where counts are memoized. */
  private component(id: string, kind: WalkKind): number {
    return componentOf(this.graph, this.components, id, kind, WALK_TYPE[kind]);
  }

  /** The shape of a node's component (components.ts), or null when the node is alone in it. */
  private shape(id: string, kind: WalkKind): ComponentShape | null {
    this.component(id, kind);
    return componentShape(this.graph, this.components, id, WALK_TYPE[kind]);
  }

  // ---- labor segments: from a source to the factory where the labor was done -------------------------------
  //
  // In numbering order at a factory: the factory itself when it is in the DPRK, employment by worker, then labor
  // supply by agency, each agency's walk being: the agency itself (when it is a source), recruitment by worker,
  // then the agencies dispatching through it.

  /** Labor segments ending at `factory` and consistent with `chain`. They involve no factory, so no `visited`. */
  private segmentCounts(factory: string, chain: Antichain): Counts {
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

  /** Employment hops into a factory, from source workers, that fit the walk. */
  private *employmentSteps(factory: string, p: Pair): Generator<WorkerStep> {
    for (const hop of this.graph.into(factory, 'EMPLOYED_AT')) {
      if (!this.sourcePresent(hop) || !this.isSource(hop.source)) continue;
      const next = stepPair(p, hop.intervals, this.openOf(hop));
      if (next) yield { hop, worker: hop.source, next };
    }
  }

  /** The labor supply hops into a factory that fit the walk. */
  private *supplySteps(factory: string, p: Pair): Generator<SupplyStep> {
    for (const hop of this.graph.into(factory, 'SUPPLIES_LABOR_TO')) {
      if (!this.sourcePresent(hop)) continue;
      const next = stepPair(p, hop.intervals, this.openOf(hop));
      if (next) yield { hop, agency: hop.source, next };
    }
  }

  /** Recruitment hops into an agency, from source workers, that fit a segment ending at `factory`. */
  private *recruitSteps(agency: string, factory: string, p: Pair): Generator<WorkerStep> {
    for (const hop of this.graph.into(agency, 'RECRUITED_BY')) {
      if (!this.sourcePresent(hop) || !this.isSource(hop.source)) continue;
      const next = this.stepRecruitment(p, hop, factory);
      if (next) yield { hop, worker: hop.source, next };
    }
  }

  /** Dispatch hops into an agency from agencies not yet on the walk. */
  private *dispatchSteps(agency: string, p: Pair, visited: Set<string>): Generator<DispatchStep> {
    for (const hop of this.graph.into(agency, 'DISPATCHES_TO')) {
      const from = hop.source;
      if (visited.has(from) || !this.sourcePresent(hop)) continue;
      const next = stepPair(p, hop.intervals, this.openOf(hop));
      if (!next) continue;
      yield { hop, from, next, entry: this.component(from, 'LaborAgency') !== this.component(agency, 'LaborAgency') };
    }
  }

  /** Segment starts reached back from `agency` (on a walk that ends at `factory`): memoized on entering a component. */
  private agencyCount(agency: string, factory: string, p: Pair, visited: Set<string>, entry: boolean): Counts {
    if (this.base !== undefined && this.unaffected(agency)) return this.base.agencyCount(agency, factory, p, visited, entry);
    const key = entry ? `${factory}\u0000${pairKey(p)}` : undefined;
    if (key !== undefined) {
      const memo = memoGet(this.agencyMemo, agency, key);
      if (memo) return memo;
    }
    const total = this.componentWalk('agency', agency, 'LaborAgency', key, () => `${factory}\u0000${pairKey(p)}`, visited, () => {
      this.tick();
      let sum = this.isSource(agency) ? leaf(p) : ZERO;
      for (const { next } of this.recruitSteps(agency, factory, p)) sum = add(sum, leaf(next));
      for (const step of this.dispatchSteps(agency, p, visited)) {
        sum = add(sum, within(this.work, visited, step.from, () => this.agencyCount(step.from, factory, step.next, visited, step.entry)));
      }
      return sum;
    });
    if (key !== undefined) memoSet(this.agencyMemo, agency, key, total);
    return total;
  }

  // ---- subcontract chains: prefixes ending at a factory -----------------------------------------------------

  /**
   * Labor segment + subcontract hops ending at `factory`, simple (not through `visited`), consistent with `chain`.
   * `entry`: the walk just entered this factory's component, so the count depends on (factory, chain) alone.
   */
  private chainCount(factory: string, chain: Antichain, visited: Set<string>, entry: boolean): Counts {
    if (this.base !== undefined && this.unaffected(factory)) return this.base.chainCount(factory, chain, visited, entry);
    const key = entry ? antichainKey(chain) : undefined;
    if (key !== undefined) {
      const memo = memoGet(this.chainMemo, factory, key);
      if (memo) return memo;
    }
    const total = this.componentWalk('chain', factory, 'Factory', key, () => antichainKey(chain), visited, () => {
      this.tick();
      let sum = this.segmentCounts(factory, chain);
      for (const step of this.subcontractSteps(factory, chain, visited)) {
        sum = add(sum, within(this.work, visited, step.sub, () => this.chainCount(step.sub, step.next, visited, step.entry)));
      }
      return sum;
    });
    if (key !== undefined) memoSet(this.chainMemo, factory, key, total);
    return total;
  }

  /** The subcontract steps back from a factory: subcontractors not yet on the walk whose rows fit the chain. */
  private *subcontractSteps(factory: string, chain: Antichain, visited: Set<string>): Generator<SubcontractStep> {
    for (const hop of this.graph.into(factory, 'SUBCONTRACTOR_OF')) {
      const sub = hop.source;
      if (visited.has(sub) || !this.sourcePresent(hop)) continue;
      const next = constrain(chain, hop.intervals);
      if (next.length === 0) continue;
      yield { hop, sub, next, entry: this.component(sub, 'Factory') !== this.component(factory, 'Factory') };
    }
  }

  // ---- company chains: possible prefixes ending at a company ------------------------------------------------

  /** Possible prefixes ending at `company` (operated factories, then suppliers), consistent with `chain`. */
  private companyCount(company: string, chain: Antichain, visited: Set<string>, entry: boolean): Counts {
    if (this.base !== undefined && this.unaffected(company)) return this.base.companyCount(company, chain, visited, entry);
    const key = entry ? antichainKey(chain) : undefined;
    if (key !== undefined) {
      const memo = memoGet(this.companyMemo, company, key);
      if (memo) return memo;
    }
    const total = this.componentWalk('company', company, 'Company', key, () => antichainKey(chain), visited, () => {
      this.tick();
      let sum = ZERO;
      for (const op of this.operatedFactories(company)) sum = add(sum, this.chainCount(op.target, chain, new Set([op.target]), true));
      for (const step of this.supplierSteps(company, chain, visited)) {
        sum = add(sum, within(this.work, visited, step.supplier, () => this.companyCount(step.supplier, step.next, visited, step.entry)));
      }
      return sum;
    });
    if (key !== undefined) memoSet(this.companyMemo, company, key, total);
    return total;
  }

  private operatedFactories(company: string): Hop[] {
    return this.graph.outOf(company, 'OPERATES').filter((op) => this.present(op.target));
  }

  /** The supply steps back from a company: its suppliers not yet on the walk, while the trade fits the chain. */
  private *supplierSteps(company: string, chain: Antichain, visited: Set<string>): Generator<SupplierStep> {
    for (const hop of this.graph.into(company, 'SUPPLIES')) {
      const supplier = hop.source;
      if (visited.has(supplier) || !this.sourcePresent(hop)) continue;
      const next = constrain(chain, hop.intervals);
      if (next.length === 0) continue;
      yield { hop, supplier, next, entry: this.component(supplier, 'Company') !== this.component(company, 'Company') };
    }
  }

  // ---- prefixes ending at an item ----------------------------------------------------------------------------

  /** Where prefixes end at an item: production hops (direct) or sourcing hops (possible), with their antichains. */
  private *prefixStarts(item: string, kind: PathKind): Generator<PrefixStart> {
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
  private prefixCounts(item: string, kind: PathKind): Counts {
    let total = ZERO;
    for (const hop of this.graph.into(item, kind === 'direct' ? 'PRODUCED' : 'SOURCED_FROM')) {
      if (!this.sourcePresent(hop)) continue;
      const chain = constrain(this.start, hop.intervals);
      if (chain.length > 0) total = add(total, this.prefixStartCount(kind, hop.source, chain));
    }
    return total;
  }

  // ---- items: the bill of materials --------------------------------------------------------------------------

  /**
   * The counts of the paths ending at `item`, their open counts with the rows rebutted for that item (by an engine
   * scoped to it when a rebuttal names it).
   */
  counts(item: string): ItemCounts {
    this.fresh();
    if (this.scope !== null) return item === this.scope ? exactItem(this.itemCounts(item)) : this.base!.counts(item);
    if (this.graph.hasScopedRebuttals(item)) return exactItem(this.scopedTo(item).itemCounts(item));
    return exactItem(this.itemCounts(item));
  }

  /**
   * The counts of the paths ending at `item`, open counts judged for this engine's scope (the item the paths are
   * extended to, not necessarily `item`: a building block of its parents' counts); their `all` counts are the same
   * in every engine.
   *
   * Distinct children first, so that deep bills of materials are counted bottom-up without deep recursion. A child
   * that is still being counted further down the walk closes a cycle in the bill of materials: a BomCycleError.
   */
  private itemCounts(item: string): ItemTally {
    if (this.base !== undefined && this.unaffected(item)) return this.base.itemCounts(item);
    const memo = this.validItem(item);
    if (memo) return memo;
    // each entry keeps its children between expanding and counting: they are read once per item
    const stack: { id: string; children: readonly Hop[] | null }[] = [{ id: item, children: null }];
    const open = new Set<string>(); // expanded and not yet counted: the walk from `item` down to the top
    while (stack.length > 0) {
      const top = stack[stack.length - 1];
      if (this.validItem(top.id)) {
        stack.pop();
        continue;
      }
      if (top.children === null) {
        if (open.has(top.id)) {
          const walk = stack.filter((e) => e.children !== null).map((e) => e.id);
          throw new BomCycleError([...walk.slice(walk.indexOf(top.id)), top.id]);
        }
        top.children = this.presentChildren(top.id);
        open.add(top.id);
        for (const h of top.children) if (!this.counted(h.source)) stack.push({ id: h.source, children: null });
        continue;
      }
      stack.pop();
      open.delete(top.id);
      // accumulated in locals: this runs once per item of the catalogue when screening
      const present = this.present(top.id);
      let { all: da, open: dop } = present ? this.prefixCounts(top.id, 'direct') : ZERO;
      let { all: pa, open: pop } = present ? this.prefixCounts(top.id, 'possible') : ZERO;
      for (const h of top.children) {
        const c = this.base === undefined ? this.tabled(h.source) ?? this.itemMemo.get(h.source)!.counts : this.childCounts(h.source);
        da = plus(da, c.direct.all);
        dop = plus(dop, c.direct.open);
        pa = plus(pa, c.possible.all);
        pop = plus(pop, c.possible.open);
      }
      const direct = { all: da, open: dop };
      const possible = { all: pa, open: pop };
      this.setItem(top.id, { direct, possible });
    }
    return this.itemMemo.get(item)!.counts;
  }

  /**
   * The counts of every product and every item below one at once (item-table.ts), each item's prefixes on a budget
   * of its own (forItem), kept in the memo until the graph changes (unless the request's budget ran out on the way:
   * a later request may count more); later counts and path numbering read it (tabled). Null where products must be
   * counted one by one (counts()): a scoped engine, exclusions, a cycle in the bill of materials. Products with
   * rebuttals scoped to them are in the table with their unscoped counts: ask counts() for those.
   */
  itemTable(): ItemTable | null {
    this.fresh();
    if (this.scope !== null || this.excluded.size > 0) return null;
    const kept = this.memo.table;
    if (kept !== undefined && kept.version === this.graph.version) return kept;
    // one engine on one item budget, started afresh for each item (forItem's budget, without an engine per item)
    const budget = this.work.forItem();
    const engine = this.withBudget(budget);
    const table = countProducts(this.graph, {
      prefix: (i, id) => {
        budget.restart();
        return engine.ownPrefixes(i, id);
      },
    });
    if (table !== null && this.work.remaining >= 0) this.memo.table = table;
    return table;
  }

  /** The counts of the paths whose prefix ends at item `id` (node number i) itself: its own production and sourcing hops. */
  private ownPrefixes(i: number, id: string): ItemTally {
    if (!this.graph.taintReachableAt(i)) return NO_PREFIXES;
    const hops = this.prefixHops;
    this.graph.prefixHopsInto(i, id, hops);
    let direct = ZERO;
    let possible = ZERO;
    for (let k = 0; k < hops.count; k++) {
      const c = this.prefixStartAt(hops.produced[k] ? 'direct' : 'possible', hops.source[k], hops.intervals[k], hops.only[k]);
      if (c === null) continue;
      if (hops.produced[k]) direct = add(direct, c);
      else possible = add(possible, c);
    }
    return { direct, possible };
  }

  /**
   * prefixStartCount for a production or sourcing hop (itemTable's pass: an unscoped engine without exclusions),
   * null when no row of it fits the start. Most hops have one row, whose interval the store interns (`only`), so its
   * antichain from the start and the antichain's key are made once per interval, and a memoized count is found
   * without entering chainCount.
   */
  private prefixStartAt(kind: PathKind, source: string, intervals: readonly Interval[], only: number): Counts | null {
    let start = only >= 0 ? this.startChains[only] : undefined;
    if (start === undefined) {
      const chain = constrain(this.start, intervals);
      start = { chain, key: chain.length > 0 ? antichainKey(chain) : '' };
      if (only >= 0) this.startChains[only] = start;
    }
    if (start.chain.length === 0) return null;
    return memoGet(kind === 'direct' ? this.chainMemo : this.companyMemo, source, start.key) ?? this.prefixStartCount(kind, source, start.chain);
  }

  /** Whether an item's counts are known: memoized, or (scoped engine) the unscoped engine's to give. */
  private counted(id: string): boolean {
    return this.validItem(id) !== undefined || (this.base !== undefined && this.unaffected(id));
  }

  private childCounts(id: string): ItemTally {
    return this.unaffected(id) ? this.base!.itemCounts(id) : this.itemMemo.get(id)!.counts;
  }

  /** Memoizes an item's counts (engine-memo.ts: the entry records when its value last changed). */
  private setItem(id: string, counts: ItemTally): void {
    setItem(this.memo, id, counts);
  }

  /** An item's memoized counts if they still hold, else undefined (engine-memo.ts: older entries are checked lazily). */
  private validItem(id: string): ItemTally | undefined {
    return this.tabled(id) ?? validItem(this.memo, id, this.childrenOf);
  }

  /** An item's counts from the item table of a screen (itemTable), while the graph has not changed since. */
  private tabled(id: string): ItemTally | undefined {
    const table = this.memo.table;
    if (table === undefined || this.base !== undefined || this.excluded.size > 0) return undefined;
    const c = table.get(id);
    return c === 'TOO_COMPLEX' ? undefined : c;
  }

  private presentChildren(item: string): readonly Hop[] {
    if (this.excluded.size === 0) return this.graph.into(item, 'COMPONENT_OF');
    if (!this.present(item)) return [];
    return this.graph.into(item, 'COMPONENT_OF').filter((h) => this.present(h.source));
  }

  /** Path number `index` (0-based) in the fixed order, or a RangeError past the end (path-numbering.ts). */
  pathAt(item: string, kind: PathKind, index: bigint): TracedPath {
    this.fresh();
    return pathAt(this.walks, item, kind, index);
  }

  /**
   * The paths ending at `item` in the same order, walked one by one without counts, after the path whose node ids
   * are `after` (path-listing.ts): for items whose counts are TOO_COMPLEX. Close the generator when done with it
   * (a for-of loop does): it holds the walk's place on the budget's depth limit until then.
   */
  listPaths(item: string, kind: PathKind, after: readonly string[] | null = null): Generator<TracedPath> {
    this.fresh();
    return pathsInOrder(this.walks, item, kind, after);
  }

  // ---- subgraphs: unions of the nodes and rows of valid paths -------------------------------------------------

  /** The union of all valid paths to `item` (of the given kinds), and the factories where their labor was done. */
  subgraph(item: string, kinds: readonly PathKind[] = ['direct', 'possible']): Subgraph {
    this.fresh();
    return subgraphOf(this.walks, item, kinds);
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
    return subgraphThrough(this.graph, this.walks, through, without.walks, kinds);
  }

  /** The latest day the goods could have been made (days since epoch), or null. */
  get asOf(): number | null {
    return this.options.asOf;
  }

  /** This engine's counting, as path numbering and subgraph marking read it (walks.ts). */
  private get walks(): CountedWalks {
    return (this.walksView ??= {
      work: this.work,
      start: this.start,
      isSource: (id) => this.isSource(id),
      present: (id) => this.present(id),
      itemCounts: (item) => this.itemCounts(item),
      presentChildren: (item) => this.presentChildren(item),
      prefixStarts: (item, kind) => this.prefixStarts(item, kind),
      prefixStartCount: (kind, from, chain) => this.prefixStartCount(kind, from, chain),
      prefixCounts: (item, kind) => this.prefixCounts(item, kind),
      chainCount: (factory, chain, visited, entry) => this.chainCount(factory, chain, visited, entry),
      subcontractSteps: (factory, chain, visited) => this.subcontractSteps(factory, chain, visited),
      segmentCounts: (factory, chain) => this.segmentCounts(factory, chain),
      employmentSteps: (factory, p) => this.employmentSteps(factory, p),
      supplySteps: (factory, p) => this.supplySteps(factory, p),
      agencyCount: (agency, factory, p, visited, entry) => this.agencyCount(agency, factory, p, visited, entry),
      recruitSteps: (agency, factory, p) => this.recruitSteps(agency, factory, p),
      dispatchSteps: (agency, p, visited) => this.dispatchSteps(agency, p, visited),
      companyCount: (company, chain, visited, entry) => this.companyCount(company, chain, visited, entry),
      operatedFactories: (company) => this.operatedFactories(company),
      supplierSteps: (company, chain, visited) => this.supplierSteps(company, chain, visited),
      visitedKey: (node, kind, visited) => this.visitedKey(node, kind, visited),
    });
  }
}

/** The relationship type each kind's walks follow, and whose components they are counted in. */
const WALK_TYPE: Record<WalkKind, RelType> = { Factory: 'SUBCONTRACTOR_OF', Company: 'SUPPLIES', LaborAgency: 'DISPATCHES_TO' };

/** The most walk states one small component's subset memo keeps during one public call (about 150 MB). */
const SUBSET_MEMO_ENTRIES = 1_000_000;

/** The members of a component on the walk, as bits at their positions. */
function visitedMask(shape: ComponentShape, visited: ReadonlySet<string>): number {
  let mask = 0;
  const { members } = shape;
  for (let i = 0; i < members.length; i++) if (visited.has(members[i])) mask |= 1 << i;
  return mask >>> 0;
}
