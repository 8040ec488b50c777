import path from 'node:path';
import type { Neo4jClient } from '../../src/db/neo4j-client';
import { EntityService } from '../../src/entity/entity.service';
import { startServer, type RunningServer } from '../../src/graphql/server';
import { TraceService } from '../../src/trace/trace.service';
import { datasetDir, importDir, resetGraph, testClient } from '../helpers/neo4j';
import { bruteForce } from '../helpers/brute-force';
import type { GenDataset } from '../helpers/random-dataset';
import { expectedTrace, genDatasetOf } from '../helpers/seed-dataset';

const SEED = path.join(__dirname, '..', '..', 'seed');
let client: Neo4jClient;
let server: RunningServer;

async function gql(query: string, variables: Record<string, unknown> = {}): Promise<{ data?: any; errors?: any[] }> {
  const res = await fetch(server.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });
  return res.json() as Promise<{ data?: any; errors?: any[] }>;
}

beforeAll(async () => {
  client = await testClient();
  server = await startServer({ client, entities: new EntityService(client), trace: new TraceService(client) }, 0, '127.0.0.1');
});
afterAll(async () => {
  await server.stop();
  await client.close();
});

describe('GraphQL over HTTP, demo data', () => {
  /** The seed as the brute-force enumerator sees it: every expected count below is derived from it, not copied. */
  let seed: GenDataset;
  beforeAll(async () => {
    await resetGraph(client);
    await importDir(client, SEED);
    seed = await genDatasetOf(SEED);
  });

  it('traces a product: counts as BigInt strings, paths from source to item, subgraph', async () => {
    const { data, errors } = await gql(`{ trace(itemId: "P-JACKET-01") { item { id name } exposure pathCount possiblePathCount openPathCount
      paths(first: 2) { totalCount edges { cursor node { rebutted nodes { id kind } relationships { id type source target from to evidenceIds } } } pageInfo { hasNextPage endCursor } }
      subgraph { nodes { id kind name } relationships { id type source target } } } }`);
    expect(errors).toBeUndefined();
    const t = data.trace;
    const want = expectedTrace(seed, 'P-JACKET-01');
    expect(want.direct.length).toBeGreaterThan(2); // the seed makes the jacket a multi-page case
    expect(t).toMatchObject({
      item: { id: 'P-JACKET-01' }, exposure: want.exposure, pathCount: String(want.direct.length),
      possiblePathCount: String(want.possible.length), openPathCount: String(want.open),
    });
    expect(t.paths.totalCount).toBe(String(want.direct.length));
    const first = t.paths.edges[0].node;
    expect(want.direct.map((p) => p.nodes.join('>'))).toContain(first.nodes.map((n: { id: string }) => n.id).join('>'));
    expect(first.nodes.at(-1)).toEqual({ id: 'P-JACKET-01', kind: 'Product' });
    expect(t.paths.pageInfo.hasNextPage).toBe(true);
    const next = await gql(`query($after: String) { trace(itemId: "P-JACKET-01") { paths(first: 5, after: $after) { edges { cursor node { nodes { id } } } pageInfo { hasNextPage } } } }`, { after: t.paths.pageInfo.endCursor });
    expect(next.data.trace.paths.edges).toHaveLength(Math.min(5, want.direct.length - 2));
    expect(next.data.trace.paths.pageInfo.hasNextPage).toBe(want.direct.length > 7);
    // the pages together are exactly the enumerator's paths
    if (want.direct.length <= 7) {
      const listed = [...t.paths.edges, ...next.data.trace.paths.edges].map((e: any) => e.node.nodes.map((n: { id: string }) => n.id).join('>'));
      expect(listed.sort()).toEqual(want.direct.map((p) => p.nodes.join('>')).sort());
    }
    const nodeIds = t.subgraph.nodes.map((n: { id: string }) => n.id);
    expect(nodeIds).toEqual(expect.arrayContaining(['W-KP-COHORT-01', 'F-HUNCHUN-CUT', 'F-DANDONG-SEW', 'P-JACKET-01']));
    expect(nodeIds).not.toContain('W-CN-LOCAL-01');
  });

  it('applies asOf: the down vest is clean before its fill was made with DPRK labor', async () => {
    const { data } = await gql(`{ later: trace(itemId: "P-VEST-03", asOf: "2020-01-01") { exposure pathCount } earlier: trace(itemId: "P-VEST-03", asOf: "2011-06-01") { exposure pathCount } }`);
    const later = expectedTrace(seed, 'P-VEST-03', '2020-01-01');
    const earlier = expectedTrace(seed, 'P-VEST-03', '2011-06-01');
    expect([later.exposure, earlier.exposure]).toEqual(['DIRECT', 'NONE']); // what the seed is for
    expect(data).toEqual({
      later: { exposure: later.exposure, pathCount: String(later.direct.length) },
      earlier: { exposure: earlier.exposure, pathCount: String(earlier.direct.length) },
    });
  });

  it('screens every exposed product, consistent with trace', async () => {
    const { data } = await gql(`{ screen(first: 100) { totalCount edges { node { item { id } exposure pathCount possiblePathCount } } } }`);
    const rows = data.screen.edges.map((e: any) => e.node);
    expect(data.screen.totalCount).toBe(rows.length);
    // every product with a path, and its counts, from the enumerator
    const want = seed.items.filter((i) => i.product).map((i) => ({ id: i.id, ...expectedTrace(seed, i.id) })).filter((w) => w.exposure !== 'NONE');
    expect(rows.map((r: any) => r.item.id).sort()).toEqual(want.map((w) => w.id).sort());
    for (const w of want) {
      expect(rows.find((r: any) => r.item.id === w.id)).toEqual({
        item: { id: w.id }, exposure: w.exposure, pathCount: String(w.direct.length), possiblePathCount: String(w.possible.length),
      });
    }
    expect(rows.map((r: any) => r.item.id)).not.toContain('P-CRAB-CAN');
    expect(want.find((w) => w.id === 'P-ROUTER-5')?.exposure).toBe('POSSIBLE');
    for (const r of rows) {
      const t = await gql(`query($id: ID!) { trace(itemId: $id) { exposure pathCount possiblePathCount } }`, { id: r.item.id });
      expect(t.data.trace).toEqual({ exposure: r.exposure, pathCount: r.pathCount, possiblePathCount: r.possiblePathCount });
    }
  });

  it('answers the reverse question: what a factory could have touched', async () => {
    const { data } = await gql(`{ impact(nodeId: "F-YARN-MILL") { node { kind } products { item { id } pathCount }
      subgraph { nodes { id } relationships { type source target } } } }`);
    expect(data.impact.node.kind).toBe('Factory');
    const all = bruteForce(seed, null);
    const through = [...all.direct, ...all.possible].filter((p) => p.nodes.includes('F-YARN-MILL'));
    const products = new Set(seed.items.filter((i) => i.product).map((i) => i.id));
    const wantProducts = [...new Set(through.map((p) => p.nodes[p.nodes.length - 1]).filter((id) => products.has(id)))].sort();
    expect(wantProducts).toEqual(['P-FLEECE-02', 'P-JACKET-01']);
    expect(data.impact.products.map((p: any) => p.item.id)).toEqual(wantProducts);
    for (const p of data.impact.products) {
      expect([p.item.id, p.pathCount]).toEqual([p.item.id, String(through.filter((x) => x.nodes[x.nodes.length - 1] === p.item.id && all.direct.includes(x)).length)]);
    }
    const drawn = data.impact.subgraph.nodes.map((n: any) => n.id);
    expect(drawn).toEqual(expect.arrayContaining(['AG-KOREA-LINK', 'F-YARN-MILL', 'C-NYLON-YARN', 'P-FLEECE-02', 'P-JACKET-01']));
    expect(drawn).not.toContain('W-KP-COHORT-01'); // its paths to the jacket avoid the yarn mill
  });

  it('maps sub-tier suppliers and where an item is used', async () => {
    const { data, errors } = await gql(`{ supplyChain(companyId: "CO-ORBISON", direction: UPSTREAM, maxTiers: 2) { nodes { id } relationships { source target } }
      whereUsed(itemId: "C-NYLON-YARN") { id kind } }`);
    expect(errors).toBeUndefined();
    expect(data.supplyChain.nodes.map((n: any) => n.id)).toEqual(['CO-BRIGHTPANEL', 'CO-ORBISON', 'CO-SIGNALPARTS', 'CO-VISTULA-GLASS']);
    const oneTier = await gql(`{ supplyChain(companyId: "CO-ORBISON", maxTiers: 1) { nodes { id } } }`);
    expect(oneTier.data.supplyChain.nodes).toHaveLength(3);
    expect(data.whereUsed.map((i: any) => i.id)).toEqual(['C-FLEECE-FABRIC', 'C-SHELL-FABRIC', 'P-FLEECE-02', 'P-JACKET-01']);
  });

  it('errors carry codes: NOT_FOUND for an unknown item, BAD_USER_INPUT naming the argument, no stack traces', async () => {
    const missing = await gql(`{ trace(itemId: "NOPE") { pathCount } }`);
    expect(missing.errors![0].extensions).toEqual({ code: 'NOT_FOUND', argumentName: 'itemId' });
    const badDate = await gql(`{ trace(itemId: "P-VEST-03", asOf: "2020-13-01") { pathCount } }`);
    expect(badDate.errors![0].extensions.code).toBe('BAD_USER_INPUT');
    const badCursor = await gql(`{ items(after: "garbage") { totalCount } }`);
    expect(badCursor.errors![0].extensions).toEqual({ code: 'BAD_USER_INPUT', argumentName: 'after' });
    for (const e of [missing, badDate, badCursor]) expect(JSON.stringify(e)).not.toMatch(/stacktrace|\.ts:\d+/);
  });
});

describe('batching', () => {
  beforeAll(async () => {
    await resetGraph(client);
    const items = Array.from({ length: 100 }, (_, i) => `P${String(i).padStart(3, '0')},Product ${i}`);
    const bom = Array.from({ length: 100 }, (_, i) => `P${String(i).padStart(3, '0')},C${i % 7}`);
    const prod = Array.from({ length: 7 }, (_, i) => `C${i},F${i % 3},2015-01-01,`);
    await importDir(client, datasetDir({
      'products.csv': `id,name\n${items.join('\n')}\n`,
      'components.csv': `id,name\n${Array.from({ length: 7 }, (_, i) => `C${i},Part ${i}`).join('\n')}\n`,
      'companies.csv': 'id,name\nOP,Operator\n',
      'factories.csv': `id,name,country,operator_id\n${Array.from({ length: 3 }, (_, i) => `F${i},Plant ${i},CN,OP`).join('\n')}\n`,
      'bom.csv': `parent_id,child_id\n${bom.join('\n')}\n`,
      'production.csv': `item_id,factory_id,from,to\n${prod.join('\n')}\n`,
    }));
  });

  it('a nested query over 100 items costs a constant number of Cypher round trips', async () => {
    const before = client.roundTrips;
    const { data, errors } = await gql(`{ items(first: 100, filter: { kind: PRODUCT }) { edges { node { id
      components { quantity component { name madeAt { from factory { name operator { name factories { id } } } } } } } } } }`);
    expect(errors).toBeUndefined();
    expect(data.items.edges).toHaveLength(100);
    expect(data.items.edges[5].node.components[0].component.madeAt[0].factory.operator.name).toBe('Operator');
    // list + count, then one relationship batch per nesting level (items, components, factories, operator)
    expect(client.roundTrips - before).toBeLessThanOrEqual(8);
  });
});

describe('a 64-level diamond bill of materials through Neo4j', () => {
  beforeAll(async () => {
    await resetGraph(client);
    const comps = ['L0,Level 0'];
    const bom: string[] = [];
    for (let i = 1; i <= 64; i++) {
      comps.push(`A${i},Left ${i}`, `B${i},Right ${i}`);
      if (i < 64) comps.push(`L${i},Level ${i}`);
      const parent = i === 64 ? 'TOP' : `L${i}`;
      bom.push(`A${i},L${i - 1}`, `B${i},L${i - 1}`, `${parent},A${i}`, `${parent},B${i}`);
    }
    await importDir(client, datasetDir({
      'products.csv': 'id,name\nTOP,Top\n',
      'components.csv': `id,name\n${comps.join('\n')}\n`,
      'workers.csv': 'id,nationality\nW,KP\n',
      'factories.csv': 'id,name,country\nF,Plant,CN\n',
      'employment.csv': 'worker_id,factory_id\nW,F\n',
      'production.csv': 'item_id,factory_id\nL0,F\n',
      'bom.csv': `parent_id,child_id\n${bom.join('\n')}\n`,
    }));
  });

  it('counts 2^64 paths exactly and pages deep into them', async () => {
    const { data, errors } = await gql(`{ trace(itemId: "TOP") { pathCount paths(first: 3) { pageInfo { endCursor } } } }`);
    expect(errors).toBeUndefined();
    expect(data.trace.pathCount).toBe('18446744073709551616');
    // a cursor is "<graph version>:<path number>": the same version, a path near the end
    const [version] = Buffer.from(data.trace.paths.pageInfo.endCursor, 'base64url').toString('utf8').replace(/^path\.direct:/, '').split(':');
    const deep = Buffer.from(`path.direct:${version}:18446744073709551610`, 'utf8').toString('base64url');
    const page = await gql(`query($after: String) { trace(itemId: "TOP") { paths(first: 10, after: $after) { edges { node { nodes { id } } } pageInfo { hasNextPage } } } }`, { after: deep });
    expect(page.errors).toBeUndefined();
    expect(page.data.trace.paths.edges).toHaveLength(5);
    expect(page.data.trace.paths.pageInfo.hasNextPage).toBe(false);
    expect(page.data.trace.paths.edges[0].node.nodes).toHaveLength(3 + 128);
  });
});

describe('path cursors belong to the graph version they were issued on (API-CORE.md)', () => {
  it('refuses a cursor after a change set with STALE_CURSOR, and pages on with a fresh one', async () => {
    await resetGraph(client);
    await importDir(client, datasetDir({
      'products.csv': 'id,name\nP,Product\n',
      'workers.csv': 'id,nationality\nW1,KP\nW2,KP\nW3,KP\n',
      'factories.csv': 'id,name,country\nF,Plant,CN\n',
      'employment.csv': 'worker_id,factory_id\nW1,F\nW2,F\nW3,F\n',
      'production.csv': 'item_id,factory_id\nP,F\n',
    }));
    const page = (after?: string) => gql(`query($after: String) { trace(itemId: "P") { pathCount paths(first: 1, after: $after) { edges { node { nodes { id } } } pageInfo { endCursor } } } }`, { after });
    const first = await page();
    expect(first.data.trace.pathCount).toBe('3');
    const cursor = first.data.trace.paths.pageInfo.endCursor;
    expect((await page(cursor)).data.trace.paths.edges[0].node.nodes[0].id).toBe('W2');
    // a change set puts a new path first in the order: the old cursor would now point at another path
    const added = await gql(`mutation { applyChanges(input: { reason: "another cohort", workers: [{ id: "W0", nationality: "KP" }], employment: [{ workerId: "W0", factoryId: "F" }] }) { id } }`);
    expect(added.errors).toBeUndefined();
    const stale = await page(cursor);
    expect(stale.errors?.[0].extensions.code).toBe('STALE_CURSOR');
    const again = await page();
    expect(again.data.trace.pathCount).toBe('4');
    expect((await page(again.data.trace.paths.pageInfo.endCursor)).data.trace.paths.edges[0].node.nodes[0].id).toBe('W1');
  });
});
