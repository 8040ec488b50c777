// Every item's counts in one pass over the bill of materials: see docs/engine.md ("Screening: every product in one pass").
import { plus, type Count, type ItemTally } from './counts';
import type { TaintGraph } from './taint-graph';
import { TraceTooComplexError } from './work-budget';

/** What the pass asks of the engine for each item, by id. */
export interface ItemPrefixes {
  /**
   * The counts of the paths whose prefix ends at item `item` (node number i) itself, through its production and
   * sourcing hops, on a budget of its own; zero for an item no source reaches. Throws TraceTooComplexError when that
   * budget cannot cover them.
   */
  prefix(i: number, item: string): ItemTally;
}

/** An item's counts, or TOO_COMPLEX when a prefix in its bill of materials could not be counted on its budget. */
export type TabledCounts = ItemTally | 'TOO_COMPLEX';

/**
 * The counts of every item below the products, for one graph version: what screens read for the products, and what
 * traces and path numbering read for any item below one (instead of a memo entry per item). Kept by the item's place
 * in the pass (PassOrder.rank), 32 B per item (4 float64), bigints aside.
 */
export class ItemTable {
  constructor(
    private readonly graph: TaintGraph,
    /** The graph version the counts are for. */
    readonly version: number,
    /** Node number -> place in the pass, -1 for a node the pass did not reach. */
    private readonly rank: Int32Array,
    /** Four per place (direct all, direct open, possible all, possible open); first NaN: in `big`; first -1: TOO_COMPLEX. */
    private readonly counts: Float64Array,
    private readonly big: ReadonlyMap<number, ItemTally>,
  ) {}

  /** The item's counts; undefined for a node the pass did not reach (no product above it) or a graph since changed. */
  get(item: string): TabledCounts | undefined {
    if (this.graph.version !== this.version) return undefined;
    const i = this.graph.numberOf(item);
    const p = i < 0 || i >= this.rank.length ? -1 : this.rank[i];
    if (p < 0) return undefined;
    const c = this.counts;
    const at = 4 * p;
    if (c[at] === TOO_COMPLEX) return 'TOO_COMPLEX';
    if (Number.isNaN(c[at])) return this.big.get(p)!;
    return { direct: { all: c[at], open: c[at + 1] }, possible: { all: c[at + 2], open: c[at + 3] } };
  }
}

/** In the counts array: an item whose prefixes, or some item's below it, could not be counted on its budget. */
const TOO_COMPLEX = -1;

/**
 * The pass's order for one graph version, which does not depend on asOf (a screen at a new asOf reuses it): the
 * products and every item below them, children before parents, and the bill of materials renumbered by place in
 * that order, so that the pass reads its arrays in order and a parent's children sit near it.
 */
interface PassOrder {
  version: number;
  /** Place -> node number; null: the bill of materials has a cycle. */
  order: Int32Array | null;
  /** Node number -> place, -1 for a node no product is above. */
  rank: Int32Array;
  /** The children of the item at place p are at places child[start[p]] .. child[start[p+1]-1]. */
  start: Int32Array;
  child: Int32Array;
}

const passOrders = new WeakMap<TaintGraph, PassOrder>();

/** The products (in the graph's node order) and the items below them, depth first, children before their parent. */
function passOrder(graph: TaintGraph): PassOrder {
  const kept = passOrders.get(graph);
  if (kept !== undefined && kept.version === graph.version) return kept;
  const bom = graph.bomChildren();
  const n = bom.start.length - 1;
  const state = new Uint8Array(n); // 0 not met, 1 on the walk, 2 done
  const next = new Int32Array(n); // the walk's place in each open item's children
  const stack = new Int32Array(n);
  const order = new Int32Array(n);
  const rank = new Int32Array(n).fill(-1);
  let count = 0;
  let cyclic = false;
  products: for (const node of graph.nodes.values()) {
    if (node.kind !== 'Product') continue;
    const root = graph.numberOf(node.id);
    if (root < 0 || state[root] === 2) continue;
    // without recursion: bills of materials are deep
    let top = 0;
    stack[top++] = root;
    state[root] = 1;
    next[root] = bom.start[root];
    while (top > 0) {
      const i = stack[top - 1];
      if (next[i] < bom.start[i + 1]) {
        const c = bom.child[next[i]++];
        if (state[c] === 1) {
          cyclic = true;
          break products;
        }
        if (state[c] === 0) {
          state[c] = 1;
          next[c] = bom.start[c];
          stack[top++] = c;
        }
        continue;
      }
      top--;
      rank[i] = count;
      order[count++] = i;
      state[i] = 2;
    }
  }
  const made: PassOrder = cyclic
    ? { version: graph.version, order: null, rank, start: new Int32Array(1), child: new Int32Array(0) }
    : { version: graph.version, order: order.subarray(0, count), rank, ...renumbered(bom, order.subarray(0, count), rank) };
  passOrders.set(graph, made);
  return made;
}

/** The bill of materials by place: the children of the item at place p (order[p]), as places. */
function renumbered(bom: { start: Int32Array; child: Int32Array }, order: Int32Array, rank: Int32Array): { start: Int32Array; child: Int32Array } {
  const start = new Int32Array(order.length + 1);
  for (let p = 0; p < order.length; p++) start[p + 1] = start[p] + bom.start[order[p] + 1] - bom.start[order[p]];
  const child = new Int32Array(start[order.length]);
  for (let p = 0; p < order.length; p++) {
    for (let k = bom.start[order[p]], at = start[p]; k < bom.start[order[p] + 1]; k++) child[at++] = rank[bom.child[k]];
  }
  return { start, child };
}

const NO_PREFIXES: ItemTally = { direct: { all: 0, open: 0 }, possible: { all: 0, open: 0 } };

/**
 * The counts of every product of the graph and of every item below them at once, as an unscoped engine without
 * exclusions gives them one by one:
 *   counts(Y) = prefixes(Y) + Σ over Y's distinct children c of counts(c)
 * bottom-up over the bill of materials in typed arrays (PassOrder), each item's prefixes asked once, and only of the
 * items that production or sourcing hops enter (TaintGraph.prefixTargets). The one-by-one walk pays for string-keyed
 * memo entries, hop objects and validity checks per item, which at 10^6 nodes cost more than the counting
 * (bench/README.md). Null when the bill of materials has a cycle (the one-by-one path names it). An item whose
 * prefixes are TOO_COMPLEX makes every item above it TOO_COMPLEX.
 */
export function countProducts(graph: TaintGraph, prefixes: ItemPrefixes): ItemTable | null {
  const { order, rank, start, child } = passOrder(graph);
  if (order === null) return null;
  const version = graph.version;
  const prefixed = graph.prefixTargets();
  const counts = new Float64Array(4 * order.length);
  const big = new Map<number, ItemTally>();
  const at = (p: number, k: number): Count => {
    if (!Number.isNaN(counts[4 * p])) return counts[4 * p + k];
    const t = big.get(p)!;
    return k === 0 ? t.direct.all : k === 1 ? t.direct.open : k === 2 ? t.possible.all : t.possible.open;
  };

  const finish = (p: number): void => {
    const base = 4 * p;
    const i = order[p];
    let own = NO_PREFIXES;
    try {
      if (prefixed[i] === 1) own = prefixes.prefix(i, graph.idAt(i));
    } catch (e) {
      if (!(e instanceof TraceTooComplexError)) throw e;
      counts[base] = TOO_COMPLEX;
      return;
    }
    const { direct, possible } = own;
    // the common case in float64: sums of non-negative safe integers are exact while they stay at most 2^53 - 1
    if (typeof direct.all === 'number' && typeof direct.open === 'number' && typeof possible.all === 'number' && typeof possible.open === 'number') {
      let da = direct.all;
      let dop = direct.open;
      let pa = possible.all;
      let pop = possible.open;
      let k = start[p];
      const end = start[p + 1];
      for (; k < end; k++) {
        const c = 4 * child[k];
        const first = counts[c];
        if (!(first >= 0)) break; // TOO_COMPLEX or past 2^53 (NaN)
        da += first;
        dop += counts[c + 1];
        pa += counts[c + 2];
        pop += counts[c + 3];
      }
      if (k === end && da <= Number.MAX_SAFE_INTEGER && pa <= Number.MAX_SAFE_INTEGER) {
        counts[base] = da;
        counts[base + 1] = dop;
        counts[base + 2] = pa;
        counts[base + 3] = pop;
        return;
      }
    }
    // TOO_COMPLEX below, or past 2^53 somewhere: exact sums through plus()
    let da = direct.all;
    let dop = direct.open;
    let pa = possible.all;
    let pop = possible.open;
    for (let k = start[p]; k < start[p + 1]; k++) {
      const c = child[k];
      if (counts[4 * c] === TOO_COMPLEX) {
        counts[base] = TOO_COMPLEX;
        return;
      }
      da = plus(da, at(c, 0));
      dop = plus(dop, at(c, 1));
      pa = plus(pa, at(c, 2));
      pop = plus(pop, at(c, 3));
    }
    if (typeof da === 'number' && typeof dop === 'number' && typeof pa === 'number' && typeof pop === 'number') {
      counts[base] = da;
      counts[base + 1] = dop;
      counts[base + 2] = pa;
      counts[base + 3] = pop;
    } else {
      counts[base] = NaN;
      big.set(p, { direct: { all: da, open: dop }, possible: { all: pa, open: pop } });
    }
  };

  for (let p = 0; p < order.length; p++) finish(p);
  return new ItemTable(graph, version, rank, counts, big);
}
