import { spawn, type ChildProcess } from 'node:child_process';
import type { Neo4jClient } from '../../src/db/neo4j-client';
import { datasetDir, importDir, resetGraph, testClient } from '../helpers/neo4j';
import { freePort } from '../helpers/net';
import { BIN, testDbEnv } from '../helpers/cli';

/**
 * More API processes, one Neo4j (README, "Scale-out"): two `labortrace serve` processes on one store answer the
 * same, and a change recorded through one is seen by the other's next request — its snapshot catches up through
 * the change log, its path cursors and knowledge time agree.
 */
const env = testDbEnv();

async function serve(port: number): Promise<ChildProcess> {
  const child = spawn('node', [BIN, 'serve', '--port', String(port)], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start: ${err}`)), 60_000);
    child.stderr!.on('data', (d) => {
      err += String(d);
      if (err.includes('GraphQL API at')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => reject(new Error(`serve exited with ${code}: ${err}`)));
  });
  return child;
}

async function gql(port: number, query: string, variables: Record<string, unknown> = {}): Promise<any> {
  const res = await fetch(`http://127.0.0.1:${port}/graphql`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }),
  });
  return res.json();
}

const TRACE = `query($knownAt: DateTime, $after: String) {
  trace(itemId: "P", knownAt: $knownAt) { exposure pathCount openPathCount paths(first: 1, after: $after) { edges { node { nodes { id } } } pageInfo { endCursor } } }
}`;

let client: Neo4jClient;
const children: ChildProcess[] = [];
let a: number;
let b: number;

beforeAll(async () => {
  client = await testClient();
  await resetGraph(client);
  await importDir(client, datasetDir({
    'products.csv': 'id,name\nP,Product\n',
    'factories.csv': 'id,name,country\nF,Plant,CN\n',
    'workers.csv': 'id,nationality\nW1,KP\nW2,KP\n',
    'employment.csv': 'worker_id,factory_id\nW1,F\nW2,F\n',
    'production.csv': 'item_id,factory_id\nP,F\n',
  }));
  [a, b] = [await freePort(), await freePort()];
  children.push(await serve(a), await serve(b));
}, 120_000);

afterAll(async () => {
  for (const c of children) c.kill();
  await client.close();
});

describe('two serve processes on one store', () => {
  it('answer the same, and each sees a change recorded through the other on its next request', async () => {
    // both load their snapshots (screen reads the whole graph)
    for (const port of [a, b]) expect((await gql(port, '{ screen { totalCount } }')).data.screen.totalCount).toBe(1);
    const before = await gql(a, TRACE);
    expect(await gql(b, TRACE)).toEqual(before);
    expect(before.data.trace.pathCount).toBe('2');

    const added = await gql(a, `mutation { applyChanges(input: { reason: "third cohort", workers: [{ id: "W0", nationality: "KP" }],
      employment: [{ workerId: "W0", factoryId: "F" }] }) { at } }`);
    expect(added.errors).toBeUndefined();
    // the other process: its next request sees the change (its snapshot caught up, no restart)
    const seenByB = await gql(b, TRACE);
    expect(seenByB.data.trace.pathCount).toBe('3');
    expect(seenByB.data.trace.paths.edges[0].node.nodes[0].id).toBe('W0');
    expect(await gql(a, TRACE)).toEqual(seenByB);
    expect((await gql(b, '{ screen { edges { node { pathCount } } } }')).data.screen.edges[0].node.pathCount).toBe('3');

    // a cursor from one process pages on in the other (same graph version), and is stale in both after a change
    const cursor = seenByB.data.trace.paths.pageInfo.endCursor;
    expect((await gql(a, TRACE, { after: cursor })).data.trace.paths.edges[0].node.nodes[0].id).toBe('W1');
    await gql(b, `mutation { applyChanges(input: { reason: "fourth", workers: [{ id: "W3", nationality: "KP" }], employment: [{ workerId: "W3", factoryId: "F" }] }) { id } }`);
    expect((await gql(a, TRACE, { after: cursor })).errors[0].extensions.code).toBe('STALE_CURSOR');

    // knowledge time agrees across processes
    const then = await gql(b, TRACE, { knownAt: added.data.applyChanges.at });
    expect(then.data.trace.pathCount).toBe('3');
    expect(await gql(a, TRACE, { knownAt: added.data.applyChanges.at })).toEqual(then);
    expect((await gql(a, TRACE)).data.trace.pathCount).toBe('4');
  });
});
