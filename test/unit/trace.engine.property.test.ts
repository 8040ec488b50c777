import fc from 'fast-check';
import { dayOf } from '../../src/trace/interval';
import { TraceEngine } from '../../src/trace/trace.engine';
import { impactRows, screenGraph } from '../../src/trace/trace.service';
import { bruteForce } from '../helpers/brute-force';
import { checkAgainstBruteForce } from '../helpers/check-trace';
import { asOfArb, datasetArb, toTaintGraph } from '../helpers/random-dataset';

/** LABORTRACE_PROPERTY_RUNS scales the runs (100 by default) for a longer hunt: e.g. 2000 before a release. */
const RUNS = Number(process.env.LABORTRACE_PROPERTY_RUNS ?? 100);

describe('trace engine against a brute-force enumeration of TRACE-SEMANTICS.md', () => {
  it('counts, pages, rebuttals and subgraphs agree on random small graphs', () => {
    fc.assert(
      fc.property(datasetArb, asOfArb, (d, asOf) => {
        const graph = toTaintGraph(d);
        const engine = new TraceEngine(graph, { asOf: asOf ? dayOf(asOf) : null });
        checkAgainstBruteForce(d, asOf, () => engine);
      }),
      { numRuns: RUNS * 4 },
    );
  });

  it('screen lists exactly the exposed products, with the same counts as tracing each', () => {
    fc.assert(
      fc.property(datasetArb, asOfArb, (d, asOf) => {
        const graph = toTaintGraph(d);
        const engine = new TraceEngine(graph, { asOf: asOf ? dayOf(asOf) : null });
        const brute = bruteForce(d, asOf);
        const expected = d.items
          .filter((i) => i.product)
          .map((i) => ({
            id: i.id,
            direct: brute.direct.filter((p) => p.nodes.at(-1) === i.id).length,
            possible: brute.possible.filter((p) => p.nodes.at(-1) === i.id).length,
          }))
          .filter((r) => r.direct + r.possible > 0)
          .sort((a, b) => (a.id < b.id ? -1 : 1));
        const fresh = new TraceEngine(graph, { asOf: asOf ? dayOf(asOf) : null });
        expect(screenGraph(graph, engine).map((r) => ({ id: r.itemId, direct: Number(r.counts.direct.all), possible: Number(r.counts.possible.all) })))
          .toEqual(expected);
        for (const r of screenGraph(graph, engine)) expect(fresh.counts(r.itemId)).toEqual(r.counts);
      }),
      { numRuns: RUNS * 3 },
    );
  });

  it('impact counts the paths through a node, and draws exactly their union', () => {
    fc.assert(
      fc.property(datasetArb, asOfArb, fc.nat(), (d, asOf, pick) => {
        const graph = toTaintGraph(d);
        const ids = [...graph.nodes.keys()].sort();
        const node = ids[pick % ids.length];
        const day = asOf ? dayOf(asOf) : null;
        const rows = impactRows(graph, new TraceEngine(graph, { asOf: day }), new TraceEngine(graph, { asOf: day, excluded: new Set([node]) }));
        const brute = bruteForce(d, asOf);
        const expected = d.items
          .map((i) => ({
            itemId: i.id,
            direct: BigInt(brute.direct.filter((p) => p.nodes.at(-1) === i.id && p.nodes.includes(node)).length),
            possible: BigInt(brute.possible.filter((p) => p.nodes.at(-1) === i.id && p.nodes.includes(node)).length),
          }))
          .filter((r) => r.direct + r.possible > 0n)
          .sort((a, b) => (a.itemId < b.itemId ? -1 : 1));
        expect(rows).toEqual(expected);
        const products = new Set(d.items.filter((i) => i.product).map((i) => i.id));
        const through = [...brute.direct, ...brute.possible].filter((p) => products.has(p.nodes.at(-1)!) && p.nodes.includes(node));
        const sub = new TraceEngine(graph, { asOf: day }).subgraphThrough(node, new TraceEngine(graph, { asOf: day, excluded: new Set([node]) }));
        expect(sub.nodes).toEqual([...new Set(through.flatMap((p) => p.nodes))].sort());
        expect(sub.rows.map((r) => r.key)).toEqual([...new Set(through.flatMap((p) => [...p.rows]))].sort());
      }),
      { numRuns: RUNS * 3 },
    );
  });
});
