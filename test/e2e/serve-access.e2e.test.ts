import { spawn, type ChildProcess } from 'node:child_process';
import type { Neo4jClient } from '../../src/db/neo4j-client';
import { datasetDir, importDir, resetGraph, testClient } from '../helpers/neo4j';
import { freePort } from '../helpers/net';
import { BIN, runCli, testDbEnv } from '../helpers/cli';

/**
 * `labortrace serve` and `labortrace keys` as an operator runs them, against the test database: local mode only on
 * loopback, then keys required, roles enforced, and a revoked key refused by the running server at once.
 */
const env = testDbEnv();
const cli = (...args: string[]) => runCli(args, { env, timeoutMs: 60_000 });

/** Starts `serve` and resolves once it listens, with everything it wrote to stderr so far. */
async function serve(port: number): Promise<{ child: ChildProcess; stderr: () => string }> {
  const child = spawn('node', [BIN, 'serve', '--port', String(port)], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start: ${err}`)), 60_000);
    child.stderr!.on('data', (d) => {
      err += String(d);
      if (err.includes('GraphQL API at')) {
        clearTimeout(timer);
        setTimeout(resolve, 200); // the local-mode line follows the address
      }
    });
    child.once('exit', (code) => reject(new Error(`serve exited with ${code}: ${err}`)));
  });
  return { child, stderr: () => err };
}

async function post(port: number, query: string, key?: string): Promise<{ status: number; body: any }> {
  const res = await fetch(`http://127.0.0.1:${port}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
    body: JSON.stringify({ query }),
  });
  return { status: res.status, body: await res.json() };
}

let client: Neo4jClient;
beforeAll(async () => {
  client = await testClient();
  await resetGraph(client);
  await importDir(client, datasetDir({
    'products.csv': 'id,name\nP1,Jacket\n',
    'factories.csv': 'id,name,country\nF1,Plant,CN\n',
    'workers.csv': 'id,nationality,name\nW1,KP,Named Person\n',
    'employment.csv': 'worker_id,factory_id,from,to\nW1,F1,2012-01-01,\n',
    'production.csv': 'item_id,factory_id,from,to\nP1,F1,,\n',
  }));
});
afterAll(async () => {
  await resetGraph(client);
  await client.close();
});

it('local mode serves loopback only, says so, and refuses to listen beyond it', async () => {
  const refused = await cli('serve', '--host', '0.0.0.0', '--port', '0');
  expect(refused.code).toBe(1);
  expect(refused.stderr).toMatch(/labortrace keys create/);
  expect(refused.stderr).not.toMatch(/\n\s+at /); // one clear line, no stack
  const port = await freePort();
  const { child, stderr } = await serve(port);
  try {
    expect(stderr()).toMatch(/local mode/);
    const r = await post(port, '{ trace(itemId: "P1") { exposure paths { edges { node { nodes { id name } } } } } }');
    expect(r.status).toBe(200);
    expect(r.body.data.trace.exposure).toBe('DIRECT');
    expect(r.body.data.trace.paths.edges[0].node.nodes[0]).toEqual({ id: 'W1', name: 'Named Person' }); // local is admin
  } finally {
    child.kill('SIGTERM');
  }
});

it('with a key: credentials required, roles enforced at the field, revocation effective at once', async () => {
  const port = await freePort();
  const { child } = await serve(port); // started in local mode: creating a key ends it for the running server
  try {
    const created = await cli('keys', 'create', '--role', 'viewer', '--name', 'e2e-viewer');
    expect(created.code).toBe(0);
    const key = created.stdout.trim();
    expect(created.stdout.split('\n').filter(Boolean)).toEqual([key]);
    const listed = await cli('keys', 'list');
    expect(listed.stdout).toContain('e2e-viewer');
    expect(listed.stdout).not.toContain(key);

    const anonymous = await post(port, '{ screen { totalCount } }');
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');

    const viewer = await post(port, '{ screen { totalCount } trace(itemId: "P1") { exposure pathCount } }', key);
    expect(viewer.body).toEqual({ data: { screen: { totalCount: 1 }, trace: { exposure: 'DIRECT', pathCount: '1' } } });
    // paths need an analyst; the field is non-null in the contract, so the error nulls its parent
    const paths = await post(port, '{ trace(itemId: "P1") { exposure paths { totalCount } } }', key);
    expect(paths.body.errors.map((e: any) => [e.path, e.extensions.code])).toEqual([[['trace', 'paths'], 'FORBIDDEN']]);

    expect((await cli('keys', 'revoke', 'e2e-viewer')).code).toBe(0);
    const revoked = await post(port, '{ screen { totalCount } }', key);
    expect(revoked.status).toBe(401);
    // no key is left: the server, started on loopback, is back in local mode
    expect((await post(port, '{ screen { totalCount } }')).status).toBe(200);
  } finally {
    child.kill('SIGTERM');
  }
});
