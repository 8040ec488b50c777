import { REL_TYPES, relationshipKey, type RelType } from '../../model/graph-model';
import { isoOf, type Interval } from './interval';
import { NO_REBUTTAL, TaintRow, type Hop, type RebuttalState, type RowGiven } from './taint-row';

/**
 * The rows of a loaded graph at rest, in typed arrays: no object, no string and no map entry per row (hop-store.md
 * beside this file has the layout and its budget). Pure; TaintGraph puts its patches in front of it.
 *
 * Node ids are integers: positions in the graph's id table, which freezing sorts, so that comparing two ids is
 * comparing two integers. Rows are grouped into hops (all rows of one type between the same two nodes), hops are
 * ordered by (source, type, target) and the rows of a hop by key; per node, the hops leaving it are one range of
 * hop numbers and the hops entering it one range of `inHops` (ordered by type, then source): compressed sparse rows
 * in both directions.
 */

/** Values many rows share, held once and referred to by position: intervals, one-interval lists, evidence lists. */
export class SharedValues {
  readonly intervals: Interval[] = [];
  /** Per interval (by position) the list holding just it: what a one-row hop's `intervals` is. */
  readonly ones: Interval[][] = [];
  readonly evidenceLists: string[][] = [[]];
  private readonly intervalAt = new Map<number, Map<number, number>>();
  private readonly oneOf = new Map<Interval, Interval[]>();
  private readonly evidenceAt = new Map<string, number>();

  intervalIndex(from: number, to: number): number {
    let byTo = this.intervalAt.get(from);
    if (!byTo) this.intervalAt.set(from, (byTo = new Map()));
    let at = byTo.get(to);
    if (at === undefined) {
      at = this.intervals.length;
      const iv = { from, to };
      this.intervals.push(iv);
      this.ones.push([iv]);
      this.oneOf.set(iv, this.ones[at]);
      byTo.set(to, at);
    }
    return at;
  }

  interval(from: number, to: number): Interval {
    return this.intervals[this.intervalIndex(from, to)];
  }

  /** The one-interval list of a shared interval (a fresh one for an interval held elsewhere). */
  one(iv: Interval): Interval[] {
    return this.oneOf.get(iv) ?? [iv];
  }

  /** 0: no evidence. */
  evidenceIndex(ids: readonly string[] | null | undefined): number {
    if (!ids || ids.length === 0) return 0;
    const key = ids.join('\u0000');
    let at = this.evidenceAt.get(key);
    if (at === undefined) {
      at = this.evidenceLists.length;
      this.evidenceLists.push([...ids]);
      this.evidenceAt.set(key, at);
    }
    return at;
  }
}

/** Ids of the form relationshipId gives ("r-" and 20 hex digits) are held as two numbers; any other id in a map. */
const DERIVED_ID = /^r-[0-9a-f]{20}$/;

function idHigh(id: string): number {
  return parseInt(id.slice(2, 14), 16);
}

function idLow(id: string): number {
  return parseInt(id.slice(14, 22), 16);
}

function idText(high: number, low: number): string {
  return `r-${high.toString(16).padStart(12, '0')}${low.toString(16).padStart(8, '0')}`;
}

const NO_ID = -1;

/** Rows as they are loaded (appended, unsorted), column by column. */
export class RowColumns {
  length = 0;
  type = new Uint8Array(16);
  source = new Int32Array(16);
  target = new Int32Array(16);
  interval = new Int32Array(16);
  /** The id of the factory a recruitment row places its worker at; -1: none. */
  placement = new Int32Array(16);
  evidence = new Int32Array(16);
  /** The two halves of a derived id; NO_ID in idHigh: the id is in `otherIds`. */
  idHigh = new Float64Array(16);
  idLow = new Uint32Array(16);
  readonly otherIds = new Map<number, string>();
  readonly given = new Map<number, RowGiven>();
  readonly rebuttals = new Map<number, RebuttalState>();

  push(type: number, source: number, target: number, interval: number, placement: number, evidence: number, id: string): number {
    if (this.length === this.type.length) this.grow();
    const at = this.length++;
    this.type[at] = type;
    this.source[at] = source;
    this.target[at] = target;
    this.interval[at] = interval;
    this.placement[at] = placement;
    this.evidence[at] = evidence;
    if (DERIVED_ID.test(id)) {
      this.idHigh[at] = idHigh(id);
      this.idLow[at] = idLow(id);
    } else {
      this.idHigh[at] = NO_ID;
      this.otherIds.set(at, id);
    }
    return at;
  }

  /** Makes room for `n` rows in all. */
  reserve(n: number): void {
    while (this.type.length < n) this.grow();
  }

  private grow(): void {
    const size = Math.max(16, this.type.length * 2);
    const bigger = <T extends Uint8Array | Int32Array | Uint32Array | Float64Array>(a: T): T => {
      const b = new (a.constructor as new (n: number) => T)(size);
      b.set(a);
      return b;
    };
    this.type = bigger(this.type);
    this.source = bigger(this.source);
    this.target = bigger(this.target);
    this.interval = bigger(this.interval);
    this.placement = bigger(this.placement);
    this.evidence = bigger(this.evidence);
    this.idHigh = bigger(this.idHigh);
    this.idLow = bigger(this.idLow);
  }
}

/** A hop of the store, read as tracing reads hops; its rows are made when asked for (path listing, placements). */
export class HopView implements Hop {
  readonly openFor = null;
  constructor(
    private readonly store: HopStore,
    readonly hop: number,
    readonly type: RelType,
    readonly source: string,
    readonly target: string,
    readonly intervals: Interval[],
    readonly placed: boolean,
  ) {}

  /** The node number of its source (positions in the id table). */
  get sourceNode(): number {
    return this.store.sourceOf(this.hop);
  }

  /** No row of a hop at rest is rebutted (TaintGraph keeps hops with rebuttals as objects). */
  get openIntervals(): Interval[] {
    return this.intervals;
  }

  get rows(): TaintRow[] {
    return this.store.rowsOf(this.hop);
  }
}

/** The frozen rows and their hop indexes. Built by freezeRows; never changed after (TaintGraph patches in front). */
export class HopStore {
  /** Set by outSpan and inSpan: the range found (no allocation on the innermost paths). */
  spanLo = 0;
  spanHi = 0;

  constructor(
    /** The graph's id table (sorted up to nodeCount); shared with the graph, which appends ids it learns later. */
    private readonly ids: readonly string[],
    private readonly shared: SharedValues,
    /** Nodes 0..nodeCount-1 are the ones the rows here name. */
    readonly nodeCount: number,
    private readonly rows: RowColumns,
    /** Hop h's rows are hopStart[h] .. hopStart[h+1]-1. */
    private readonly hopStart: Int32Array,
    /** Node i's out-hops are outStart[i] .. outStart[i+1]-1 (hop numbers). */
    private readonly outStart: Int32Array,
    /** Hop numbers ordered by (target, type, source); node i's in-hops are inHops[inStart[i] .. inStart[i+1]-1]. */
    readonly inHops: Int32Array,
    private readonly inStart: Int32Array,
    /**
     * Each hop's type, and the type and source of inHops[k] at k: read in order where rows.type[hopStart[h]] would
     * be two reads far apart (span searches and scans; 6 B per hop).
     */
    private readonly hopType: Uint8Array,
    private readonly inType: Uint8Array,
    private readonly inSource: Int32Array,
    /** Open addressing by an id's low half: row + 1, 0 for an empty slot. */
    private readonly idSlots: Int32Array,
    private readonly rowOfOtherId: ReadonlyMap<string, number>,
  ) {}

  get hopCount(): number {
    return this.hopStart.length - 1;
  }

  get rowCount(): number {
    return this.rows.length;
  }

  /** Sets out[i] = 1 for every node i with a stored hop of type `a` or `b` entering it: one scan of the in-hop types. */
  markInTargets(a: number, b: number, out: Uint8Array): void {
    const { inStart, inType } = this;
    for (let i = 0; i < this.nodeCount; i++) {
      for (let k = inStart[i], end = inStart[i + 1]; k < end; k++) {
        const t = inType[k];
        if (t === a || t === b) {
          out[i] = 1;
          break;
        }
      }
    }
  }

  /** Sets spanLo/spanHi to the hops of type `t` leaving node `i` (hop numbers). */
  outSpan(i: number, t: number): void {
    this.span(this.outStart[i], this.outStart[i + 1], t, null);
  }

  /** Sets spanLo/spanHi to the positions in inHops of the hops of type `t` entering node `i`. */
  inSpan(i: number, t: number): void {
    this.span(this.inStart[i], this.inStart[i + 1], t, this.inHops);
  }

  private span(lo: number, hi: number, t: number, via: Int32Array | null): void {
    // the first position whose type is not below t, then the first above it (no closure: this runs per hop list)
    const type = via === null ? this.hopType : this.inType;
    let a = lo;
    let b = hi;
    while (a < b) {
      const mid = (a + b) >>> 1;
      if (type[mid] < t) a = mid + 1;
      else b = mid;
    }
    let c = a;
    let d = hi;
    while (c < d) {
      const mid = (c + d) >>> 1;
      if (type[mid] <= t) c = mid + 1;
      else d = mid;
    }
    this.spanLo = a;
    this.spanHi = c;
  }

  /** The node number hop h leaves. */
  sourceOf(h: number): number {
    return this.rows.source[this.hopStart[h]];
  }

  /** The hop of type `t` from node `s` to node `d`, or -1. */
  findHop(s: number, t: number, d: number): number {
    this.outSpan(s, t);
    let lo = this.spanLo;
    let hi = this.spanHi;
    const target = this.rows.target;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (target[this.hopStart[mid]] < d) lo = mid + 1;
      else hi = mid;
    }
    return lo < this.spanHi && target[this.hopStart[lo]] === d ? lo : -1;
  }

  /** The hop a row belongs to. */
  hopOfRow(r: number): number {
    let lo = 0;
    let hi = this.hopCount;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.hopStart[mid + 1] <= r) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** The row with this id, or -1. */
  findRow(id: string): number {
    if (!DERIVED_ID.test(id)) return this.rowOfOtherId.get(id) ?? -1;
    const high = idHigh(id);
    const low = idLow(id);
    const mask = this.idSlots.length - 1;
    for (let slot = low & mask; ; slot = (slot + 1) & mask) {
      const r = this.idSlots[slot] - 1;
      if (r < 0) return -1;
      if (this.rows.idLow[r] === low && this.rows.idHigh[r] === high) return r;
    }
  }

  view(h: number): Hop {
    const rows = this.rows;
    const a = this.hopStart[h];
    let placed = false;
    for (let r = a; r < this.hopStart[h + 1]; r++) {
      if (rows.placement[r] >= 0) {
        placed = true;
        break;
      }
    }
    return new HopView(this, h, REL_TYPES[rows.type[a]], this.ids[rows.source[a]], this.ids[rows.target[a]], this.intervalsOf(h), placed);
  }

  /** The source node of the hop at position k of inHops. */
  inSourceAt(k: number): number {
    return this.inSource[k];
  }

  /** The interned interval of hop h's only row (SharedValues.intervals), or -1 when it has more rows than one. */
  onlyIntervalOf(h: number): number {
    const a = this.hopStart[h];
    return this.hopStart[h + 1] - a === 1 ? this.rows.interval[a] : -1;
  }

  /** The intervals of hop h's rows in row order: a shared list when it has one row. */
  intervalsOf(h: number): Interval[] {
    const a = this.hopStart[h];
    const b = this.hopStart[h + 1];
    if (b - a === 1) return this.shared.ones[this.rows.interval[a]];
    const intervals = new Array<Interval>(b - a);
    for (let r = a; r < b; r++) intervals[r - a] = this.shared.intervals[this.rows.interval[r]];
    return intervals;
  }

  rowsOf(h: number): TaintRow[] {
    const out: TaintRow[] = [];
    for (let r = this.hopStart[h]; r < this.hopStart[h + 1]; r++) out.push(this.row(r));
    return out;
  }

  idOf(r: number): string {
    const high = this.rows.idHigh[r];
    return high === NO_ID ? this.rows.otherIds.get(r)! : idText(high, this.rows.idLow[r]);
  }

  row(r: number): TaintRow {
    const c = this.rows;
    const s = c.rebuttals.get(r) ?? NO_REBUTTAL;
    return new TaintRow(
      this.idOf(r), REL_TYPES[c.type[r]], this.ids[c.source[r]], this.ids[c.target[r]], this.shared.intervals[c.interval[r]],
      c.placement[r] < 0 ? null : this.ids[c.placement[r]], this.shared.evidenceLists[c.evidence[r]],
      s.rebutted, s.rebuttedFor, s.rebuttalIds, c.given.get(r) ?? null,
    );
  }

  /** Rows that had rebuttals when frozen (TaintGraph keeps their hops as objects, then calls dropRebuttals). */
  rebuttedRows(): number[] {
    return [...this.rows.rebuttals.keys()];
  }

  dropRebuttals(): void {
    this.rows.rebuttals.clear();
  }

  /**
   * Appends the rows of hops from..to-1 to `into` as they are (ids as positions in the same id table), column by
   * column: what saving a snapshot and loading after a read copy, millions of rows at a time.
   */
  copyHops(from: number, to: number, into: RowColumns): void {
    const a = this.hopStart[from];
    const b = this.hopStart[to];
    if (b <= a) return;
    const c = this.rows;
    const at = into.length;
    into.reserve(at + (b - a));
    into.type.set(c.type.subarray(a, b), at);
    into.source.set(c.source.subarray(a, b), at);
    into.target.set(c.target.subarray(a, b), at);
    into.interval.set(c.interval.subarray(a, b), at);
    into.placement.set(c.placement.subarray(a, b), at);
    into.evidence.set(c.evidence.subarray(a, b), at);
    into.idHigh.set(c.idHigh.subarray(a, b), at);
    into.idLow.set(c.idLow.subarray(a, b), at);
    into.length = at + (b - a);
    // the rare rows with an id of another form or given fields: through the maps, not row by row
    const shift = at - a;
    for (const map of [[c.otherIds, into.otherIds], [c.given, into.given]] as const) {
      if (map[0].size === 0) continue;
      if (map[0].size < b - a) {
        for (const [r, v] of map[0] as Map<number, unknown>) if (r >= a && r < b) (map[1] as Map<number, unknown>).set(r + shift, v);
      } else {
        for (let r = a; r < b; r++) {
          const v = (map[0] as Map<number, unknown>).get(r);
          if (v !== undefined) (map[1] as Map<number, unknown>).set(r + shift, v);
        }
      }
    }
  }
}

/** What freezing gives: the store, and the id table in its new (sorted) order. */
export interface Frozen {
  store: HopStore;
  ids: string[];
  /** Old position -> new position in the id table. */
  rank: Int32Array;
}

/**
 * Sorts loaded rows into a HopStore. `ids` is the id table the rows' positions refer to; it is sorted (a new array)
 * and every position renumbered. Rows of one hop with the same key are one row: the first loaded is kept.
 * Linear but for the id sort and the sorts inside a node's out-hops: counting sorts by node and type.
 */
export function freezeRows(loaded: RowColumns, ids: readonly string[], shared: SharedValues): Frozen {
  const n = ids.length;
  let sorted = true;
  for (let i = 1; i < n && sorted; i++) if (!(ids[i - 1] < ids[i])) sorted = false;
  const rank = new Int32Array(n);
  let sortedIds: string[];
  if (sorted) {
    // a saved snapshot's table, or one sorted by the last build with nothing appended since
    sortedIds = [...ids];
    for (let i = 0; i < n; i++) rank[i] = i;
  } else {
    sortedIds = [...ids].sort(); // the default order is by UTF-16 code unit: cmp's, and Neo4j's
    const position = new Map<string, number>();
    for (let i = 0; i < n; i++) position.set(ids[i], i);
    for (let k = 0; k < n; k++) rank[position.get(sortedIds[k])!] = k;
  }

  const m = loaded.length;
  const { type, source, target } = loaded;
  // rows by source (counting sort, stable: loading order kept), then by (type, target, load order) inside a source
  const bySource = new Int32Array(n + 1);
  for (let r = 0; r < m; r++) bySource[rank[source[r]] + 1]++;
  for (let i = 0; i < n; i++) bySource[i + 1] += bySource[i];
  const order = new Int32Array(m);
  const next = bySource.slice(0, n);
  for (let r = 0; r < m; r++) order[next[rank[source[r]]]++] = r;
  const bySourceOrder = (x: number, y: number) => type[x] - type[y] || rank[target[x]] - rank[target[y]] || x - y;
  for (let i = 0; i < n; i++) if (bySource[i + 1] - bySource[i] > 1) order.subarray(bySource[i], bySource[i + 1]).sort(bySourceOrder);

  // hops: runs of equal (source, type, target); inside one, rows by key, the first loaded of equal keys kept
  const keyOf = (r: number) => loaded.given.get(r)?.key ?? relationshipKey(
    REL_TYPES[type[r]], ids[source[r]], ids[target[r]], loaded.given.get(r)?.from ?? isoOf(shared.intervals[loaded.interval[r]].from),
    loaded.given.get(r)?.to ?? isoOf(shared.intervals[loaded.interval[r]].to), loaded.placement[r] < 0 ? null : ids[loaded.placement[r]],
  );
  const kept = new Int32Array(m);
  const hopStarts: number[] = [];
  let k = 0;
  for (let a = 0; a < m; ) {
    let b = a + 1;
    while (b < m && source[order[b]] === source[order[a]] && type[order[b]] === type[order[a]] && target[order[b]] === target[order[a]]) b++;
    hopStarts.push(k);
    if (b - a === 1) {
      kept[k++] = order[a];
    } else {
      const keys = new Map<number, string>();
      for (let x = a; x < b; x++) keys.set(order[x], keyOf(order[x]));
      const group = Array.from(order.subarray(a, b)).sort((x, y) => (keys.get(x)! < keys.get(y)! ? -1 : keys.get(x)! > keys.get(y)! ? 1 : x - y));
      for (let x = 0; x < group.length; x++) if (x === 0 || keys.get(group[x]) !== keys.get(group[x - 1])) kept[k++] = group[x];
    }
    a = b;
  }
  hopStarts.push(k);

  const rows = new RowColumns();
  rows.length = k;
  rows.type = new Uint8Array(k);
  rows.source = new Int32Array(k);
  rows.target = new Int32Array(k);
  rows.interval = new Int32Array(k);
  rows.placement = new Int32Array(k);
  rows.evidence = new Int32Array(k);
  rows.idHigh = new Float64Array(k);
  rows.idLow = new Uint32Array(k);
  for (let x = 0; x < k; x++) {
    const r = kept[x];
    rows.type[x] = type[r];
    rows.source[x] = rank[source[r]];
    rows.target[x] = rank[target[r]];
    rows.interval[x] = loaded.interval[r];
    rows.placement[x] = loaded.placement[r] < 0 ? -1 : rank[loaded.placement[r]];
    rows.evidence[x] = loaded.evidence[r];
    rows.idHigh[x] = loaded.idHigh[r];
    rows.idLow[x] = loaded.idLow[r];
    const other = loaded.otherIds.get(r);
    if (other !== undefined) rows.otherIds.set(x, other);
    const given = loaded.given.get(r);
    if (given) rows.given.set(x, given);
    const rebuttals = loaded.rebuttals.get(r);
    if (rebuttals) rows.rebuttals.set(x, rebuttals);
  }

  const hops = hopStarts.length - 1;
  const hopStart = Int32Array.from(hopStarts);
  const outStart = new Int32Array(n + 1);
  for (let h = 0; h < hops; h++) outStart[rows.source[hopStart[h]] + 1]++;
  for (let i = 0; i < n; i++) outStart[i + 1] += outStart[i];

  // in-hops by (target, type, source): hops are by (source, type, target); stable counting sorts by type, then target
  const byType = new Int32Array(REL_TYPES.length + 1);
  for (let h = 0; h < hops; h++) byType[rows.type[hopStart[h]] + 1]++;
  for (let t = 0; t < REL_TYPES.length; t++) byType[t + 1] += byType[t];
  const typed = new Int32Array(hops);
  for (let h = 0; h < hops; h++) typed[byType[rows.type[hopStart[h]]]++] = h;
  const inStart = new Int32Array(n + 1);
  for (let h = 0; h < hops; h++) inStart[rows.target[hopStart[h]] + 1]++;
  for (let i = 0; i < n; i++) inStart[i + 1] += inStart[i];
  const inHops = new Int32Array(hops);
  const at = inStart.slice(0, n);
  for (let x = 0; x < hops; x++) {
    const h = typed[x];
    inHops[at[rows.target[hopStart[h]]]++] = h;
  }
  const hopType = new Uint8Array(hops);
  for (let h = 0; h < hops; h++) hopType[h] = rows.type[hopStart[h]];
  const inType = new Uint8Array(hops);
  const inSource = new Int32Array(hops);
  for (let x = 0; x < hops; x++) {
    inType[x] = hopType[inHops[x]];
    inSource[x] = rows.source[hopStart[inHops[x]]];
  }

  let size = 16;
  while (size < k * 1.5) size *= 2;
  const idSlots = new Int32Array(size);
  const rowOfOtherId = new Map<string, number>();
  for (let r = 0; r < k; r++) {
    if (rows.idHigh[r] === NO_ID) {
      rowOfOtherId.set(rows.otherIds.get(r)!, r);
      continue;
    }
    let slot = rows.idLow[r] & (size - 1);
    while (idSlots[slot] !== 0) slot = (slot + 1) & (size - 1);
    idSlots[slot] = r + 1;
  }

  const store = new HopStore(sortedIds, shared, n, rows, hopStart, outStart, inHops, inStart, hopType, inType, inSource, idSlots, rowOfOtherId);
  return { store, ids: sortedIds, rank };
}
