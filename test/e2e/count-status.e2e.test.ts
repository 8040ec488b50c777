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

it('a trace too complex to count: null counts, TOO_COMPLEX, exact exposure', async () => {
  const r = await gql('{ trace(itemId: "P-CLIQUE") { exposure countStatus pathCount possiblePathCount openPathCount } }');
  expect(r).toEqual({ data: { trace: { exposure: 'POSSIBLE', countStatus: 'TOO_COMPLEX', pathCount: null, possiblePathCount: null, openPathCount: null } } });
  const before = await gql('{ trace(itemId: "P-CLIQUE", asOf: "2014-12-31") { exposure countStatus } }');
  expect(before.data!.trace.exposure).toBe('NONE'); // the labor began in 2015: exact even here
});

it('its first pages of paths: in numbering order, no totalCount, paged by a cursor that is the path itself', async () => {
  const page = (after: string | null) => gql(`{ trace(itemId: "P-CLIQUE") { countStatus paths(possible: true, first: 3${after ? `, after: ${JSON.stringify(after)}` : ''}) {
    totalCount edges { cursor node { nodes { id } relationships { type } rebutted } } pageInfo { hasNextPage hasPreviousPage endCursor } } } }`);
  const first = await page(null);
  expect(first.errors).toBeUndefined();
  const conn = first.data!.trace.paths;
  expect([first.data!.trace.countStatus, conn.totalCount, conn.edges.length, conn.pageInfo.hasNextPage, conn.pageInfo.hasPreviousPage])
    .toEqual(['TOO_COMPLEX', null, 3, true, false]);
  const second = (await page(conn.pageInfo.endCursor)).data!.trace.paths;
  expect([second.edges.length, second.pageInfo.hasPreviousPage]).toEqual([3, true]);
  const listed = [...conn.edges, ...second.edges].map((e: any) => e.node.nodes.map((n: any) => n.id));
  // what the engine numbers with a budget large enough to count the clique: the same six paths, in the same order
  const counting = new TraceService(client, undefined, 10_000_000);
  const counted = (await counting.trace('P-CLIQUE'))!;
  expect(counted.countStatus).toBe('EXACT');
  expect(counted.counts!.possible.all).toBe(13_700n); // simple paths K0 -> ... -> K8 through 7 others: sum of 7!/(7-k)!
  expect(listed).toEqual([0n, 1n, 2n, 3n, 4n, 5n].map((i) => counted.path('possible', i).nodes));
  expect(listed[0]).toEqual(['W', 'F', 'K0', 'K8', 'P-CLIQUE']);
  // the direct list is empty, and says so; a cursor of another list, or a made-up one, is refused
  const direct = await gql('{ trace(itemId: "P-CLIQUE") { paths(first: 3) { totalCount edges { cursor } pageInfo { hasNextPage } } } }');
  expect(direct.data!.trace.paths).toEqual({ totalCount: null, edges: [], pageInfo: { hasNextPage: false } });
  const wrong = await gql(`{ trace(itemId: "P-CLIQUE") { paths(first: 3, after: ${JSON.stringify(conn.pageInfo.endCursor)}) { totalCount } } }`);
  expect(wrong.errors!.map((e) => [e.path, e.extensions.code])).toEqual([[['trace', 'paths'], 'BAD_USER_INPUT']]);
  const text = Buffer.from(conn.pageInfo.endCursor, 'base64url').toString('utf8'); // path.possible:<version>:[...]
  const version = text.split(':')[1];
  for (const position of ['[oops', '[]', '[1,2]', '{}', '["W","F","K1","K8","P-CLIQUE"]']) { // the last: no such path (K1 operates nothing)
    const forged = Buffer.from(`path.possible:${version}:${position}`, 'utf8').toString('base64url');
    const r = await gql(`{ trace(itemId: "P-CLIQUE") { paths(possible: true, first: 3, after: ${JSON.stringify(forged)}) { totalCount } } }`);
    expect([position, r.errors!.map((e) => e.extensions.code)]).toEqual([position, ['BAD_USER_INPUT']]);
  }
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
