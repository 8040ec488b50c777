import fc from 'fast-check';
import { dayOf } from '../../src/trace/engine/interval';
import { NoSuchPathError } from '../../src/trace/engine/path-listing';
import { TraceEngine } from '../../src/trace/engine/trace.engine';
import { impactExclusion, impactRows, screenGraph } from '../../src/trace/trace.service';
import { bruteForce, type BrutePath } from '../helpers/brute-force';
import { checkAgainstBruteForce } from '../helpers/check-trace';
import { asOfArb, scopedDatasetArb as datasetArb, toTaintGraph } from '../helpers/random-dataset';

/**
 * LABORTRACE_PROPERTY_RUNS scales the runs (100 by default) for a longer hunt: e.g. 2000 before a release. The
 * datasets have item-scoped rebuttals besides the unscoped ones (scopedDatasetArb), which the brute force judges per
 * path by the item it ends at.
 */
const RUNS = Number(process.env.LABORTRACE_PROPERTY_RUNS ?? 100);

describe('trace engine against a brute-force enumeration of TRACE-SEMANTICS.md', () => {
  it('counts, pages, rebuttals and subgraphs agree on random small graphs', () => {
    fc.assert(
      fc.property(datasetArb, asOfArb, fc.boolean(), (d, asOf, reversed) => {
        const graph = toTaintGraph(d);
        const engine = new TraceEngine(graph, { asOf: asOf ? dayOf(asOf) : null });
        // items in dataset order (parents first: children's counts are memoized while counting their parents before
        // they are asked for themselves) or reversed (children first)
        checkAgainstBruteForce(reversed ? { ...d, items: [...d.items].reverse() } : d, asOf, () => engine);
      }),
      { numRuns: RUNS * 4 },
    );
  });

  it('listing paths without counts gives the numbered paths, in their order, and resumes after any of them', () => {
    fc.assert(
      fc.property(datasetArb, asOfArb, fc.nat(), (d, asOf, pick) => {
        const graph = toTaintGraph(d);
        const engine = new TraceEngine(graph, { asOf: asOf ? dayOf(asOf) : null });
        const brute = bruteForce(d, asOf);
        for (const item of d.items) {
          for (const kind of ['direct', 'possible'] as const) {
            const listed = [...engine.listPaths(item.id, kind)];
            const total = engine.counts(item.id)[kind].all;
            expect(BigInt(listed.length)).toBe(total);
            // the same set as the brute-force enumeration (independent of the engine), in numbering order
            const expected = (kind === 'direct' ? brute.direct : brute.possible).filter((p) => p.nodes.at(-1) === item.id);
            expect(listed.map((p) => p.nodes.join('>')).sort()).toEqual(expected.map((p) => p.nodes.join('>')).sort());
            listed.forEach((p, i) => expect(p).toEqual(engine.pathAt(item.id, kind, BigInt(i))));
            if (listed.length > 0) {
              const k = pick % listed.length;
              expect([...engine.listPaths(item.id, kind, listed[k].nodes)]).toEqual(listed.slice(k + 1));
            }
            expect(() => [...engine.listPaths(item.id, kind, ['no such node'])]).toThrow(NoSuchPathError);
          }
        }
      }),
      { numRuns: RUNS * 2 },
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
          .map((i) => {
            const direct = brute.direct.filter((p) => p.nodes.at(-1) === i.id);
            const possible = brute.possible.filter((p) => p.nodes.at(-1) === i.id);
            return {
              id: i.id, direct: direct.length, possible: possible.length,
              openDirect: direct.filter((p) => !p.rebutted).length, openPossible: possible.filter((p) => !p.rebutted).length,
            };
          })
          .filter((r) => r.direct + r.possible > 0)
          .sort((a, b) => (a.id < b.id ? -1 : 1));
        const fresh = new TraceEngine(graph, { asOf: asOf ? dayOf(asOf) : null });
        expect(screenGraph(graph, engine).map((r) => ({
          id: r.itemId, status: r.countStatus, direct: Number(r.counts?.direct.all), possible: Number(r.counts?.possible.all),
          openDirect: Number(r.counts?.direct.open), openPossible: Number(r.counts?.possible.open),
        }))).toEqual(expected.map((r) => ({ status: 'EXACT', ...r })));
        for (const r of screenGraph(graph, engine)) expect(fresh.counts(r.itemId)).toEqual(r.counts);
        // after the screen, the engine reads items' counts from its table: traces and their paths as a fresh engine's
        const unscreened = new TraceEngine(graph, { asOf: asOf ? dayOf(asOf) : null });
        for (const i of d.items) {
          expect(engine.counts(i.id)).toEqual(unscreened.counts(i.id));
          for (const kind of ['direct', 'possible'] as const) {
            const n = Math.min(Number(unscreened.counts(i.id)[kind].all), 20);
            for (let k = 0n; k < BigInt(n); k++) expect(engine.pathAt(i.id, kind, k)).toEqual(unscreened.pathAt(i.id, kind, k));
          }
        }
      }),
      { numRuns: RUNS * 3 },
    );
  });

  it('impact counts the paths through a node (for a company: or through its own plants), and draws exactly their union', () => {
    fc.assert(
      fc.property(datasetArb, asOfArb, fc.nat(), fc.boolean(), (d, asOf, pick, companyFirst) => {
        const graph = toTaintGraph(d);
        // companies are picked half the time when there are any: their impact has the extra rule
        const ids = (companyFirst && d.companies.length ? d.companies.map((c) => c.id) : [...graph.nodes.keys()]).sort();
        const node = ids[pick % ids.length];
        // TRACE-SEMANTICS.md, Results: a path counts when it passes through N or, N a company, any factory N operates
        const through = new Set([node, ...d.rows.filter((r) => r.type === 'OPERATES' && r.source === node).map((r) => r.target)]);
        const passes = (p: BrutePath) => p.nodes.some((n) => through.has(n));
        const day = asOf ? dayOf(asOf) : null;
        expect([...impactExclusion(graph, node)].sort()).toEqual([...through].sort());
        const without = new TraceEngine(graph, { asOf: day, excluded: impactExclusion(graph, node) });
        const rows = impactRows(graph, new TraceEngine(graph, { asOf: day }), without);
        const brute = bruteForce(d, asOf);
        const expected = d.items
          .map((i) => {
            const direct = brute.direct.filter((p) => p.nodes.at(-1) === i.id && passes(p));
            const possible = brute.possible.filter((p) => p.nodes.at(-1) === i.id && passes(p));
            return {
              itemId: i.id,
              direct: BigInt(direct.length),
              possible: BigInt(possible.length),
              openDirect: BigInt(direct.filter((p) => !p.rebutted).length),
              openPossible: BigInt(possible.filter((p) => !p.rebutted).length),
            };
          })
          .filter((r) => r.direct + r.possible > 0n)
          .sort((a, b) => (a.itemId < b.itemId ? -1 : 1));
        expect(rows).toEqual(expected);
        const products = new Set(d.items.filter((i) => i.product).map((i) => i.id));
        const drawn = [...brute.direct, ...brute.possible].filter((p) => products.has(p.nodes.at(-1)!) && passes(p));
        const sub = new TraceEngine(graph, { asOf: day }).subgraphThrough(impactExclusion(graph, node), without);
        expect(sub.nodes).toEqual([...new Set(drawn.flatMap((p) => p.nodes))].sort());
        expect(sub.rows.map((r) => r.key)).toEqual([...new Set(drawn.flatMap((p) => [...p.rows]))].sort());
      }),
      { numRuns: RUNS * 3 },
    );
  });
});
