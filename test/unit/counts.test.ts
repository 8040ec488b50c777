import fc from 'fast-check';
import { minus, plus, type Count } from '../../src/trace/engine/counts';
import { TaintGraph } from '../../src/trace/engine/taint-graph';
import { TraceEngine } from '../../src/trace/engine/trace.engine';
import { screenGraph } from '../../src/trace/trace.service';
import { relationshipKey, type NodeKind, type RelType } from '../../src/model/graph-model';

/** Counts are numbers while they are safe integers and bigints past 2^53 − 1 (counts.ts): the switch must be exact. */

const MAX = Number.MAX_SAFE_INTEGER; // 2^53 − 1
const canonical = (x: bigint): Count => (x <= BigInt(MAX) ? Number(x) : x);

describe('exact counts across the 2^53 boundary', () => {
  it('switches to a bigint exactly when a sum passes 2^53 − 1, and back when a difference fits', () => {
    expect(plus(MAX - 1, 1)).toBe(MAX);
    expect(plus(MAX, 1)).toBe(2n ** 53n);
    expect(plus(2 ** 52, 2 ** 52)).toBe(2n ** 53n); // the float sum is exact here, but no longer a safe integer
    expect(plus(MAX, 2)).toBe(2n ** 53n + 1n); // the float sum would round to 2^53
    expect(plus(MAX, MAX)).toBe(2n ** 54n - 2n);
    expect(plus(2n ** 53n, 0)).toBe(2n ** 53n);
    expect(minus(2n ** 53n, 1)).toBe(MAX);
    expect(minus(2n ** 60n, 2n ** 60n - 5n)).toBe(5);
  });

  it('agrees with bigint arithmetic on sums and differences near the boundary, in canonical form', () => {
    const near = fc.oneof(fc.bigInt(0n, 2n ** 20n), fc.bigInt(2n ** 52n, 2n ** 54n), fc.bigInt(0n, 2n ** 70n));
    fc.assert(fc.property(near, near, (a, b) => {
      const sum = plus(canonical(a), canonical(b));
      expect(sum).toBe(canonical(a + b));
      const [hi, lo] = a >= b ? [a, b] : [b, a];
      expect(minus(canonical(hi), canonical(lo))).toBe(canonical(hi - lo));
    }), { numRuns: 2000 });
  });

  /** A diamond bill of materials of `levels` levels over a product made with DPRK labor: 2^levels paths. */
  function diamond(levels: number): TaintGraph {
    const g = new TaintGraph();
    const node = (id: string, kind: NodeKind, extra?: string) => g.addNode({ id, kind, nationality: extra, country: extra, dprkLinked: false });
    const row = (type: RelType, source: string, target: string) =>
      g.addRow({ key: relationshipKey(type, source, target, null, null), type, source, target, from: null, to: null, rebuttals: [] });
    node('W', 'Worker', 'KP');
    node('F', 'Factory');
    node('L0', 'Component');
    row('EMPLOYED_AT', 'W', 'F');
    row('PRODUCED', 'F', 'L0');
    for (let i = 1; i <= levels; i++) {
      node(`A${i}`, 'Component');
      node(`B${i}`, 'Component');
      node(`L${i}`, i === levels ? 'Product' : 'Component');
      for (const mid of [`A${i}`, `B${i}`]) {
        row('COMPONENT_OF', `L${i - 1}`, mid);
        row('COMPONENT_OF', mid, `L${i}`);
      }
    }
    return g;
  }

  it('counts a diamond whose count crosses 2^53 exactly, and numbers its last path', () => {
    for (const levels of [52, 53, 54]) {
      const e = new TraceEngine(diamond(levels), { asOf: null });
      const top = `L${levels}`;
      const c = e.counts(top);
      expect(c.direct).toEqual({ all: 2n ** BigInt(levels), open: 2n ** BigInt(levels) });
      // every level's count is read back exactly: L_{levels-1} has half as many
      expect(e.counts(`L${levels - 1}`).direct.all).toBe(2n ** BigInt(levels - 1));
      const last = e.pathAt(top, 'direct', 2n ** BigInt(levels) - 1n);
      expect(last.nodes.filter((n) => n.startsWith('B'))).toHaveLength(levels); // the last path takes every B
      const middle = e.pathAt(top, 'direct', 2n ** 52n - 1n);
      expect(middle.nodes).toHaveLength(3 + 2 * levels);
      expect(() => e.pathAt(top, 'direct', 2n ** BigInt(levels))).toThrow(RangeError);
    }
  });

  it('screens the diamond exactly across 2^53: the sums of the bill of materials in float64 give way to bigints', () => {
    for (const levels of [52, 53, 54]) {
      // one path more, made at the top: 2^levels + 1, which float64 cannot hold past 2^53
      const g = diamond(levels);
      g.addRow({ key: relationshipKey('PRODUCED', 'F', `L${levels}`, null, null), type: 'PRODUCED', source: 'F', target: `L${levels}`, from: null, to: null, rebuttals: [] });
      const [row] = screenGraph(g, new TraceEngine(g, { asOf: null }));
      expect(row.itemId).toBe(`L${levels}`);
      expect(row.counts!.direct).toEqual({ all: 2n ** BigInt(levels) + 1n, open: 2n ** BigInt(levels) + 1n });
      expect(row.counts!.possible).toEqual({ all: 0n, open: 0n });
    }
  });
});
