import fc from 'fast-check';
import { ReachMemo, reachableExposure } from '../../src/trace/engine/exposure';
import { dayOf } from '../../src/trace/engine/interval';
import { TaintGraph } from '../../src/trace/engine/taint-graph';
import { relationshipKey, type NodeKind, type RelType } from '../../src/model/graph-model';
import { bruteForce } from '../helpers/brute-force';
import { asOfArb, scopedDatasetArb, toTaintGraph } from '../helpers/random-dataset';

const RUNS = Number(process.env.LABORTRACE_PROPERTY_RUNS ?? 100);

describe('exposure by reachability (what stays exact when counting is too complex)', () => {
  it('is DIRECT, POSSIBLE or NONE exactly as the brute-force enumeration of paths says', () => {
    fc.assert(
      fc.property(scopedDatasetArb, asOfArb, (d, asOf) => {
        const graph = toTaintGraph(d);
        const brute = bruteForce(d, asOf);
        for (const item of d.items) {
          const expected = brute.direct.some((p) => p.nodes.at(-1) === item.id) ? 'DIRECT'
            : brute.possible.some((p) => p.nodes.at(-1) === item.id) ? 'POSSIBLE' : 'NONE';
          expect({ item: item.id, exposure: reachableExposure(graph, item.id, asOf ? dayOf(asOf) : null) })
            .toEqual({ item: item.id, exposure: expected });
        }
      }),
      { numRuns: RUNS * 4 },
    );
  });

  it('is the same with one ReachMemo shared by every item, in any order, after walks at another asOf', () => {
    fc.assert(
      fc.property(scopedDatasetArb, asOfArb, asOfArb, fc.integer(), (d, asOf, other, seed) => {
        const graph = toTaintGraph(d);
        const memo = new ReachMemo(graph);
        const day = (a: string | null) => (a ? dayOf(a) : null);
        const order = [...d.items].sort((a, b) => ((a.id.length * 31 + seed) % 7) - ((b.id.length * 31 + seed) % 7) || (a.id < b.id ? 1 : -1));
        for (const item of order) reachableExposure(graph, item.id, day(other), memo); // settles states for another asOf
        const brute = bruteForce(d, asOf);
        for (const item of order) {
          const expected = brute.direct.some((p) => p.nodes.at(-1) === item.id) ? 'DIRECT'
            : brute.possible.some((p) => p.nodes.at(-1) === item.id) ? 'POSSIBLE' : 'NONE';
          expect({ item: item.id, exposure: reachableExposure(graph, item.id, day(asOf), memo) }).toEqual({ item: item.id, exposure: expected });
        }
      }),
      { numRuns: RUNS * 4 },
    );
  });
});

describe('exposure of an item whose bill of materials has a cycle (the validator refuses one; the engine may still be handed one)', () => {
  // P <- A <- B <- A: B is made at a factory with DPRK labor from 2020; S (sourced) and Q (nothing) beside them
  const g = new TaintGraph();
  const node = (id: string, kind: NodeKind, nationality?: string) => g.addNode({ id, kind, nationality, country: nationality, dprkLinked: false });
  const row = (type: RelType, source: string, target: string, from: string | null = null) =>
    g.addRow({ key: relationshipKey(type, source, target, from, null), type, source, target, from, to: null, rebuttals: [] });
  node('P', 'Product'); node('A', 'Component'); node('B', 'Component'); node('Q', 'Product'); node('S', 'Product');
  node('F', 'Factory', 'CN'); node('W', 'Worker', 'KP'); node('C', 'Company');
  row('COMPONENT_OF', 'A', 'P'); row('COMPONENT_OF', 'B', 'A'); row('COMPONENT_OF', 'A', 'B');
  row('EMPLOYED_AT', 'W', 'F', '2020-01-01'); row('PRODUCED', 'F', 'B'); row('OPERATES', 'C', 'F'); row('SOURCED_FROM', 'C', 'S');

  it('is found by one walk from every item below it, with or without a shared memo', () => {
    const memo = new ReachMemo(g);
    for (const m of [undefined, memo, memo]) {
      expect(['P', 'A', 'B', 'Q', 'S'].map((i) => reachableExposure(g, i, null, m))).toEqual(['DIRECT', 'DIRECT', 'DIRECT', 'NONE', 'POSSIBLE']);
      expect(['P', 'S'].map((i) => reachableExposure(g, i, dayOf('2019-06-30'), m))).toEqual(['NONE', 'NONE']);
    }
  });
});
