import fc from 'fast-check';
import type { Neo4jClient } from '../../src/db/neo4j-client';
import { dayOf } from '../../src/trace/engine/interval';
import { loadItemRegion, loadWholeGraph } from '../../src/trace/taint-graph.loader';
import { TraceEngine } from '../../src/trace/engine/trace.engine';
import { asOfArb, datasetArb, toCsvFiles } from '../helpers/random-dataset';
import { datasetDir, importDir, resetGraph, testClient } from '../helpers/neo4j';
import { checkAgainstBruteForce } from '../helpers/check-trace';

let client: Neo4jClient;
beforeAll(async () => {
  client = await testClient();
});
afterAll(() => client.close());

describe('tracing through Neo4j agrees with brute force', () => {
  it('per-item regions loaded by Cypher give the counts, pages, labor facts and subgraphs of the brute-force enumeration (partial dates, placements, dispatch, KP factories)', async () => {
    await fc.assert(
      fc.asyncProperty(datasetArb, asOfArb, async (d, asOf) => {
        await resetGraph(client);
        await importDir(client, datasetDir(toCsvFiles(d)));
        const day = asOf ? dayOf(asOf) : null;
        const engines = new Map<string, TraceEngine>();
        for (const item of d.items) {
          const region = await loadItemRegion(client, item.id);
          engines.set(item.id, new TraceEngine(region!, { asOf: day }));
        }
        checkAgainstBruteForce(d, asOf, (id) => engines.get(id)!);
        const whole = new TraceEngine((await loadWholeGraph(client)).graph, { asOf: day });
        for (const item of d.items) {
          expect(whole.counts(item.id)).toEqual(engines.get(item.id)!.counts(item.id));
          expect(whole.laborFacts(item.id)).toEqual(engines.get(item.id)!.laborFacts(item.id));
        }
      }),
      { numRuns: 25 },
    );
  });
});
