import type { Neo4jClient } from '../../src/db/neo4j-client';
import { EntityService } from '../../src/entity/entity.service';
import { startServer, type RunningServer } from '../../src/graphql/server';
import { TraceService } from '../../src/trace/trace.service';
import { datasetDir, importDir, resetGraph, testClient } from '../helpers/neo4j';

/**
 * API-CORE.md: exposure is always exact; where counting an item exceeds the work budget its counts are null and its
 * countStatus TOO_COMPLEX, never estimated. A supply clique of 9 distributors that buy from each other makes the
 * simple paths through it far too many for a budget of 2,000 steps.
 */
let client: Neo4jClient;
let server: RunningServer;

async function gql(query: string): Promise<{ data?: any; errors?: any[] }> {
  const res = await fetch(server.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) });
  return (await res.json()) as { data?: any; errors?: any[] };
}

beforeAll(async () => {
  client = await testClient();
  await resetGraph(client);
  const ks = Array.from({ length: 9 }, (_, i) => `K${i}`);
  await importDir(client, datasetDir({
    'products.csv': 'id,name\nP-CLIQUE,Sourced through the clique\nP-PLAIN,Made at the plant\n',
    'companies.csv': `id,name\n${ks.map((k) => `${k},Distributor ${k}`).join('\n')}\n`,
    'factories.csv': 'id,name,country,operator_id\nF,Plant,CN,K0\n',
    'workers.csv': 'id,nationality\nW,KP\n',
    'employment.csv': 'worker_id,factory_id,from,to\nW,F,2015-01-01,\n',
    'production.csv': 'item_id,factory_id,from,to\nP-PLAIN,F,,\n',
    'supply.csv': `supplier_id,customer_id\n${ks.flatMap((a) => ks.filter((b) => b !== a).map((b) => `${a},${b}`)).join('\n')}\n`,
    'sourcing.csv': 'item_id,company_id\nP-CLIQUE,K8\n',
  }));
  server = await startServer({ client, entities: new EntityService(client), trace: new TraceService(client, undefined, 2_000) }, 0, '127.0.0.1');
});
afterAll(async () => {
  await server.stop();
  await client.close();
});

it('a trace too complex to count: null counts, TOO_COMPLEX, exact exposure; paths refused with TRACE_TOO_COMPLEX', async () => {
  const r = await gql('{ trace(itemId: "P-CLIQUE") { exposure countStatus pathCount possiblePathCount openPathCount } }');
  expect(r).toEqual({ data: { trace: { exposure: 'POSSIBLE', countStatus: 'TOO_COMPLEX', pathCount: null, possiblePathCount: null, openPathCount: null } } });
  const before = await gql('{ trace(itemId: "P-CLIQUE", asOf: "2014-12-31") { exposure countStatus } }');
  expect(before.data!.trace.exposure).toBe('NONE'); // the labor began in 2015: exact even here
  const paths = await gql('{ trace(itemId: "P-CLIQUE") { paths(possible: true, first: 1) { totalCount } } }');
  expect(paths.errors!.map((e) => [e.path, e.extensions.code])).toEqual([[['trace', 'paths'], 'TRACE_TOO_COMPLEX']]);
});

it('the other items are unaffected, and the screen lists both with their status', async () => {
  expect((await gql('{ trace(itemId: "P-PLAIN") { exposure countStatus pathCount } }')).data)
    .toEqual({ trace: { exposure: 'DIRECT', countStatus: 'EXACT', pathCount: '1' } });
  const screen = await gql('{ screen { edges { node { item { id } exposure countStatus pathCount possiblePathCount } } } }');
  expect(screen.data!.screen.edges.map((e: any) => e.node)).toEqual([
    { item: { id: 'P-CLIQUE' }, exposure: 'POSSIBLE', countStatus: 'TOO_COMPLEX', pathCount: null, possiblePathCount: null },
    { item: { id: 'P-PLAIN' }, exposure: 'DIRECT', countStatus: 'EXACT', pathCount: '1', possiblePathCount: '0' },
  ]);
});
