import path from 'node:path';
import type { Neo4jClient } from '../../src/db/neo4j-client';
import { EntityService } from '../../src/entity/entity.service';
import { startServer, type RunningServer } from '../../src/graphql/server';
import { TraceService } from '../../src/trace/trace.service';
import { importDir, resetGraph, testClient } from '../helpers/neo4j';

/**
 * ACCESS.md, "Limits": each hostile request is refused at once with the contract's code, while a trace started at
 * the same moment still gets its right answer.
 */
const SEED = path.join(__dirname, '..', '..', 'seed');
let client: Neo4jClient;
let server: RunningServer;

interface Answer { status: number; body: any; text: string; ms: number; contentType: string | null }

async function post(body: string, headers: Record<string, string> = {}, url = server.url): Promise<Answer> {
  const started = performance.now();
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  const text = await res.text();
  const ms = performance.now() - started;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  return { status: res.status, body: parsed, text, ms, contentType: res.headers.get('content-type') };
}

const query = (q: string) => JSON.stringify({ query: q });
const JACKET = query('{ trace(itemId: "P-JACKET-01") { exposure pathCount possiblePathCount } }');

/** The hostile request and a legitimate trace, sent at the same moment. */
async function alongsideTrace(hostile: () => Promise<Answer>): Promise<Answer> {
  const [answer, trace] = await Promise.all([hostile(), post(JACKET)]);
  expect(trace.status).toBe(200);
  expect(trace.body).toEqual({ data: { trace: { exposure: 'DIRECT', pathCount: '3', possiblePathCount: '0' } } });
  return answer;
}

function expectRefused(a: Answer, status: number, code: string, message?: RegExp): void {
  expect({ status: a.status, code: a.body?.errors?.[0]?.extensions?.code }).toEqual({ status, code });
  if (message) expect(a.body.errors[0].message).toMatch(message);
  expect(a.body.data ?? null).toBeNull();
  expect(a.contentType).toMatch(/^application\/json/);
  expect(a.ms).toBeLessThan(1000);
  // no stack trace, no internal path
  expect(a.text).not.toMatch(/stacktrace|\bat \S+ \(|\.[jt]s:\d+|node_modules|\/work\//);
}

beforeAll(async () => {
  client = await testClient();
  await resetGraph(client);
  await importDir(client, SEED);
  server = await startServer({ client, entities: new EntityService(client), trace: new TraceService(client) }, 0, '127.0.0.1', { logLevel: 'silent' });
  // warm: the snapshot and the engine, so the concurrent trace measures the server, not a first load
  expect((await post(JACKET)).body.data.trace.exposure).toBe('DIRECT');
});
afterAll(async () => {
  await server.stop();
  await client.close();
});

describe('limits: refused at once, the server keeps serving', () => {
  it('depth 50 → QUERY_TOO_COMPLEX', async () => {
    let selection = '{ id }';
    for (let i = 0; i < 25; i++) selection = `{ id components { component ${selection} } }`;
    const a = await alongsideTrace(() => post(query(`{ item(id: "P-JACKET-01") ${selection} }`)));
    expectRefused(a, 400, 'QUERY_TOO_COMPLEX', /depth limit of 12/i);
  });

  it('500 aliases → QUERY_TOO_COMPLEX', async () => {
    const fields = Array.from({ length: 500 }, (_, i) => `a${i}: items { totalCount }`).join(' ');
    const a = await alongsideTrace(() => post(query(`{ ${fields} }`)));
    expectRefused(a, 400, 'QUERY_TOO_COMPLEX', /aliases limit of 30/i);
  });

  it('a cost bomb (nested lists with first: 1000) → QUERY_TOO_COMPLEX', async () => {
    const bomb = `{ items(first: 1000) { edges { node { id name components { quantity component { id name madeAt { from to factory { id name } } } } } } }
      trace(itemId: "P-JACKET-01") { paths(first: 1000) { edges { node { nodes { id kind name } relationships { id type source target evidenceIds } } } } } }`;
    const a = await alongsideTrace(() => post(query(bomb)));
    expectRefused(a, 400, 'QUERY_TOO_COMPLEX', /cost limit of 20000 exceeded/i);
  });

  it('a 10 MB body → 413 QUERY_TOO_COMPLEX', async () => {
    const big = JSON.stringify({ query: '{ __typename }', variables: { padding: 'x'.repeat(10 * 1024 * 1024) } });
    const a = await alongsideTrace(() => post(big));
    expectRefused(a, 413, 'QUERY_TOO_COMPLEX', /larger than 1048576 bytes/);
  });

  it('malformed JSON → 400 BAD_REQUEST as a JSON GraphQL error, no stack trace', async () => {
    const a = await alongsideTrace(() => post('{"query": "{ __typename }", '));
    expectRefused(a, 400, 'BAD_REQUEST', /not valid JSON/);
    expect(a.text).not.toMatch(/<html|Unexpected token|SyntaxError/i);
  });

  it('a batched (array) request → QUERY_TOO_COMPLEX', async () => {
    const a = await alongsideTrace(() => post(JSON.stringify([{ query: '{ __typename }' }, { query: '{ __typename }' }])));
    expectRefused(a, 400, 'QUERY_TOO_COMPLEX', /batched/);
  });

  it('over 5,000 tokens → QUERY_TOO_COMPLEX', async () => {
    const fields = Array.from({ length: 6000 }, () => '__typename').join(' ');
    const a = await alongsideTrace(() => post(query(`{ ${fields} }`)));
    expectRefused(a, 400, 'QUERY_TOO_COMPLEX', /token limit of 5000 exceeded/i);
  });

  it('over 50 directives → QUERY_TOO_COMPLEX', async () => {
    const directives = Array.from({ length: 60 }, () => '@include(if: true)').join(' ');
    const a = await alongsideTrace(() => post(query(`{ __typename ${directives} }`)));
    expectRefused(a, 400, 'QUERY_TOO_COMPLEX', /directives limit of 50/i);
  });

  it('first outside 0..1000 → BAD_USER_INPUT, not a cost rejection', async () => {
    const a = await post(query('{ items(first: 5000) { totalCount } }'));
    expect(a.body.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argumentName: 'first' });
  });

  it('legitimate queries under the limits pass: the README trace example', async () => {
    const a = await post(query(`{ trace(itemId: "P-JACKET-01", asOf: "2023-05-01") {
      exposure pathCount possiblePathCount openPathCount
      paths(first: 10) { totalCount edges { cursor node { rebutted nodes { id kind name } relationships { id type source target from to evidenceIds rebutted } } } pageInfo { hasNextPage endCursor } }
      subgraph { nodes { id kind name source } relationships { id type source target } } } }`));
    expect(a.body.errors).toBeUndefined();
    expect(a.body.data.trace.paths.totalCount).toBe('3');
  });
});

describe('the request deadline', () => {
  it('a request over LABORTRACE_REQUEST_TIMEOUT_MS answers TIMEOUT, and the server serves the next one', async () => {
    const hurried = await startServer({ client, entities: new EntityService(client), trace: new TraceService(client) }, 0, '127.0.0.1',
      { logLevel: 'silent', requestTimeoutMs: 1 });
    try {
      const a = await post(JACKET, {}, hurried.url);
      expect(a.body.errors[0].extensions.code).toBe('TIMEOUT');
      expect(a.status).toBe(504);
      expect(a.ms).toBeLessThan(1000);
      expect(a.text).not.toMatch(/stacktrace|\.[jt]s:\d+/);
    } finally {
      await hurried.stop();
    }
    expect((await post(JACKET)).body.data.trace.pathCount).toBe('3');
  });
});
