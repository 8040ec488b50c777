import fc from 'fast-check';
import { ReachMemo, reachableExposure } from '../../src/trace/engine/exposure';
import { dayOf } from '../../src/trace/engine/interval';
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
