import { DPRK, LABOR_REL_TYPES, REL_TYPES, TAINT_REL_TYPES, relationshipId, relationshipKey, type NodeKind, type RelType } from '../../model/graph-model';
import { dayOf, isoOf, type Interval } from './interval';

/** A node as tracing needs it. */
export interface TaintNode {
  id: string;
  kind: NodeKind;
  name: string | null;
  /** A KP worker, a DPRK-linked agency or a factory in the DPRK: a path may start here. */
  source: boolean;
}

/** What a row was given that its other fields do not already say (rare): a key, from/to texts, x_* columns. */
interface RowGiven {
  key?: string;
  from?: string;
  to?: string;
  extras?: Record<string, string>;
}

/**
 * One relationship (one dataset row, or rows merged as identical). A snapshot holds millions, so a row keeps only
 * what its other fields do not say: its natural key and its from/to texts are derived from type, ends, placement
 * and interval (they are kept, in `given`, only for a row whose key or dates say something else).
 */
export class TaintRow {
  constructor(
    /** The public, opaque relationship id (GraphRelationship.id). */
    readonly id: string,
    readonly type: RelType,
    readonly source: string,
    readonly target: string,
    readonly interval: Interval,
    /** Recruitment rows: the factory the worker was placed at through the agency; null: any it supplies. */
    readonly placement: string | null,
    readonly evidence: string[],
    /** An accepted rebuttal without an item scope: the row is rebutted on every path (labor rows). */
    public rebutted: boolean,
    /**
     * The items named by its accepted item-scoped rebuttals: the row is rebutted on the paths ending at one of them
     * (rebuttedAt); null when it has none.
     */
    public rebuttedFor: ReadonlySet<string> | null,
    /** The ids of its accepted rebuttals, scoped or not, for display. */
    public rebuttalIds: string[],
    private readonly given: RowGiven | null,
  ) {}

  /** The natural key: type, endpoints, placement, interval. Orders parallel rows. */
  get key(): string {
    return this.given?.key ?? relationshipKey(this.type, this.source, this.target, this.from, this.to, this.placement);
  }

  get from(): string | null {
    return this.given?.from ?? isoOf(this.interval.from);
  }

  get to(): string | null {
    return this.given?.to ?? isoOf(this.interval.to);
  }

  /** x_* columns of the row, when it has any. */
  get extras(): Record<string, string> | undefined {
    return this.given?.extras;
  }
}

/** All rows of one type between the same two nodes in the same direction: one hop of a node sequence. */
export interface Hop {
  type: RelType;
  source: string;
  target: string;
  /** In key order. */
  rows: TaintRow[];
  /** The rows' intervals, in the rows' order. */
  intervals: Interval[];
  /** Intervals of the rows no unscoped rebuttal rebuts; the same array as `intervals` while none is rebutted. */
  openIntervals: Interval[];
  /** Whether any row names a placement (recruitment), so that rows must be filtered by the segment's factory. */
  placed: boolean;
  /**
   * Labor hops with a row rebutted for some items only: per such item (in id order), the intervals of the rows open
   * on paths ending at it (rebutted neither everywhere nor for it). Null when no row has an item-scoped rebuttal,
   * which is the common case: tracing then reads `openIntervals` alone.
   */
  openFor: ReadonlyMap<string, Interval[]> | null;
}

export interface NodeRecordIn {
  id: string;
  kind: NodeKind;
  name?: string | null;
  nationality?: string | null;
  country?: string | null;
  dprkLinked?: boolean | null;
}

/** A labor agency a person confirmed to be an entry under a DPRK program (LISTS.md): a source, as if dprk_linked. */
const listedSource = (kind: NodeKind, confirmedBy: ReadonlySet<string> | undefined): boolean =>
  kind === 'LaborAgency' && confirmedBy !== undefined && confirmedBy.size > 0;

/**
 * An accepted rebuttal of a labor row (only accepted ones are ever passed in). With `itemIds` it holds only for
 * paths ending at those items (an empty list: for none); with null, for every path.
 */
export interface RebuttalIn {
  id: string;
  itemIds: readonly string[] | null;
}

export interface RowRecordIn {
  /** Defaults to the opaque id derived from the key. */
  id?: string | null;
  key: string;
  type: RelType;
  source: string;
  target: string;
  from?: string | null;
  to?: string | null;
  evidence?: string[] | null;
  /**
   * Its accepted rebuttals (null or empty: none). upsertRow: left out (undefined), a row that replaces one with the
   * same id keeps that row's rebuttals (they are set apart, by setRebuttals); null or a list replaces them.
   */
  rebuttals?: RebuttalIn[] | null;
  placement?: string | null;
  extras?: Record<string, string> | null;
}

export function isSource(n: NodeRecordIn): boolean {
  if (n.kind === 'Worker') return n.nationality === DPRK;
  if (n.kind === 'LaborAgency') return n.dprkLinked === true || n.country === DPRK;
  if (n.kind === 'Factory') return n.country === DPRK;
  return false;
}

/**
 * What patches changed since a graph version (TaintGraph.changesSince), for engines that keep the memoized counts a
 * change cannot affect (engine-memo.ts, "Keeping the memo across patches").
 */
export interface GraphChanges {
  /**
   * The nodes that read something that changed, when counting: the end a row's taint flows to (its target; an
   * OPERATES row's company, which reads the factories it operates) for every taint row added, removed, replaced or
   * re-rebutted, and every node added, removed, or whose source status or kind changed. The counts at these nodes,
   * and at the nodes downstream of them, may differ; no other count can.
   */
  dirty: ReadonlySet<string>;
  /** Per relationship type, both ends of every hop created or dropped: where strongly connected components may change. */
  hopEnds: ReadonlyMap<RelType, ReadonlySet<string>>;
}

/** The journal keeps this many entries at most; engines behind what it still has start afresh. */
export const JOURNAL_LIMIT = 100_000;

/** The node a row's taint flows to: the one whose counts read it (OPERATES is stored company -> factory). */
export const taintEnd = (type: RelType, source: string, target: string): string => (type === 'OPERATES' ? source : target);

/** Whether a row is rebutted on a path ending at `item`: an accepted rebuttal without scope, or one naming the item. */
export function rebuttedAt(row: TaintRow, item: string | null): boolean {
  return row.rebutted || (item !== null && row.rebuttedFor !== null && row.rebuttedFor.has(item));
}

/**
 * The part of the graph a trace reads, in memory, with hops indexed by their target (the way a trace walks:
 * from the item back towards the sources) and by their source. Hop lists are sorted by the far end's id,
 * which fixes the order in which paths are numbered; a hop's rows are sorted by key.
 *
 * Two ways to change it. Loading: addNode and addRow append, and the indexes are sorted once, when first read.
 * Patching (upsertNode, removeNode, upsertRow, removeRow, setRebuttals; taint-graph.patch.ts): each change is put
 * in place at its sorted position, at the cost of a few binary searches and array splices, so that a snapshot of
 * millions of rows stays current in milliseconds; the result is the graph a fresh load of the same data builds.
 * Every change bumps `version`. Patching also keeps a journal of what each change touched (changesSince), so that
 * an engine seeing a new version drops only the memoized counts the changes can affect; loading records nothing, and
 * an engine whose memo predates a load (or the journal's oldest entry) starts afresh.
 */
export class TaintGraph {
  readonly nodes = new Map<string, TaintNode>();
  /**
   * Per relationship type (indexed as REL_TYPES), each node's hop lists: plain arrays, as tracing reads them in its
   * innermost loops. One map per type rather than a per-node array of types: a node has hops of two or three types,
   * and a sparse per-node array cost more than the hops themselves.
   */
  private readonly hopsIn: Map<string, Hop[]>[] = REL_TYPES.map(() => new Map());
  private readonly hopsOut: Map<string, Hop[]>[] = REL_TYPES.map(() => new Map());
  /**
   * While loading (the lists unsorted): the hops of a long out-list by target, so that finding a row's hop never
   * scans a list of thousands; dropped once the lists are sorted (then a binary search finds a hop).
   */
  private readonly loadIndex = new Map<Hop[], Map<string, Hop>>();
  private readonly rowById = new Map<string, TaintRow>();
  /** Values many rows share, held once: intervals, one-interval lists, evidence lists of one id (interning). */
  private readonly shared = new SharedValues();
  /** Item -> the labor hops with a row rebutted for that item only (the hops whose openFor names it). */
  private readonly scoped = new Map<string, Set<Hop>>();
  private sorted = true;
  private changes = 0;
  /** The journal: per entry, the version of the change, a node id, and null (a dirty node) or a type (a hop's end). */
  private readonly journalVersion: number[] = [];
  private readonly journalId: string[] = [];
  private readonly journalType: (RelType | null)[] = [];
  /** The journal says nothing about changes up to this version (loading, or entries dropped beyond JOURNAL_LIMIT). */
  private journalFloor = 0;
  /** The nodes a source's taint can reach (taintReachable); null until asked, and after loading. */
  private reach: Set<string> | null = null;
  /** Agency id -> the confirmed DPRK list matches that make it a source (setListedDprk); kept apart from its row. */
  private readonly listedBy = new Map<string, Set<string>>();
  /** The source status of listed agencies as their rows alone say, to fall back to when the last match goes. */
  private readonly rowSource = new Map<string, boolean>();

  /** Bumped by every change: what an engine's memo was computed on. */
  get version(): number {
    return this.changes;
  }

  /**
   * What the changes after `version` touched (GraphChanges), or null when the journal cannot say: `version` predates
   * a loading call (addNode, addRow) or the oldest entry it keeps.
   */
  changesSince(version: number): GraphChanges | null {
    if (version < this.journalFloor || version > this.changes) return null;
    const dirty = new Set<string>();
    const hopEnds = new Map<RelType, Set<string>>();
    let lo = 0;
    let hi = this.journalVersion.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.journalVersion[mid] <= version) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo; i < this.journalVersion.length; i++) {
      const type = this.journalType[i];
      if (type === null) dirty.add(this.journalId[i]);
      else {
        let ends = hopEnds.get(type);
        if (!ends) hopEnds.set(type, (ends = new Set()));
        ends.add(this.journalId[i]);
      }
    }
    return { dirty, hopEnds };
  }

  /**
   * Whether a source's taint can reach `id` along the relationships in the direction taint flows (taintEnd), whatever
   * their intervals and rebuttals: a node outside this set is on no path, so counting skips it and an item outside it
   * is NONE at once, however large the cycles behind it. Computed once (linear); patches only ever grow it: a row or
   * a source added spreads it, and a removal leaves it a superset, which is still exact to prune with.
   */
  taintReachable(id: string): boolean {
    if (this.reach === null) {
      this.reach = new Set();
      for (const n of this.nodes.values()) if (n.source) this.spreadTaint(n.id);
    }
    return this.reach.has(id);
  }

  private spreadTaint(from: string): void {
    const reach = this.reach!;
    if (reach.has(from)) return;
    reach.add(from);
    const stack = [from];
    while (stack.length > 0) {
      const id = stack.pop()!;
      for (const t of FORWARD_TAINT_TYPES) {
        const hops = this.hopsOut[t].get(id);
        if (hops) for (const h of hops) if (!reach.has(h.target)) reach.add(h.target), stack.push(h.target);
      }
      // taint flows from a factory to the company operating it
      for (const h of this.into(id, 'OPERATES')) if (!reach.has(h.source)) reach.add(h.source), stack.push(h.source);
    }
  }

  private note(id: string, type: RelType | null): void {
    this.journalVersion.push(this.changes);
    this.journalId.push(id);
    this.journalType.push(type);
    if (this.journalVersion.length > JOURNAL_LIMIT) {
      const drop = this.journalVersion.length >> 1;
      this.journalFloor = Math.max(this.journalFloor, this.journalVersion[drop - 1]);
      this.journalVersion.splice(0, drop);
      this.journalId.splice(0, drop);
      this.journalType.splice(0, drop);
    }
  }

  /** A row of a hop was added, removed or changed: its taint end reads it. */
  private noteRow(type: RelType, source: string, target: string): void {
    if (TAINT_REL_TYPES.has(type)) this.note(taintEnd(type, source, target), null);
  }

  /** A hop was created or dropped. */
  private noteHop(hop: Hop): void {
    this.note(hop.source, hop.type);
    if (hop.target !== hop.source) this.note(hop.target, hop.type);
  }

  /** Loading: adds a node or replaces the one with its id. Not journaled (see changesSince). */
  addNode(n: NodeRecordIn): void {
    this.changes++;
    this.journalFloor = this.changes;
    this.reach = null;
    this.nodes.set(n.id, { id: n.id, kind: n.kind, name: n.name ?? null, source: this.sourceOf(n) });
  }

  /** Whether a node is a source: by its row, or (an agency) by a confirmed DPRK list match. */
  private sourceOf(n: NodeRecordIn): boolean {
    const own = isSource(n);
    const listed = this.listedBy.get(n.id);
    if (listed === undefined) return own;
    this.rowSource.set(n.id, own);
    return own || listedSource(n.kind, listed);
  }

  /**
   * A list match of an agency under a DPRK program, confirmed (true) or no longer (false): the agency is a source
   * while any confirmed match names it (LISTS.md). Matches may arrive before the node (loading); they wait for it.
   */
  setListedDprk(entityId: string, matchId: string, confirmed: boolean): void {
    this.changes++;
    let set = this.listedBy.get(entityId);
    if (confirmed) {
      if (!set) this.listedBy.set(entityId, (set = new Set()));
      set.add(matchId);
    } else {
      set?.delete(matchId);
    }
    const node = this.nodes.get(entityId);
    if (!node) return;
    if (!this.rowSource.has(entityId)) this.rowSource.set(entityId, node.source);
    const source = this.rowSource.get(entityId)! || listedSource(node.kind, set);
    if (set?.size === 0) {
      this.listedBy.delete(entityId);
      this.rowSource.delete(entityId);
    }
    if (source === node.source) return;
    this.nodes.set(entityId, { ...node, source });
    this.note(entityId, null);
    if (source && this.reach !== null) this.spreadTaint(entityId);
  }

  /**
   * Loading: appends a row (a row whose key its hop already has is ignored: the first one wins). The indexes are
   * sorted when next read.
   */
  addRow(r: RowRecordIn): void {
    this.changes++;
    this.journalFloor = this.changes;
    this.reach = null;
    const hop = this.hopFor(r.type, r.source, r.target, false);
    this.sorted = false;
    if (hop.rows.length > 0 && hop.rows.some((x) => x.key === r.key)) return;
    const row = this.makeRow(r, hop, rebuttalState(r.rebuttals));
    hop.rows.push(row);
    this.rowById.set(row.id, row);
    if (row.placement !== null) hop.placed = true;
    if (row.rebutted || row.rebuttedFor !== null || hop.openFor !== null || hop.openIntervals !== hop.intervals) {
      this.refreshHop(hop);
    } else {
      // one-interval lists are shared between hops: a second row gets the hop a list of its own
      const n = hop.intervals.length;
      if (n === 0) hop.intervals = this.shared.one(row.interval);
      else if (n === 1) hop.intervals = [hop.intervals[0], row.interval];
      else hop.intervals.push(row.interval);
      hop.openIntervals = hop.intervals;
    }
  }

  /** Adds a node or replaces the one with its id (its rows stay). */
  upsertNode(n: NodeRecordIn): void {
    this.changes++;
    const old = this.nodes.get(n.id);
    const node: TaintNode = { id: n.id, kind: n.kind, name: n.name ?? null, source: this.sourceOf(n) };
    this.nodes.set(n.id, node);
    if (!old || old.source !== node.source || old.kind !== node.kind) this.note(n.id, null);
    if (node.source && this.reach !== null) this.spreadTaint(n.id);
  }

  /** Removes a node and every row to or from it; false when there was no such node nor row. */
  removeNode(id: string): boolean {
    this.ready();
    this.changes++;
    this.note(id, null);
    const hops = new Set<Hop>();
    for (const index of [...this.hopsIn, ...this.hopsOut]) index.get(id)?.forEach((h) => hops.add(h));
    for (const hop of hops) {
      this.noteRow(hop.type, hop.source, hop.target);
      for (const row of hop.rows) if (this.rowById.get(row.id) === row) this.rowById.delete(row.id);
      hop.rows = [];
      this.dropHop(hop);
    }
    return this.nodes.delete(id) || hops.size > 0;
  }

  /**
   * Adds a row, or replaces the row with the same id wherever it was (its key, interval, placement, evidence and
   * extras may have changed); a row of the same key under another id is replaced too (rows with the same key are
   * one row). `rebuttals` left out keeps the replaced row's. Puts the row and, when new, its hop at their sorted
   * positions.
   */
  upsertRow(r: RowRecordIn): void {
    this.ready();
    this.changes++;
    const id = r.id ?? relationshipId(r.key);
    const old = this.rowById.get(id);
    let state: RebuttalState | undefined;
    if (old) {
      if (r.rebuttals === undefined) state = { rebutted: old.rebutted, rebuttedFor: old.rebuttedFor, rebuttalIds: old.rebuttalIds };
      this.detach(old);
    }
    const hop = this.hopFor(r.type, r.source, r.target, true);
    this.noteRow(hop.type, hop.source, hop.target);
    const at = lowerBound(hop.rows, r.key, rowKey);
    if (at < hop.rows.length && hop.rows[at].key === r.key) {
      const clash = hop.rows[at];
      if (this.rowById.get(clash.id) === clash) this.rowById.delete(clash.id);
      hop.rows.splice(at, 1);
    }
    const row = this.makeRow({ ...r, id }, hop, state ?? rebuttalState(r.rebuttals));
    hop.rows.splice(at, 0, row);
    this.rowById.set(id, row);
    this.refreshHop(hop);
    if (this.reach !== null && TAINT_REL_TYPES.has(hop.type)) {
      const end = taintEnd(hop.type, hop.source, hop.target);
      if (this.reach.has(end === hop.source ? hop.target : hop.source)) this.spreadTaint(end);
    }
  }

  /** Removes a row by id, and its hop when it was the hop's last row; false when there is no such row. */
  removeRow(id: string): boolean {
    const row = this.rowById.get(id);
    if (!row) return false;
    this.ready();
    this.changes++;
    this.detach(row);
    return true;
  }

  /**
   * Replaces a row's accepted rebuttals (the loaders read them apart from the rows); false when there is no such row.
   * Keeps the hop's open intervals right.
   */
  setRebuttals(rowId: string, rebuttals: readonly RebuttalIn[]): boolean {
    const row = this.rowById.get(rowId);
    if (!row) return false;
    this.changes++;
    const s = rebuttalState(rebuttals);
    row.rebutted = s.rebutted;
    row.rebuttedFor = s.rebuttedFor;
    row.rebuttalIds = s.rebuttalIds.length > 0 ? s.rebuttalIds : NO_IDS;
    this.noteRow(row.type, row.source, row.target);
    this.refreshHop(this.findHop(row.type, row.source, row.target)!);
    return true;
  }

  /** The row with this id. */
  row(id: string): TaintRow | undefined {
    return this.rowById.get(id);
  }

  get rowCount(): number {
    return this.rowById.size;
  }

  /** Whether some labor row has an accepted rebuttal scoped to `item` (so its open counts are its own). */
  hasScopedRebuttals(item: string): boolean {
    return this.scoped.has(item);
  }

  /** The labor hops with a row rebutted for `item` only. */
  hopsScopedTo(item: string): ReadonlySet<Hop> {
    return this.scoped.get(item) ?? NO_HOPS;
  }

  /** The items some item-scoped rebuttal names, in id order. */
  scopedItems(): string[] {
    return [...this.scoped.keys()].sort(cmp);
  }

  /** The hop of a type from `source` to `target`, if there is one: found in the source's out-list of that type. */
  private findHop(type: RelType, source: string, target: string): Hop | undefined {
    const list = this.hopsOut[TYPE_INDEX[type]].get(source);
    if (!list) return undefined;
    if (this.sorted) {
      const at = lowerBound(list, target, hopTarget);
      return at < list.length && list[at].target === target ? list[at] : undefined;
    }
    if (list.length <= SCAN_MAX) return list.find((h) => h.target === target);
    let byTarget = this.loadIndex.get(list);
    if (!byTarget) this.loadIndex.set(list, (byTarget = new Map(list.map((h) => [h.target, h]))));
    return byTarget.get(target);
  }

  private hopFor(type: RelType, source: string, target: string, inPlace: boolean): Hop {
    let hop = this.findHop(type, source, target);
    if (!hop) {
      // the nodes' own id strings, so a large snapshot holds each id once
      const s = this.nodes.get(source)?.id ?? source;
      const t = this.nodes.get(target)?.id ?? target;
      hop = { type, source: s, target: t, rows: [], intervals: NO_INTERVALS, openIntervals: NO_INTERVALS, placed: false, openFor: null };
      if (inPlace) this.noteHop(hop);
      addHop(this.hopsIn[TYPE_INDEX[type]], t, hop, inPlace ? hopSource : null);
      const out = addHop(this.hopsOut[TYPE_INDEX[type]], s, hop, inPlace ? hopTarget : null);
      if (!inPlace) this.loadIndex.get(out)?.set(t, hop);
    }
    return hop;
  }

  private makeRow(r: RowRecordIn, hop: Hop, s: RebuttalState): TaintRow {
    const from = r.from ?? null;
    const to = r.to ?? null;
    const iv = this.shared.interval(from ? dayOf(from) : -Infinity, to ? dayOf(to) : Infinity);
    const placement = r.placement ?? null;
    let given: RowGiven | null = null;
    // keep only what the row's other fields do not say (a key or dates in another form than the derived ones)
    if (from !== null && isoOf(iv.from) !== from) (given ??= {}).from = from;
    if (to !== null && isoOf(iv.to) !== to) (given ??= {}).to = to;
    if (r.key !== relationshipKey(hop.type, hop.source, hop.target, given?.from ?? isoOf(iv.from), given?.to ?? isoOf(iv.to), placement)) {
      (given ??= {}).key = r.key;
    }
    if (r.extras && Object.keys(r.extras).length > 0) (given ??= {}).extras = r.extras;
    return new TaintRow(
      r.id ?? relationshipId(r.key), hop.type, hop.source, hop.target, iv, placement, this.shared.evidence(r.evidence),
      s.rebutted, s.rebuttedFor, s.rebuttalIds.length > 0 ? s.rebuttalIds : NO_IDS, given,
    );
  }

  /** Takes a row out of its hop (sorted), dropping the hop when it was the last. */
  private detach(row: TaintRow): void {
    if (this.rowById.get(row.id) === row) this.rowById.delete(row.id);
    this.noteRow(row.type, row.source, row.target);
    const hop = this.findHop(row.type, row.source, row.target)!;
    let at = lowerBound(hop.rows, row.key, rowKey);
    if (hop.rows[at] !== row) at = hop.rows.indexOf(row);
    hop.rows.splice(at, 1);
    if (hop.rows.length === 0) this.dropHop(hop);
    else this.refreshHop(hop);
  }

  private dropHop(hop: Hop): void {
    this.noteHop(hop);
    const t = TYPE_INDEX[hop.type];
    this.loadIndex.get(this.hopsOut[t].get(hop.source) ?? NO_LIST)?.delete(hop.target);
    removeHop(this.hopsIn[t], hop.target, hop, hopSource);
    removeHop(this.hopsOut[t], hop.source, hop, hopTarget);
    if (hop.openFor !== null) {
      const before = hop.openFor;
      hop.openFor = null;
      this.reindex(hop, before);
    }
  }

  /** Recomputes what a hop derives from its rows (intervals, open intervals, placement, item-scoped intervals). */
  private refreshHop(hop: Hop): void {
    const rows = hop.rows;
    const intervals = rows.length === 1 ? this.shared.one(rows[0].interval) : new Array<Interval>(rows.length);
    let rebutted = false;
    let scoped = false;
    let placed = false;
    for (let i = 0; i < rows.length; i++) {
      const r = rows[i];
      if (rows.length !== 1) intervals[i] = r.interval;
      if (r.rebutted) rebutted = true;
      else if (r.rebuttedFor !== null) scoped = true;
      if (r.placement !== null) placed = true;
    }
    hop.intervals = intervals;
    hop.openIntervals = rebutted ? rows.filter((r) => !r.rebutted).map((r) => r.interval) : intervals;
    hop.placed = placed;
    const before = hop.openFor;
    hop.openFor = scoped && LABOR_REL_TYPES.has(hop.type) ? openForOf(rows) : null;
    if (before !== null || hop.openFor !== null) this.reindex(hop, before);
  }

  private reindex(hop: Hop, before: ReadonlyMap<string, Interval[]> | null): void {
    for (const item of before?.keys() ?? []) {
      if (hop.openFor?.has(item)) continue;
      const set = this.scoped.get(item);
      set?.delete(hop);
      if (set?.size === 0) this.scoped.delete(item);
    }
    for (const item of hop.openFor?.keys() ?? []) {
      let set = this.scoped.get(item);
      if (!set) this.scoped.set(item, (set = new Set()));
      set.add(hop);
    }
  }

  /** Patching works on sorted indexes: sorts them first if loading left them unsorted. */
  private ready(): void {
    if (!this.sorted) this.ensureSorted();
  }

  private ensureSorted(): void {
    if (this.sorted) return;
    for (const index of this.hopsIn) for (const hops of index.values()) if (hops.length > 1) hops.sort((a, b) => cmp(a.source, b.source));
    for (const index of this.hopsOut) for (const hops of index.values()) if (hops.length > 1) hops.sort((a, b) => cmp(a.target, b.target));
    for (const hop of this.hops()) {
      if (hop.rows.length > 1) {
        sortByKey(hop.rows);
        this.refreshHop(hop);
      }
    }
    this.loadIndex.clear();
    this.sorted = true;
  }

  /** Hops of a type ending at a node, ordered by their source id. */
  into(id: string, type: RelType): readonly Hop[] {
    if (!this.sorted) this.ensureSorted();
    return this.hopsIn[TYPE_INDEX[type]].get(id) ?? EMPTY;
  }

  /** Hops of a type leaving a node, ordered by their target id. */
  outOf(id: string, type: RelType): readonly Hop[] {
    if (!this.sorted) this.ensureSorted();
    return this.hopsOut[TYPE_INDEX[type]].get(id) ?? EMPTY;
  }

  /** Every hop, in no order. */
  private *hops(): Generator<Hop> {
    for (const index of this.hopsOut) for (const hops of index.values()) yield* hops;
  }

  /** Every row, in key order. */
  rows(): TaintRow[] {
    const all: TaintRow[] = [];
    for (const h of this.hops()) all.push(...h.rows);
    return sortByKey(all);
  }

  node(id: string): TaintNode | undefined {
    return this.nodes.get(id);
  }

  kindOf(id: string): NodeKind | undefined {
    return this.nodes.get(id)?.kind;
  }
}

interface RebuttalState {
  rebutted: boolean;
  rebuttedFor: ReadonlySet<string> | null;
  rebuttalIds: string[];
}

const NOT_REBUTTED: RebuttalState = { rebutted: false, rebuttedFor: null, rebuttalIds: [] };

function rebuttalState(list: readonly (RebuttalIn | string)[] | null | undefined): RebuttalState {
  if (!list || list.length === 0) return NOT_REBUTTED;
  let rebutted = false;
  let items: Set<string> | null = null;
  const ids: string[] = [];
  for (const x of list) {
    // a bare id: an unscoped rebuttal (what the trace statements returned before rebuttals had scopes)
    const r: RebuttalIn = typeof x === 'string' ? { id: x, itemIds: null } : x;
    ids.push(r.id);
    if (r.itemIds == null) rebutted = true;
    else for (const item of r.itemIds) (items ??= new Set()).add(item);
  }
  return { rebutted, rebuttedFor: items, rebuttalIds: ids };
}

/** Per item named by a scoped rebuttal of a row not rebutted everywhere: the intervals of the rows open for it. */
function openForOf(rows: readonly TaintRow[]): Map<string, Interval[]> {
  const items = new Set<string>();
  for (const r of rows) if (!r.rebutted && r.rebuttedFor !== null) r.rebuttedFor.forEach((i) => items.add(i));
  const out = new Map<string, Interval[]>();
  for (const item of [...items].sort(cmp)) out.set(item, rows.filter((r) => !rebuttedAt(r, item)).map((r) => r.interval));
  return out;
}

const EMPTY: readonly Hop[] = [];
const NO_LIST: Hop[] = [];
const NO_EVIDENCE: string[] = [];
const NO_INTERVALS: Interval[] = [];
/** Out-lists up to this long are scanned while loading; longer ones get an index by target (loadIndex). */
const SCAN_MAX = 8;

/** Sorts rows by key in place, deriving each key once. */
export function sortByKey(rows: TaintRow[]): TaintRow[] {
  if (rows.length < 2) return rows;
  const keys = new Map(rows.map((r) => [r, r.key]));
  return rows.sort((a, b) => cmp(keys.get(a)!, keys.get(b)!));
}

/**
 * Values that many rows of a graph share, each held once: the intervals (a catalogue repeats a few thousand date
 * pairs over millions of rows), the one-interval lists of single-row hops, and the evidence lists of one id. The
 * shared lists are never changed in place (TaintGraph copies a hop's list before it grows).
 */
class SharedValues {
  private readonly intervals = new Map<number, Map<number, Interval>>();
  private readonly ones = new Map<Interval, Interval[]>();
  private readonly evidenceLists = new Map<string, string[]>();

  interval(from: number, to: number): Interval {
    let byTo = this.intervals.get(from);
    if (!byTo) this.intervals.set(from, (byTo = new Map()));
    let iv = byTo.get(to);
    if (!iv) byTo.set(to, (iv = { from, to }));
    return iv;
  }

  one(iv: Interval): Interval[] {
    let list = this.ones.get(iv);
    if (!list) this.ones.set(iv, (list = [iv]));
    return list;
  }

  evidence(ids: string[] | null | undefined): string[] {
    if (!ids || ids.length === 0) return NO_EVIDENCE;
    if (ids.length > 1) return ids.map((id) => this.evidence([id])[0]);
    let list = this.evidenceLists.get(ids[0]);
    if (!list) this.evidenceLists.set(ids[0], (list = [ids[0]]));
    return list;
  }
}

/** Ids compare by code unit, the same order Neo4j's ORDER BY uses for strings. */
export function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

const TYPE_INDEX = Object.fromEntries(REL_TYPES.map((t, i) => [t, i])) as Record<RelType, number>;
/** The types (their positions in REL_TYPES) along which taint flows from source to target (OPERATES flows the other way: taintEnd). */
const FORWARD_TAINT_TYPES = REL_TYPES.filter((t) => TAINT_REL_TYPES.has(t) && t !== 'OPERATES').map((t) => TYPE_INDEX[t]);

const NO_HOPS: ReadonlySet<Hop> = new Set();
const NO_IDS: string[] = [];

const rowKey = (r: TaintRow) => r.key;
const hopSource = (h: Hop) => h.source;
const hopTarget = (h: Hop) => h.target;

/**
 * Adds a hop to a node's list (a new list holds just it: a list grown from empty by push reserves room for 17),
 * at its sorted position by `keyOf`, or at the end while loading (null). Returns the list.
 */
function addHop(index: Map<string, Hop[]>, id: string, hop: Hop, keyOf: ((h: Hop) => string) | null): Hop[] {
  const list = index.get(id);
  if (!list) {
    const one = [hop];
    index.set(id, one);
    return one;
  }
  if (keyOf) list.splice(lowerBound(list, keyOf(hop), keyOf), 0, hop);
  else list.push(hop);
  return list;
}

/** The first position whose element's key is not below `key` (the list is sorted by `keyOf`). */
function lowerBound<T>(list: readonly T[], key: string, keyOf: (x: T) => string): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (keyOf(list[mid]) < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function removeHop(index: Map<string, Hop[]>, id: string, hop: Hop, keyOf: (h: Hop) => string): void {
  const list = index.get(id);
  if (!list) return;
  let at = lowerBound(list, keyOf(hop), keyOf);
  if (list[at] !== hop) at = list.indexOf(hop);
  if (at < 0) return;
  list.splice(at, 1);
  if (list.length === 0) index.delete(id);
}

/** Rows of a recruitment hop that can continue to `factory`: placed there, or placed nowhere. */
export function placedRows(hop: Hop, factory: string): TaintRow[] {
  return hop.placed ? hop.rows.filter((r) => r.placement === null || r.placement === factory) : hop.rows;
}
