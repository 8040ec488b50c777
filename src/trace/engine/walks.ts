// The narrow interface through which path numbering and subgraph marking read an engine: see docs/engine.md.
import type { Counts, ItemTally, Pair, PathKind } from './counts';
import type { Antichain } from './interval';
import type { Hop } from './taint-graph';
import type { WorkBudget } from './work-budget';

/** Where a prefix ends at an item: a production (direct) or sourcing (possible) hop, and the walk's antichain after it. */
export interface PrefixStart { hop: Hop; from: string; chain: Antichain }
/** An employment hop into a factory, or a recruitment hop into an agency, from a source worker. */
export interface WorkerStep { hop: Hop; worker: string; next: Pair }
/** A labor supply hop into a factory. */
export interface SupplyStep { hop: Hop; agency: string; next: Pair }
/** A dispatch hop into an agency; `entry`: it enters another strongly connected component. */
export interface DispatchStep { hop: Hop; from: string; next: Pair; entry: boolean }
/** A subcontract hop into a factory; `entry` as above. */
export interface SubcontractStep { hop: Hop; sub: string; next: Antichain; entry: boolean }
/** A supply hop into a company; `entry` as above. */
export interface SupplierStep { hop: Hop; supplier: string; next: Antichain; entry: boolean }

/** The kinds of node whose walks stay simple inside strongly connected components (chain, company, agency walks). */
export type WalkKind = 'Factory' | 'Company' | 'LaborAgency';

/**
 * One engine's walks back from an item towards the sources, as path numbering (path-numbering.ts) and subgraph
 * marking (subgraph-marker.ts, impact.ts) read them: the count at each walk state, and the steps out of it in
 * numbering order. A TraceEngine hands out a view of its own counting through this interface (the counting methods
 * themselves stay private). Its counts draw on the engine's budget and memo; the caller has brought the memo up to
 * date (the engine's public methods do).
 */
export interface CountedWalks {
  /** The budget the walks draw on, and whose depth limit they keep (within). */
  readonly work: WorkBudget;
  /** The antichain every walk starts with: (-∞, asOf]. */
  readonly start: Antichain;
  isSource(id: string): boolean;
  /** Not excluded, and reached by some source's taint. */
  present(id: string): boolean;
  /** The counts of the paths ending at an item, open counts judged for the engine's scope. */
  itemCounts(item: string): ItemTally;
  /** An item's bill-of-materials hops (from its parts) that walks may take. */
  presentChildren(item: string): readonly Hop[];
  prefixStarts(item: string, kind: PathKind): Iterable<PrefixStart>;
  prefixStartCount(kind: PathKind, from: string, chain: Antichain): Counts;
  prefixCounts(item: string, kind: PathKind): Counts;
  chainCount(factory: string, chain: Antichain, visited: Set<string>, entry: boolean): Counts;
  subcontractSteps(factory: string, chain: Antichain, visited: Set<string>): Iterable<SubcontractStep>;
  segmentCounts(factory: string, chain: Antichain): Counts;
  employmentSteps(factory: string, p: Pair): Iterable<WorkerStep>;
  supplySteps(factory: string, p: Pair): Iterable<SupplyStep>;
  agencyCount(agency: string, factory: string, p: Pair, visited: Set<string>, entry: boolean): Counts;
  recruitSteps(agency: string, factory: string, p: Pair): Iterable<WorkerStep>;
  dispatchSteps(agency: string, p: Pair, visited: Set<string>): Iterable<DispatchStep>;
  companyCount(company: string, chain: Antichain, visited: Set<string>, entry: boolean): Counts;
  operatedFactories(company: string): Hop[];
  supplierSteps(company: string, chain: Antichain, visited: Set<string>): Iterable<SupplierStep>;
  /**
   * What, beyond the node and its antichain or pair, the paths from a walk state inside a component depend on: the
   * component's visited members when it is small enough to key states by them (docs/engine.md, "Large and small
   * components"); '' when not (the state is then told apart by the walk itself).
   */
  visitedKey(node: string, kind: WalkKind, visited: ReadonlySet<string>): string;
}

/**
 * Runs `work` with `id` on the walk (a simple path visits each node once), one hop deeper on `budget`'s depth limit
 * (MAX_WALK_DEPTH).
 */
export function within<T>(budget: WorkBudget, visited: Set<string>, id: string, work: () => T): T {
  budget.enter();
  visited.add(id);
  try {
    return work();
  } finally {
    visited.delete(id);
    budget.leave();
  }
}

/** `within` for a walk that yields as it goes (path-listing.ts): `id` stays on the walk until the generator is closed. */
export function* withinEach<T>(budget: WorkBudget, visited: Set<string>, id: string, work: () => Generator<T>): Generator<T> {
  budget.enter();
  visited.add(id);
  try {
    yield* work();
  } finally {
    visited.delete(id);
    budget.leave();
  }
}
