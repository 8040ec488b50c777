import { DPRK, LABOR_REL_TYPES, NODE_KINDS, REL_TYPES, TAINT_REL_TYPES, relationshipId, relationshipKey, type NodeKind, type RelType } from '../../model/graph-model';
import { dayOf, isoOf, type Interval } from './interval';
import { HopStore, HopView, RowColumns, SharedValues, freezeRows } from './hop-store';
import { NO_REBUTTAL, TaintRow, type Hop, type RebuttalState, type RowGiven } from './taint-row';

export { TaintRow, type Hop } from './taint-row';

/** A node as tracing needs it. */
export interface TaintNode {
  id: string;
  kind: NodeKind;
  name: string | null;
  /** A KP worker, a DPRK-linked agency or a factory in the DPRK: a path may start here. */
  source: boolean;
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

/**
 * A taint graph as data (TaintGraph.state, TaintGraph.fromState): per id of the id table its node's kind (NO_NODE:
 * an id only rows name), source status and name; the rows as loading columns; the shared values they point into;
 * the confirmed DPRK list matches. Everything a graph holds but its journal and memo-facing version.
 */
export interface GraphState {
  ids: string[];
  kinds: Uint8Array;
  sources: Uint8Array;
  names: (string | null)[];
  rows: RowColumns;
  intervals: [number, number][];
  /** The evidence lists rows point into, from position 1 (0: none). */
  evidence: string[][];
  listedBy: [string, string[]][];
  rowSource: [string, boolean][];
}

/** GraphState.kinds of an id no node has. */
export const NO_NODE = 255;

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
 * Two layers (hop-store.md). At rest the rows are a HopStore: typed arrays, no object per row, read through
 * short-lived hop views. In front of it, the hops that patches touched or that carry rebuttals are objects ("thawed"),
 * and a node's hop list that patches changed (a hop added or dropped) is an array of them that replaces the stored
 * range.
 *
 * Two ways to change it. Loading: addNode and addRow append to columns, and the store is built (sorted) once, when
 * first read; loading after a read first turns the graph back into columns (melt: a full rebuild, meant for small
 * graphs). Patching (upsertNode, removeNode, upsertRow, removeRow, setRebuttals; taint-graph.patch.ts): each change
 * is put in place at its sorted position, at the cost of a few binary searches and array splices, so that a snapshot
 * of millions of rows stays current in milliseconds; the result is the graph a fresh load of the same data builds.
 * Every change bumps `version`. Patching also keeps a journal of what each change touched (changesSince), so that
 * an engine seeing a new version drops only the memoized counts the changes can affect; loading records nothing, and
 * an engine whose memo predates a load (or the journal's oldest entry) starts afresh.
 */
export class TaintGraph {
  readonly nodes = new Map<string, TaintNode>();
  /** Every id a node or row names, each string held once; positions in it are the store's node numbers. */
  private ids: string[] = [];
  private readonly idIndex = new Map<string, number>();
  private readonly shared = new SharedValues();
  /** Rows loaded since the store was built (null: none); the store is rebuilt from them when next read. */
  private loading: RowColumns | null = null;
  private store: HopStore | null = null;
  /** Stored hops kept as objects (patched, or with rebuttals), by hop number; `thawedMark` says which, quickly. */
  private readonly thawed = new Map<number, Hop>();
  private thawedMark = new Uint8Array(0);
  /** storedNode's last answer (the numbers change only when the store is rebuilt, which resets it). */
  private lastId: string | null = null;
  private lastNode = -1;
  /** Stored rows not in a thawed hop. */
  private storedRows = 0;
  /**
   * Per relationship type (indexed as REL_TYPES), the node hop lists patches changed: each replaces the node's stored
   * range of that type in that direction (an empty list too).
   */
  private overIn: Map<string, Hop[]>[] = REL_TYPES.map(() => new Map());
  private overOut: Map<string, Hop[]>[] = REL_TYPES.map(() => new Map());
  /** The rows held as objects (those of thawed and of new hops), by id. */
  private readonly rowById = new Map<string, TaintRow>();
  /** Item -> the labor hops with a row rebutted for that item only (the hops whose openFor names it). */
  private readonly scoped = new Map<string, Set<Hop>>();
  private changes = 0;
  /** The journal: per entry, the version of the change, a node id, and null (a dirty node) or a type (a hop's end). */
  private readonly journalVersion: number[] = [];
  private readonly journalId: string[] = [];
  private readonly journalType: (RelType | null)[] = [];
  /** The journal says nothing about changes up to this version (loading, or entries dropped beyond JOURNAL_LIMIT). */
  private journalFloor = 0;
  /** prefixTargets' answer, for the version it was made at. */
  private prefixed: { version: number; marks: Uint8Array } | null = null;
  /** bomChildren's answer, for the version it was made at. */
  private bom: { version: number; start: Int32Array; child: Int32Array } | null = null;
  /** The nodes a source's taint can reach (taintReachable), 1 by node number; null until asked, and after loading. */
  private reach: Uint8Array | null = null;
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
    this.ready(); // before the lookup: building the store renumbers the nodes
    return this.taintReachableAt(this.idIndex.get(id) ?? -1);
  }

  /** taintReachable by node number (numberOf). */
  taintReachableAt(i: number): boolean {
    if (this.reach === null) {
      this.ready();
      this.reach = new Uint8Array(this.ids.length);
      for (const n of this.nodes.values()) if (n.source) this.spreadTaint(n.id);
    }
    return i >= 0 && i < this.reach.length && this.reach[i] === 1;
  }

  /** Marks `id` reached; false when it already was. */
  private markReached(id: string): boolean {
    const i = this.intern(id);
    if (i >= this.reach!.length) {
      const grown = new Uint8Array(Math.max(this.ids.length, 2 * this.reach!.length));
      grown.set(this.reach!);
      this.reach = grown;
    }
    if (this.reach![i] === 1) return false;
    this.reach![i] = 1;
    return true;
  }

  private spreadTaint(from: string): void {
    if (!this.markReached(from)) return;
    const stack = [from];
    while (stack.length > 0) {
      const id = stack.pop()!;
      for (const t of FORWARD_TAINT_TYPES) {
        for (const h of this.outOf(id, t)) if (this.markReached(h.target)) stack.push(h.target);
      }
      // taint flows from a factory to the company operating it
      for (const h of this.into(id, 'OPERATES')) if (this.markReached(h.source)) stack.push(h.source);
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

  /** The id's position in the id table, added when new. */
  private intern(id: string): number {
    let at = this.idIndex.get(id);
    if (at === undefined) {
      at = this.ids.length;
      this.ids.push(id);
      this.idIndex.set(id, at);
    }
    return at;
  }

  /** The id table's own string for an id (so that a large snapshot holds each id once). */
  private own(id: string): string {
    return this.ids[this.intern(id)];
  }

  /** Loading: adds a node or replaces the one with its id. Not journaled (see changesSince). */
  addNode(n: NodeRecordIn): void {
    this.changes++;
    this.journalFloor = this.changes;
    this.reach = null;
    this.nodes.set(n.id, { id: this.own(n.id), kind: n.kind, name: n.name ?? null, source: this.sourceOf(n) });
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
   * Loading: appends a row (a row whose key its hop already has is ignored: the first one wins). The store is built
   * when next read.
   */
  addRow(r: RowRecordIn): void {
    this.changes++;
    this.journalFloor = this.changes;
    this.reach = null;
    const rows = this.loading ?? this.melt();
    const type = TYPE_INDEX[r.type];
    const source = this.intern(r.source);
    const target = this.intern(r.target);
    const from = r.from ?? null;
    const to = r.to ?? null;
    const interval = this.shared.intervalIndex(from ? dayOf(from) : -Infinity, to ? dayOf(to) : Infinity);
    const placement = r.placement ?? null;
    const at = rows.push(type, source, target, interval, placement === null ? -1 : this.intern(placement), this.shared.evidenceIndex(r.evidence),
      r.id ?? relationshipId(r.key));
    const given = givenOf(r, this.shared.intervals[interval], this.ids[source], this.ids[target]);
    if (given) rows.given.set(at, given);
    const s = rebuttalState(r.rebuttals);
    if (s !== NO_REBUTTAL) rows.rebuttals.set(at, s);
  }

  /** Adds a node or replaces the one with its id (its rows stay). */
  upsertNode(n: NodeRecordIn): void {
    this.changes++;
    const old = this.nodes.get(n.id);
    const node: TaintNode = { id: this.own(n.id), kind: n.kind, name: n.name ?? null, source: this.sourceOf(n) };
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
    for (let t = 0; t < REL_TYPES.length; t++) {
      for (const h of this.listFor(this.overIn, t, id)) hops.add(h);
      for (const h of this.listFor(this.overOut, t, id)) hops.add(h);
    }
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
    const old = this.rowToChange(id);
    let state: RebuttalState | undefined;
    if (old) {
      if (r.rebuttals === undefined) state = { rebutted: old.rebutted, rebuttedFor: old.rebuttedFor, rebuttalIds: old.rebuttalIds };
      this.detach(old);
    }
    const hop = this.hopFor(r.type, r.source, r.target);
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
      if (this.taintReachable(end === hop.source ? hop.target : hop.source)) this.spreadTaint(end);
    }
  }

  /** Removes a row by id, and its hop when it was the hop's last row; false when there is no such row. */
  removeRow(id: string): boolean {
    this.ready();
    const row = this.rowToChange(id);
    if (!row) return false;
    this.changes++;
    this.detach(row);
    return true;
  }

  /**
   * Replaces a row's accepted rebuttals (the loaders read them apart from the rows); false when there is no such row.
   * Keeps the hop's open intervals right.
   */
  setRebuttals(rowId: string, rebuttals: readonly RebuttalIn[]): boolean {
    this.ready();
    const row = this.rowToChange(rowId);
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

  /** The row with this id (a stored row: a new object each time). */
  row(id: string): TaintRow | undefined {
    this.ready();
    const held = this.rowById.get(id);
    if (held !== undefined || this.store === null) return held;
    const r = this.store.findRow(id);
    return r < 0 || this.thawedMark[this.store.hopOfRow(r)] === 1 ? undefined : this.store.row(r);
  }

  /** The row with this id as an object patches may change: its hop thawed first when it is stored. */
  private rowToChange(id: string): TaintRow | undefined {
    const held = this.rowById.get(id);
    if (held !== undefined || this.store === null) return held;
    const r = this.store.findRow(id);
    if (r < 0) return undefined;
    const h = this.store.hopOfRow(r);
    if (this.thawedMark[h] === 1) return undefined; // thawed, and this row has left it since
    this.thaw(h);
    return this.rowById.get(id);
  }

  get rowCount(): number {
    this.ready();
    return this.storedRows + this.rowById.size;
  }

  /** Whether some labor row has an accepted rebuttal scoped to `item` (so its open counts are its own). */
  hasScopedRebuttals(item: string): boolean {
    this.ready();
    return this.scoped.has(item);
  }

  /** The labor hops with a row rebutted for `item` only. */
  hopsScopedTo(item: string): ReadonlySet<Hop> {
    this.ready();
    return this.scoped.get(item) ?? NO_HOPS;
  }

  /** The items some item-scoped rebuttal names, in id order. */
  scopedItems(): string[] {
    this.ready();
    return [...this.scoped.keys()].sort(cmp);
  }

  /** The hop of a type from `source` to `target` as an object patches may change (thawed when stored), if there is one. */
  private findHop(type: RelType, source: string, target: string): Hop | undefined {
    const t = TYPE_INDEX[type];
    const list = this.overOut[t].get(source);
    if (list) {
      const at = lowerBound(list, target, hopTarget);
      return at < list.length && list[at].target === target ? list[at] : undefined;
    }
    const s = this.storedNode(source);
    const d = this.storedNode(target);
    if (s < 0 || d < 0) return undefined;
    const h = this.store!.findHop(s, t, d);
    return h < 0 ? undefined : this.thaw(h);
  }

  private hopFor(type: RelType, source: string, target: string): Hop {
    let hop = this.findHop(type, source, target);
    if (!hop) {
      hop = { type, source: this.own(source), target: this.own(target), rows: [], intervals: NO_INTERVALS, openIntervals: NO_INTERVALS, placed: false, openFor: null };
      this.noteHop(hop);
      const t = TYPE_INDEX[type];
      insertSorted(this.listFor(this.overIn, t, hop.target), hop, hopSource);
      insertSorted(this.listFor(this.overOut, t, hop.source), hop, hopTarget);
    }
    return hop;
  }

  private makeRow(r: RowRecordIn & { id: string }, hop: Hop, s: RebuttalState): TaintRow {
    const from = r.from ?? null;
    const to = r.to ?? null;
    const iv = this.shared.interval(from ? dayOf(from) : -Infinity, to ? dayOf(to) : Infinity);
    const placement = r.placement ?? null;
    return new TaintRow(
      r.id, hop.type, hop.source, hop.target, iv, placement === null ? null : this.own(placement),
      this.shared.evidenceLists[this.shared.evidenceIndex(r.evidence)],
      s.rebutted, s.rebuttedFor, s.rebuttalIds.length > 0 ? s.rebuttalIds : NO_IDS, givenOf(r, iv, hop.source, hop.target),
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
    removeSorted(this.listFor(this.overIn, t, hop.target), hop, hopSource);
    removeSorted(this.listFor(this.overOut, t, hop.source), hop, hopTarget);
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

  /** Reading and patching work on the store: builds it from the rows loaded since it was last built. */
  private ready(): void {
    if (this.loading !== null) this.freeze();
  }

  private freeze(): void {
    const { store, ids } = freezeRows(this.loading!, this.ids, this.shared);
    this.loading = null;
    this.ids = ids;
    for (let i = 0; i < ids.length; i++) this.idIndex.set(ids[i], i);
    this.store = store;
    this.lastId = null;
    this.storedRows = store.rowCount;
    this.thawedMark = new Uint8Array(store.hopCount);
    // hops with rebuttals are kept as objects: their open intervals differ from their intervals
    for (const r of store.rebuttedRows()) this.thaw(store.hopOfRow(r));
    store.dropRebuttals();
  }

  /** Loading after a read: the store and every object in front of it back into loading columns. */
  private melt(): RowColumns {
    const rows = this.columns();
    this.store = null;
    this.lastId = null;
    this.storedRows = 0;
    this.thawed.clear();
    this.thawedMark = new Uint8Array(0);
    this.overIn = REL_TYPES.map(() => new Map());
    this.overOut = REL_TYPES.map(() => new Map());
    this.rowById.clear();
    this.scoped.clear();
    this.loading = rows;
    return rows;
  }

  /** Every row as loading columns (positions in this graph's id table): the stored ones, then those held as objects. */
  private columns(): RowColumns {
    const rows = new RowColumns();
    const store = this.store;
    if (store !== null) {
      // runs of hops not thawed, copied column by column
      let runStart = 0;
      for (let h = 0; h <= store.hopCount; h++) {
        if (h < store.hopCount && this.thawedMark[h] !== 1) continue;
        store.copyHops(runStart, h, rows);
        runStart = h + 1;
      }
    }
    for (const row of this.rowById.values()) {
      const iv = row.interval;
      const at = rows.push(TYPE_INDEX[row.type], this.intern(row.source), this.intern(row.target), this.shared.intervalIndex(iv.from, iv.to),
        row.placement === null ? -1 : this.intern(row.placement), this.shared.evidenceIndex(row.evidence), row.id);
      if (row.given) rows.given.set(at, row.given);
      if (row.rebutted || row.rebuttedFor !== null || row.rebuttalIds.length > 0) {
        rows.rebuttals.set(at, { rebutted: row.rebutted, rebuttedFor: row.rebuttedFor, rebuttalIds: row.rebuttalIds });
      }
    }
    return rows;
  }

  /**
   * What the graph holds, as plain data and typed arrays (GraphState), for saving it (graph-state.codec.ts): a graph
   * restored from it (fromState) is this graph as a fresh load of the same data builds it.
   */
  state(): GraphState {
    this.ready();
    const rows = this.columns();
    const n = this.ids.length; // every node's id is in the table (addNode and upsertNode put it there)
    const kinds = new Uint8Array(n).fill(NO_NODE);
    const sources = new Uint8Array(n);
    const names = new Array<string | null>(n).fill(null);
    for (const node of this.nodes.values()) {
      const i = this.idIndex.get(node.id)!;
      kinds[i] = KIND_INDEX[node.kind];
      sources[i] = node.source ? 1 : 0;
      names[i] = node.name;
    }
    return {
      ids: this.ids.slice(), kinds, sources, names, rows,
      intervals: this.shared.intervals.map((iv) => [iv.from, iv.to]), evidence: this.shared.evidenceLists.slice(1),
      listedBy: [...this.listedBy].map(([id, set]) => [id, [...set].sort(cmp)]), rowSource: [...this.rowSource],
    };
  }

  /** The graph a state describes (state()), loaded: the store is built when it is first read. */
  static fromState(s: GraphState): TaintGraph {
    const g = new TaintGraph();
    g.changes = 1;
    g.journalFloor = 1;
    for (const [from, to] of s.intervals) g.shared.intervalIndex(from, to);
    for (const list of s.evidence) g.shared.evidenceIndex(list);
    for (let i = 0; i < s.ids.length; i++) {
      const id = s.ids[i];
      g.ids.push(id);
      g.idIndex.set(id, i);
      if (s.kinds[i] !== NO_NODE) g.nodes.set(id, { id, kind: NODE_KINDS[s.kinds[i]], name: s.names[i], source: s.sources[i] === 1 });
    }
    for (const [id, matches] of s.listedBy) g.listedBy.set(id, new Set(matches));
    for (const [id, own] of s.rowSource) g.rowSource.set(id, own);
    g.loading = s.rows;
    return g;
  }

  /** A stored hop as an object patches may change, its rows held by id; the same object every time. */
  private thaw(h: number): Hop {
    let hop = this.thawed.get(h);
    if (hop) return hop;
    const view = this.store!.view(h);
    const rows = view.rows;
    hop = { type: view.type, source: view.source, target: view.target, rows, intervals: NO_INTERVALS, openIntervals: NO_INTERVALS, placed: false, openFor: null };
    for (const row of rows) this.rowById.set(row.id, row);
    this.storedRows -= rows.length;
    this.refreshHop(hop);
    this.thawed.set(h, hop);
    this.thawedMark[h] = 1;
    return hop;
  }

  /** The store's number for a node id, or -1 when the store does not have it. */
  private storedNode(id: string): number {
    // a walk asks for the same node's lists several times in a row (one type after another): one entry saves the
    // lookup in a map of a million ids
    if (id === this.lastId) return this.lastNode;
    if (this.store === null) return -1;
    const i = this.idIndex.get(id);
    this.lastId = id;
    this.lastNode = i === undefined || i >= this.store.nodeCount ? -1 : i;
    return this.lastNode;
  }

  /**
   * A node's hops of one type in one direction as a list patches may change: made from its stored range (every hop
   * thawed, so that the list and the far end's list share the objects) the first time.
   */
  private listFor(over: Map<string, Hop[]>[], t: number, id: string): Hop[] {
    let list = over[t].get(id);
    if (list === undefined) {
      list = [];
      const i = this.storedNode(id);
      if (i >= 0) {
        const store = this.store!;
        if (over === this.overIn) {
          store.inSpan(i, t);
          for (let k = store.spanLo; k < store.spanHi; k++) list.push(this.thaw(store.inHops[k]));
        } else {
          store.outSpan(i, t);
          for (let h = store.spanLo; h < store.spanHi; h++) list.push(this.thaw(h));
        }
      }
      over[t].set(id, list);
    }
    return list;
  }

  /**
   * Node numbers, for passes over the whole graph in typed arrays (item-table.ts): positions in the id table, which
   * hold until the graph next changes. -1: an id the graph has never named.
   */
  numberOf(id: string): number {
    this.ready();
    return this.idIndex.get(id) ?? -1;
  }

  idAt(i: number): string {
    return this.ids[i];
  }

  /**
   * Every node's bill-of-materials children (the sources of the COMPONENT_OF hops into it) as node numbers, in the
   * order into() gives them: node i's are child[start[i]] .. child[start[i+1]-1]. Patched lists replace stored ranges.
   */
  bomChildren(): { start: Int32Array; child: Int32Array } {
    this.ready();
    if (this.bom?.version === this.changes) return this.bom;
    const t = TYPE_INDEX.COMPONENT_OF;
    const patched = new Map<number, Hop[]>();
    for (const [id, list] of this.overIn[t]) patched.set(this.idIndex.get(id)!, list);
    const n = this.ids.length;
    const store = this.store;
    const stored = store === null ? 0 : store.nodeCount;
    const start = new Int32Array(n + 1);
    const spanLo = new Int32Array(n); // each stored node's span, searched once
    for (let i = 0; i < n; i++) {
      const list = patched.size > 0 ? patched.get(i) : undefined;
      let count = 0;
      if (list !== undefined) count = list.length;
      else if (i < stored) {
        store!.inSpan(i, t);
        spanLo[i] = store!.spanLo;
        count = store!.spanHi - store!.spanLo;
      }
      start[i + 1] = start[i] + count;
    }
    const child = new Int32Array(start[n]);
    for (let i = 0; i < n; i++) {
      const at = start[i];
      const count = start[i + 1] - at;
      if (count === 0) continue;
      const list = patched.size > 0 ? patched.get(i) : undefined;
      if (list !== undefined) {
        for (let k = 0; k < count; k++) child[at + k] = this.idIndex.get(list[k].source)!;
      } else {
        for (let k = 0; k < count; k++) child[at + k] = store!.inSourceAt(spanLo[i] + k);
      }
    }
    this.bom = { version: this.changes, start, child };
    return this.bom;
  }

  /**
   * 1 by node number where a production or sourcing hop may enter the node (a superset: a patched list counts even
   * when empty), 0 where none does: the items whose own prefixes a screen's pass must count (most items have none).
   */
  prefixTargets(): Uint8Array {
    this.ready();
    if (this.prefixed?.version === this.changes) return this.prefixed.marks;
    const marks = new Uint8Array(this.ids.length);
    this.store?.markInTargets(TYPE_INDEX.PRODUCED, TYPE_INDEX.SOURCED_FROM, marks);
    for (const t of [TYPE_INDEX.PRODUCED, TYPE_INDEX.SOURCED_FROM]) for (const id of this.overIn[t].keys()) marks[this.idIndex.get(id)!] = 1;
    this.prefixed = { version: this.changes, marks };
    return marks;
  }

  /** Hops of a type ending at a node, ordered by their source id. */
  into(id: string, type: RelType | number): readonly Hop[] {
    return this.hopList(true, id, type);
  }

  /**
   * For counting an item's prefixes without a hop object each (item-table.ts): the production and sourcing hops into
   * node number i (id `id`) whose source a source's taint reaches, into `out` in into()'s order (production first).
   * Two searches of the node's stored hops, where two into() calls would also make a view per hop.
   */
  prefixHopsInto(i: number, id: string, out: PrefixHops): void {
    this.ready();
    out.count = 0;
    const store = this.store;
    const produced = TYPE_INDEX.PRODUCED;
    const sourced = TYPE_INDEX.SOURCED_FROM;
    const patched = (t: number) => this.overIn[t].size > 0 && this.overIn[t].has(id);
    if (store === null || i < 0 || i >= store.nodeCount || patched(produced) || patched(sourced)) {
      for (const t of [produced, sourced]) for (const hop of this.into(id, t)) if (this.taintReachable(hop.source)) pushPrefixHop(out, t === produced, hop.source, hop.intervals, -1);
      return;
    }
    this.prefixSpan(store, i, produced, out);
    this.prefixSpan(store, i, sourced, out);
  }

  /** prefixHopsInto's hops of one type (its range searched: an item has many bill-of-materials hops beside them). */
  private prefixSpan(store: HopStore, i: number, t: number, out: PrefixHops): void {
    store.inSpan(i, t);
    const produced = t === TYPE_INDEX.PRODUCED;
    for (let k = store.spanLo, end = store.spanHi; k < end; k++) {
      const h = store.inHops[k];
      if (this.thawedMark[h] === 1) {
        const hop = this.thawed.get(h)!;
        if (this.taintReachable(hop.source)) pushPrefixHop(out, produced, hop.source, hop.intervals, -1);
      } else {
        const source = store.inSourceAt(k);
        if (this.taintReachableAt(source)) pushPrefixHop(out, produced, this.ids[source], store.intervalsOf(h), store.onlyIntervalOf(h));
      }
    }
  }

  /** taintReachable of a hop's source: by its number when the hop is a stored one. */
  sourceReachable(hop: Hop): boolean {
    return hop instanceof HopView && this.store !== null ? this.taintReachableAt(hop.sourceNode) : this.taintReachable(hop.source);
  }

  /** Hops of a type leaving a node, ordered by their target id. */
  outOf(id: string, type: RelType | number): readonly Hop[] {
    return this.hopList(false, id, type);
  }

  /** A node's hops of one type, entering it or leaving it: the patched list when there is one, else the stored range. */
  private hopList(incoming: boolean, id: string, type: RelType | number): readonly Hop[] {
    this.ready();
    const t = typeof type === 'number' ? type : TYPE_INDEX[type];
    const list = (incoming ? this.overIn : this.overOut)[t].get(id);
    if (list !== undefined) return list;
    const i = this.storedNode(id);
    if (i < 0) return EMPTY;
    const store = this.store!;
    if (incoming) store.inSpan(i, t);
    else store.outSpan(i, t);
    return this.stored(store.spanLo, store.spanHi, incoming ? store.inHops : null);
  }

  /** Stored hops lo..hi-1 (hop numbers, or positions in `via`): thawed ones as their objects, the others as views. */
  private stored(lo: number, hi: number, via: Int32Array | null): readonly Hop[] {
    if (lo === hi) return EMPTY;
    const store = this.store!;
    const list = new Array<Hop>(hi - lo);
    for (let k = lo; k < hi; k++) {
      const h = via === null ? k : via[k];
      list[k - lo] = this.thawedMark[h] === 1 ? this.thawed.get(h)! : store.view(h);
    }
    return list;
  }

  /** Every row, in key order. */
  rows(): TaintRow[] {
    this.ready();
    const all: TaintRow[] = [];
    const store = this.store;
    if (store !== null) for (let h = 0; h < store.hopCount; h++) if (this.thawedMark[h] !== 1) all.push(...store.rowsOf(h));
    all.push(...this.rowById.values());
    return sortByKey(all);
  }

  node(id: string): TaintNode | undefined {
    return this.nodes.get(id);
  }

  kindOf(id: string): NodeKind | undefined {
    return this.nodes.get(id)?.kind;
  }
}

/** What a row was given that its type, ends, placement and interval do not say (null: nothing, nearly every row). */
function givenOf(r: RowRecordIn, iv: Interval, source: string, target: string): RowGiven | null {
  const from = r.from ?? null;
  const to = r.to ?? null;
  let given: RowGiven | null = null;
  if (from !== null && isoOf(iv.from) !== from) (given ??= {}).from = from;
  if (to !== null && isoOf(iv.to) !== to) (given ??= {}).to = to;
  if (r.key !== relationshipKey(r.type, source, target, given?.from ?? isoOf(iv.from), given?.to ?? isoOf(iv.to), r.placement ?? null)) {
    (given ??= {}).key = r.key;
  }
  if (r.extras && Object.keys(r.extras).length > 0) (given ??= {}).extras = r.extras;
  return given;
}

function rebuttalState(list: readonly (RebuttalIn | string)[] | null | undefined): RebuttalState {
  if (!list || list.length === 0) return NO_REBUTTAL;
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
const NO_INTERVALS: Interval[] = [];

/** Sorts rows by key in place, deriving each key once. */
export function sortByKey(rows: TaintRow[]): TaintRow[] {
  if (rows.length < 2) return rows;
  const keys = new Map(rows.map((r) => [r, r.key]));
  return rows.sort((a, b) => cmp(keys.get(a)!, keys.get(b)!));
}

/** Ids compare by code unit, the same order Neo4j's ORDER BY uses for strings. */
export function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

const TYPE_INDEX = Object.fromEntries(REL_TYPES.map((t, i) => [t, i])) as Record<RelType, number>;
const KIND_INDEX = Object.fromEntries(NODE_KINDS.map((k, i) => [k, i])) as Record<NodeKind, number>;

/** The types (their positions in REL_TYPES) along which taint flows from source to target (OPERATES flows the other way: taintEnd). */
const FORWARD_TAINT_TYPES = REL_TYPES.filter((t) => TAINT_REL_TYPES.has(t) && t !== 'OPERATES').map((t) => TYPE_INDEX[t]);

const NO_HOPS: ReadonlySet<Hop> = new Set();
const NO_IDS: string[] = [];

const rowKey = (r: TaintRow) => r.key;
const hopSource = (h: Hop) => h.source;
const hopTarget = (h: Hop) => h.target;

/** Puts a hop into a node's list at its sorted position by `keyOf`. */
function insertSorted(list: Hop[], hop: Hop, keyOf: (h: Hop) => string): void {
  list.splice(lowerBound(list, keyOf(hop), keyOf), 0, hop);
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

/** Takes a hop out of a node's list (kept when empty: it still replaces the stored range). */
function removeSorted(list: Hop[], hop: Hop, keyOf: (h: Hop) => string): void {
  let at = lowerBound(list, keyOf(hop), keyOf);
  if (list[at] !== hop) at = list.indexOf(hop);
  if (at >= 0) list.splice(at, 1);
}

/** Rows of a recruitment hop that can continue to `factory`: placed there, or placed nowhere. */
export function placedRows(hop: Hop, factory: string): TaintRow[] {
  return hop.placed ? hop.rows.filter((r) => r.placement === null || r.placement === factory) : hop.rows;
}

/**
 * Production and sourcing hops of an item, as prefixHopsInto lists them: `only` numbers the interval of a stored hop
 * with one row (the same number, the same interval), else it is -1. Reused from item to item (no allocation).
 */
export interface PrefixHops {
  count: number;
  produced: boolean[];
  source: string[];
  intervals: (readonly Interval[])[];
  only: number[];
}

export const newPrefixHops = (): PrefixHops => ({ count: 0, produced: [], source: [], intervals: [], only: [] });

function pushPrefixHop(out: PrefixHops, produced: boolean, source: string, intervals: readonly Interval[], only: number): void {
  const k = out.count++;
  out.produced[k] = produced;
  out.source[k] = source;
  out.intervals[k] = intervals;
  out.only[k] = only;
}
