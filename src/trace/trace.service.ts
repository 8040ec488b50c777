import type { Neo4jClient } from '../db/neo4j-client';
import { GraphSnapshotCache, type Snapshot } from './graph-snapshot';
import { SnapshotFile } from './snapshot-file';
import { HistoryService } from '../changes/history.service';
import { dayOf } from './engine/interval';
import type { TaintGraph } from './engine/taint-graph';
import { loadItemRegionAt, versionTag } from './taint-graph.loader';
import { requestMaxStepsSetting, traceMaxStepsSetting } from '../config';
import { ReachMemo, reachableExposure } from './engine/exposure';
import { exactItem, exposureOf, type ItemCounts, type PathKind } from './engine/counts';
import type { Subgraph } from './engine/subgraph-marker';
import type { TracedPath } from './engine/path-numbering';
import { TraceEngine } from './engine/trace.engine';
import { TraceTooComplexError, WorkBudget } from './engine/work-budget';
import { causesOf, exposureDifferences, rebuttalTargets, type ExposureDifference, type ExposureState } from './exposure-changes';

export type Exposure = 'DIRECT' | 'POSSIBLE' | 'NONE';

export type CountStatus = 'EXACT' | 'TOO_COMPLEX';

/**
 * An item's counts when they fit the work budget; otherwise null counts, status TOO_COMPLEX and the exposure by
 * reachability, which is exact whatever the cycles (API-CORE.md: exposure is always exact, counts never estimated).
 */
export function countOrReach(
  graph: TaintGraph, engine: TraceEngine, itemId: string, reach?: ReachMemo,
): { counts: ItemCounts | null; countStatus: CountStatus; exposure: Exposure } {
  try {
    const counts = engine.withBudget(engine.work.forItem()).counts(itemId);
    return { counts, countStatus: 'EXACT', exposure: exposureOf(counts) };
  } catch (e) {
    if (!(e instanceof TraceTooComplexError)) throw e;
    return { counts: null, countStatus: 'TOO_COMPLEX', exposure: reachableExposure(graph, itemId, engine.asOf, reach) };
  }
}

/**
 * The snapshot a result was counted on was patched by a change set before the request asked for its paths or
 * subgraph: answering from the new graph would mix two versions in one answer (counts from one, paths from another).
 */
export class GraphChangedError extends Error {
  constructor() {
    super('the graph changed while this request was being answered (a change set was recorded); ask again');
  }
}

/** One traced item: its counts, its paths by number, its subgraph. */
export class TraceResult {
  /** Null when counting exceeded the work budget (countStatus TOO_COMPLEX). */
  readonly counts: ItemCounts | null;
  readonly countStatus: CountStatus;
  readonly exposure: Exposure;

  /** The graph's version when counted: a snapshot patched since then refuses to answer further from this result. */
  private readonly graphVersion: number;

  /**
   * @param versionTag the graph version the result answers for (versionTag(), or `recorded.<seq>` at a knowledge
   *   time): what its path cursors carry.
   */
  /** Set when traced as recorded at a knowledge time: the change set it was recorded up to. */
  recordedSeq?: number;

  constructor(readonly itemId: string, readonly graph: TaintGraph, readonly engine: TraceEngine, readonly versionTag = '') {
    this.graphVersion = graph.version;
    ({ counts: this.counts, countStatus: this.countStatus, exposure: this.exposure } = countOrReach(graph, engine, itemId));
  }

  private current(): void {
    if (this.graph.version !== this.graphVersion) throw new GraphChangedError();
  }

  /** The number of paths of a kind; TraceTooComplexError when they could not be counted. */
  total(kind: PathKind): bigint {
    if (!this.counts) throw new TraceTooComplexError(this.engine.work.maxSteps);
    return this.counts[kind].all;
  }

  path(kind: PathKind, index: bigint) {
    this.current();
    return this.engine.pathAt(this.itemId, kind, index);
  }

  /**
   * Up to `n` paths of a kind after the path whose node ids are `after` (or after the first `skip` paths), walked
   * one by one without counts: how the paths of a TOO_COMPLEX item are listed, in numbering order. `more`: a path
   * follows the last one returned.
   */
  listPaths(kind: PathKind, n: number, after: readonly string[] | null, skip = 0n): { paths: TracedPath[]; more: boolean } {
    this.current();
    const paths: TracedPath[] = [];
    let skipped = 0n;
    for (const p of this.engine.listPaths(this.itemId, kind, after)) {
      if (skipped < skip) {
        skipped++;
        continue;
      }
      if (paths.length === n) return { paths, more: true }; // leaving the loop closes the walk
      paths.push(p);
    }
    return { paths, more: false };
  }

  subgraph(kinds?: readonly PathKind[]): Subgraph {
    this.current();
    return this.engine.subgraph(this.itemId, kinds);
  }

  private facts?: LaborFacts;

  /** The distinct sources and sites behind the direct paths (computed once, on first use). */
  laborFacts(): LaborFacts {
    if (!this.facts) this.current();
    this.facts ??= this.engine.laborFacts(this.itemId);
    return this.facts;
  }
}

export interface LaborFacts {
  sources: string[];
  sites: string[];
}

export interface ScreenRow {
  itemId: string;
  /** Set when screened as recorded at a knowledge time: the change set it was recorded up to. */
  recordedSeq?: number;
  counts: ItemCounts | null;
  countStatus: CountStatus;
  exposure: Exposure;
  /** The engine that counted the row, for what is computed only on request (sources and sites). */
  engine: TraceEngine;
}

export interface ShipmentDates {
  entryDate: string | null;
  producedTo: string | null;
}

/** A shipment is traced as its item with asOf = the end of its production window, else its entry date. */
export function shipmentAsOf(s: ShipmentDates): string | null {
  return s.producedTo ?? s.entryDate ?? null;
}

export interface ShipmentScreenRow {
  shipmentId: string;
  itemId: string;
  entryDate: string;
  counts: ItemCounts | null;
  countStatus: CountStatus;
  exposure: Exposure;
  engine: TraceEngine;
}

export interface ImpactRow {
  itemId: string;
  /** Paths to the item that pass through the node (for a company: or through a factory it operates). */
  direct: bigint;
  possible: bigint;
  /** Those not rebutted. */
  openDirect: bigint;
  openPossible: bigint;
}

interface KnownAt {
  seq: number;
  epoch: string | null;
  /** No change set was committed after `seq`: the current graph is the graph as recorded then. */
  latest: boolean;
}

const asOfDay = (asOf: string | null | undefined) => (asOf ? dayOf(asOf) : null);

/**
 * The tracing use cases, over the graph in Neo4j.
 *
 * Work budget: every use case takes the request's WorkBudget (newBudget(), made once per request by the caller);
 * without one it makes its own. All the engine work of the call and of what its result computes later (paths,
 * subgraphs, sources and sites of screen rows, impact subgraphs) draws on that one budget.
 */
export class TraceService {
  readonly snapshots: GraphSnapshotCache;
  readonly history: HistoryService;
  /** Taint graphs as recorded at past knowledge times, by store epoch and change set number (the log below a change set never changes). */
  private readonly recorded = new Map<string, Snapshot>();

  constructor(
    private readonly client: Neo4jClient,
    snapshotMaxRows?: number,
    private readonly maxSteps: number = traceMaxStepsSetting(),
    private readonly requestMaxSteps: number = requestMaxStepsSetting(),
    /** LABORTRACE_SNAPSHOT_DIR: where the whole-graph snapshot is saved and read first; null: never saved. */
    snapshotDir: string | null = null,
  ) {
    this.history = new HistoryService(client);
    this.snapshots = new GraphSnapshotCache(client, snapshotMaxRows, this.history, snapshotDir === null ? undefined : new SnapshotFile(snapshotDir));
  }

  /**
   * The graph as recorded at `knownAtMs` (CHANGES.md, "Knowledge time"), or null when that is the current graph (no
   * knownAt, or no change set after it): queries without knownAt never pay for it.
   */
  async recordedSnapshot(knownAtMs: number | null | undefined): Promise<Snapshot | null> {
    const at = await this.knownAt(knownAtMs);
    return at && !at.latest ? this.recordedAt(at) : null;
  }

  private async recordedAt(at: KnownAt): Promise<Snapshot> {
    const key = `${at.epoch}:${at.seq}`;
    let snap = this.recorded.get(key);
    if (!snap) {
      const graph = (await this.history.recordedGraph(at.seq, at.epoch)).taintGraph();
      // the same version tag as the live graph had at that change set: a cursor stays valid once the graph moves on
      snap = { token: `recorded:${at.seq}`, recordedSeq: at.seq, tag: versionTag({ version: at.seq, epoch: at.epoch }), graph, engines: new Map(), loadedAt: Date.now() };
      if (this.recorded.size >= 4) this.recorded.delete(this.recorded.keys().next().value!);
      this.recorded.set(key, snap);
    }
    return snap;
  }

  /** The change set in force at knownAt, or null when that is the current graph (no knownAt, or nothing after it). */
  async recordedSeq(knownAtMs: number | null | undefined): Promise<number | null> {
    const at = await this.knownAt(knownAtMs);
    return at && !at.latest ? at.seq : null;
  }

  /** The settled change set in force at knownAt (HistoryService.settledSeqAt), and whether it is the latest. */
  private async knownAt(knownAtMs: number | null | undefined): Promise<KnownAt | null> {
    if (knownAtMs === null || knownAtMs === undefined) return null;
    const { seq, latest } = await this.history.settledSeqAt(knownAtMs);
    return { seq, epoch: latest.epoch, latest: seq >= latest.version };
  }

  /**
   * The graph to answer from: as recorded at knownAt, or `live` (the current snapshot) — unless a change set landed
   * after knownAt's last one while the live snapshot was fetched, which would put a later change into the answer.
   */
  private async graphAt(knownAtMs: number | null | undefined, live: () => Promise<Snapshot | null>): Promise<Snapshot | null> {
    const at = await this.knownAt(knownAtMs);
    if (at && !at.latest) return this.recordedAt(at);
    const snap = await live();
    return at && snap && snap.version !== at.seq ? this.recordedAt(at) : snap;
  }

  /** The whole graph to screen or walk: as recorded at knownAt, else the current snapshot. */
  private async wholeGraph(knownAtMs: number | null | undefined): Promise<Snapshot> {
    return (await this.graphAt(knownAtMs, () => this.snapshots.fresh()))!;
  }

  /** A fresh budget for one request: LABORTRACE_REQUEST_MAX_STEPS in all, LABORTRACE_TRACE_MAX_STEPS per item. */
  newBudget(): WorkBudget {
    return new WorkBudget(Math.max(this.requestMaxSteps, this.maxSteps), this.maxSteps);
  }

  /**
   * Null when the item does not exist. Served from the whole-graph snapshot when it is current (and the engine's
   * memoized counts), otherwise from the item's region, read in one transaction.
   */
  async trace(itemId: string, asOf?: string | null, budget: WorkBudget = this.newBudget(), knownAtMs?: number | null): Promise<TraceResult | null> {
    const snap = await this.graphAt(knownAtMs, () => this.snapshots.ifCurrent());
    if (snap) {
      const kind = snap.graph.kindOf(itemId);
      if (kind !== 'Product' && kind !== 'Component') return null;
      const result = new TraceResult(itemId, snap.graph, this.snapshots.engine(snap, asOfDay(asOf)).withBudget(budget), snap.tag ?? versionTag(snap));
      result.recordedSeq = snap.recordedSeq;
      return result;
    }
    const region = await loadItemRegionAt(this.client, itemId);
    if (!region) return null;
    if (knownAtMs !== null && knownAtMs !== undefined && region.at.version > (await this.knownAt(knownAtMs))!.seq) {
      return this.trace(itemId, asOf, budget, knownAtMs); // a change set landed after knownAt meanwhile: the recorded graph answers
    }
    return new TraceResult(itemId, region.graph, new TraceEngine(region.graph, { asOf: asOfDay(asOf), budget }), versionTag(region.at));
  }

  /**
   * Shipments entered in [from, to] (days; null bounds are open) whose exposure is not NONE, in entry-date order,
   * each traced as its item with asOf = its production window's end, else its entry date (shipmentAsOf).
   */
  async screenShipments(from?: string | null, to?: string | null, budget: WorkBudget = this.newBudget()): Promise<ShipmentScreenRow[]> {
    const shipments = await this.client.read<ShipmentDates & { id: string; itemId: string }>(
      'trace/shipments-entered', { from: from ?? null, to: to ?? null },
    );
    if (shipments.length === 0) return [];
    const snap = await this.snapshots.fresh();
    const rows: ShipmentScreenRow[] = [];
    const reach = new ReachMemo(snap.graph); // what a walk settles holds whatever the asOf
    for (const s of shipments) {
      const engine = this.snapshots.engine(snap, asOfDay(shipmentAsOf(s))).withBudget(budget);
      const row = countOrReach(snap.graph, engine, s.itemId, reach);
      if (row.exposure !== 'NONE') rows.push({ shipmentId: s.id, itemId: s.itemId, entryDate: s.entryDate!, ...row, engine });
    }
    return rows;
  }

  /** Every Product with exposure other than NONE, in id order: one pass over the whole-graph snapshot. */
  async screen(asOf?: string | null, budget: WorkBudget = this.newBudget(), knownAtMs?: number | null): Promise<ScreenRow[]> {
    const snap = await this.wholeGraph(knownAtMs);
    const rows = screenGraph(snap.graph, this.snapshots.engine(snap, asOfDay(asOf)).withBudget(budget));
    if (snap.recordedSeq !== undefined) for (const r of rows) r.recordedSeq = snap.recordedSeq;
    return rows;
  }

  /**
   * Re-screening (LISTS.md): the products whose exposure or counts differ between the graph known at `sinceMs` and
   * now, for one asOf, each with the change sets in between that touched what its paths can pass through.
   */
  async exposureChanges(sinceMs: number, asOf?: string | null, budget: WorkBudget = this.newBudget()): Promise<(ExposureDifference & { causes: number[]; sinceSeq?: number })[]> {
    const now = await this.snapshots.fresh();
    const then = await this.wholeGraph(sinceMs);
    if (then === now || now.version === undefined) return [];
    const screened = (snap: Snapshot) => new Map(screenGraph(snap.graph, this.snapshots.engine(snap, asOfDay(asOf)).withBudget(budget)).map((r) => [r.itemId, exposureState(r)]));
    const differences = exposureDifferences(screened(then), screened(now));
    if (differences.length === 0) return [];
    const entries = (await this.history.logBetween(then.recordedSeq ?? now.version, now.version, Number.MAX_SAFE_INTEGER)) ?? [];
    const rebutted = rebuttalTargets([then.graph, now.graph], entries);
    return differences.map((d) => ({ ...d, causes: causesOf(d.itemId, then.graph, now.graph, entries, rebutted), sinceSeq: then.recordedSeq }));
  }

  /**
   * Products (and the other items) whose paths pass through a node: paths through N are all paths minus the
   * paths of the graph without N, both counted exactly. Null when the node does not exist.
   */
  async impact(nodeId: string, asOf?: string | null, budget: WorkBudget = this.newBudget(), knownAtMs?: number | null): Promise<ImpactResult | null> {
    const snap = await this.wholeGraph(knownAtMs);
    const { graph } = snap;
    const engine = this.snapshots.engine(snap, asOfDay(asOf)).withBudget(budget);
    if (!graph.nodes.has(nodeId)) return null;
    const through = impactExclusion(graph, nodeId);
    const without = new TraceEngine(graph, { asOf: asOfDay(asOf), excluded: through, budget });
    return { graph, recordedSeq: snap.recordedSeq, rows: impactRows(graph, engine, without), through, without, engine };
  }
}

/**
 * Every product's counts, all drawing on `engine`'s budget (one budget for the whole screen, not one per product).
 * A product whose counting the budget cannot cover is TOO_COMPLEX, its exposure found by reachability: once the
 * budget is spent, every product not counted yet is.
 */
function exposureState(r: ScreenRow): ExposureState {
  return {
    exposure: r.exposure, pathCount: r.counts?.direct.all ?? null, possiblePathCount: r.counts?.possible.all ?? null,
    openPathCount: r.counts?.direct.open ?? null,
  };
}

export function screenGraph(graph: TaintGraph, engine: TraceEngine): ScreenRow[] {
  const rows: ScreenRow[] = [];
  const reach = new ReachMemo(graph); // items beyond the budget share their reachability walks
  const table = engine.itemTable();
  for (const n of graph.nodes.values()) {
    if (n.kind !== 'Product') continue;
    const tallied = table === null || graph.hasScopedRebuttals(n.id) ? undefined : table.get(n.id);
    let row: ReturnType<typeof countOrReach>;
    if (tallied === undefined) row = countOrReach(graph, engine, n.id, reach);
    else if (tallied === 'TOO_COMPLEX') row = { counts: null, countStatus: 'TOO_COMPLEX', exposure: reachableExposure(graph, n.id, engine.asOf, reach) };
    else if (exposureOf(tallied) === 'NONE') continue;
    else row = { counts: exactItem(tallied), countStatus: 'EXACT', exposure: exposureOf(tallied) };
    if (row.exposure !== 'NONE') rows.push({ itemId: n.id, ...row, engine });
  }
  return rows.sort((a, b) => (a.itemId < b.itemId ? -1 : a.itemId > b.itemId ? 1 : 0));
}

export interface ImpactResult {
  graph: TaintGraph;
  /** Set when computed as recorded at a knowledge time. */
  recordedSeq?: number;
  rows: ImpactRow[];
  /** The nodes a path must pass through one of (impactExclusion). */
  through: ReadonlySet<string>;
  engine: TraceEngine;
  /** An engine over the same graph without `through`. */
  without: TraceEngine;
}

/**
 * What a path must pass through to count for the impact of a node: the node itself, and for a company the
 * factories it operates too (its own plants: TRACE-SEMANTICS.md, "Results").
 */
export function impactExclusion(graph: TaintGraph, nodeId: string): Set<string> {
  const through = new Set([nodeId]);
  if (graph.kindOf(nodeId) === 'Company') for (const op of graph.outOf(nodeId, 'OPERATES')) through.add(op.target);
  return through;
}

export function impactRows(graph: TaintGraph, engine: TraceEngine, without: TraceEngine): ImpactRow[] {
  const rows: ImpactRow[] = [];
  for (const n of graph.nodes.values()) {
    if (n.kind !== 'Product' && n.kind !== 'Component') continue;
    const all = engine.counts(n.id);
    const rest = without.counts(n.id);
    const direct = all.direct.all - rest.direct.all;
    const possible = all.possible.all - rest.possible.all;
    if (direct > 0n || possible > 0n) {
      rows.push({
        itemId: n.id, direct, possible,
        openDirect: all.direct.open - rest.direct.open, openPossible: all.possible.open - rest.possible.open,
      });
    }
  }
  return rows.sort((a, b) => (a.itemId < b.itemId ? -1 : a.itemId > b.itemId ? 1 : 0));
}
