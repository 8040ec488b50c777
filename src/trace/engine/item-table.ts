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
 * The counts of every item below the products, for one graph version, by node number: what screens read for the
 * products, and what traces and path numbering read for any item below one (instead of a memo entry per item).
 * 32 B per node of the graph (4 float64), bigints aside.
 */
export class ItemTable {
  constructor(
    private readonly graph: TaintGraph,
    /** The graph version the counts are for. */
    readonly version: number,
    /** Four per node (direct all, direct open, possible all, possible open); a NaN first: the four are in `big`. */
    private readonly counts: Float64Array,
    private readonly big: ReadonlyMap<number, ItemTally>,
    private readonly tooComplex: Uint8Array,
    /** 2: the pass counted the node (or found it TOO_COMPLEX). */
    private readonly state: Uint8Array,
  ) {}

  /** The item's counts; undefined for a node the pass did not reach (no product above it) or a graph since changed. */
  get(item: string): TabledCounts | undefined {
    if (this.graph.version !== this.version) return undefined;
    const i = this.graph.numberOf(item);
    if (i < 0 || i >= this.state.length || this.state[i] !== 2) return undefined;
    if (this.tooComplex[i] === 1) return 'TOO_COMPLEX';
    const c = this.counts;
    const at = 4 * i;
    if (Number.isNaN(c[at])) return this.big.get(i)!;
    return { direct: { all: c[at], open: c[at + 1] }, possible: { all: c[at + 2], open: c[at + 3] } };
  }
}

/**
 * The counts of `products` and of every item below them at once, as an unscoped engine without exclusions gives
 * them one by one:
 *   counts(Y) = prefixes(Y) + Σ over Y's distinct children c of counts(c)
 * bottom-up over the bill of materials in node numbers and typed arrays, each item's prefixes asked once. The
 * one-by-one walk pays for string-keyed memo entries, hop objects and validity checks per item, which at 10^6 nodes
 * cost more than the counting (bench/README.md). Null when the bill of materials has a cycle (the one-by-one path
 * names it). An item whose prefixes are TOO_COMPLEX makes every item above it TOO_COMPLEX.
 */
export function countProducts(graph: TaintGraph, products: readonly string[], prefixes: ItemPrefixes): ItemTable | null {
  const version = graph.version;
  const { start, child } = graph.bomChildren();
  const n = start.length - 1;
  const state = new Uint8Array(n); // 0 not met, 1 on the walk, 2 counted
  const next = new Int32Array(n); // the walk's place in each open item's children
  const stack = new Int32Array(n);
  const counts = new Float64Array(4 * n);
  const big = new Map<number, ItemTally>();
  const tooComplex = new Uint8Array(n);
  const at = (i: number, k: number): Count => {
    if (!Number.isNaN(counts[4 * i])) return counts[4 * i + k];
    const t = big.get(i)!;
    return k === 0 ? t.direct.all : k === 1 ? t.direct.open : k === 2 ? t.possible.all : t.possible.open;
  };

  const finish = (i: number): void => {
    let own: ItemTally;
    try {
      own = prefixes.prefix(i, graph.idAt(i));
    } catch (e) {
      if (!(e instanceof TraceTooComplexError)) throw e;
      tooComplex[i] = 1;
      return;
    }
    const base = 4 * i;
    const { direct, possible } = own;
    // the common case in float64: sums of non-negative safe integers are exact while they stay at most 2^53 - 1
    if (typeof direct.all === 'number' && typeof direct.open === 'number' && typeof possible.all === 'number' && typeof possible.open === 'number') {
      let da = direct.all;
      let dop = direct.open;
      let pa = possible.all;
      let pop = possible.open;
      let k = start[i];
      const end = start[i + 1];
      for (; k < end; k++) {
        const c = child[k];
        if (tooComplex[c] === 1) {
          tooComplex[i] = 1;
          return;
        }
        const at = 4 * c;
        if (Number.isNaN(counts[at])) break;
        da += counts[at];
        dop += counts[at + 1];
        pa += counts[at + 2];
        pop += counts[at + 3];
      }
      if (k === end && da <= Number.MAX_SAFE_INTEGER && pa <= Number.MAX_SAFE_INTEGER) {
        counts[base] = da;
        counts[base + 1] = dop;
        counts[base + 2] = pa;
        counts[base + 3] = pop;
        return;
      }
    }
    // past 2^53 somewhere: exact sums through plus()
    let da = direct.all;
    let dop = direct.open;
    let pa = possible.all;
    let pop = possible.open;
    for (let k = start[i]; k < start[i + 1]; k++) {
      const c = child[k];
      if (tooComplex[c] === 1) {
        tooComplex[i] = 1;
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
      big.set(i, { direct: { all: da, open: dop }, possible: { all: pa, open: pop } });
    }
  };

  for (const id of products) {
    const root = graph.numberOf(id);
    if (root < 0 || state[root] === 2) continue;
    // depth first, without recursion (bills of materials are deep), children before their parent
    let top = 0;
    stack[top++] = root;
    state[root] = 1;
    next[root] = start[root];
    while (top > 0) {
      const i = stack[top - 1];
      if (next[i] < start[i + 1]) {
        const c = child[next[i]++];
        if (state[c] === 1) return null;
        if (state[c] === 0) {
          state[c] = 1;
          next[c] = start[c];
          stack[top++] = c;
        }
        continue;
      }
      top--;
      finish(i);
      state[i] = 2;
    }
  }
  return new ItemTable(graph, version, counts, big, tooComplex, state);
}
