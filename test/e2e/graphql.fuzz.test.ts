import path from 'node:path';
import fc from 'fast-check';
import type { Neo4jClient } from '../../src/db/neo4j-client';
import { EntityService } from '../../src/entity/entity.service';
import { startServer, type RunningServer } from '../../src/graphql/server';
import { TraceService } from '../../src/trace/trace.service';
import { importDir, resetGraph, testClient } from '../helpers/neo4j';

/**
 * Generated GraphQL documents and variables against a running server with the demo data: every response is JSON,
 * its status below 500, its body free of stack traces and internal paths, and it comes within a bound.
 */
const SEED = path.join(__dirname, '..', '..', 'seed');
const BOUND_MS = 10_000;
let client: Neo4jClient;
let server: RunningServer;

beforeAll(async () => {
  client = await testClient();
  await resetGraph(client);
  await importDir(client, SEED);
  server = await startServer({ client, entities: new EntityService(client), trace: new TraceService(client) }, 0, '127.0.0.1');
});
afterAll(async () => {
  await server.stop();
  await client.close();
});

const IDS = ['P-JACKET-01', 'P-VEST-03', 'F-YARN-MILL', 'W-KP-COHORT-01', 'CO-ORBISON', 'NOPE', '', 'x'.repeat(5000), '\u0000', '한국', "'; DROP", '🙂'];
const scalar = fc.oneof(
  fc.constantFrom(...IDS), fc.string({ unit: 'grapheme', maxLength: 30 }), fc.integer(), fc.double(), fc.boolean(), fc.constant(null),
  fc.constantFrom('2020-01-01', '2020-13-01', '0000-00-00', '9999-12-31', 'garbage', '1e309', '-1', '2147483648'),
);
const literal = scalar.map((v) => JSON.stringify(v)).map((s) => s ?? 'null');
const argName = fc.constantFrom('itemId', 'asOf', 'first', 'after', 'possible', 'id', 'nodeId', 'from', 'to', 'companyId', 'maxTiers', 'direction', 'filter', 'bogus');
const args = fc.array(fc.tuple(argName, fc.oneof(literal, fc.constantFrom('$v', 'UPSTREAM', '{ kind: PRODUCT }', '[1,2]', '{}'))), { maxLength: 3 })
  .map((a) => (a.length ? `(${a.map(([k, v]) => `${k}: ${v}`).join(', ')})` : ''));
const leaf = fc.constantFrom('id', 'name', 'kind', 'exposure', 'pathCount', 'possiblePathCount', 'openPathCount', 'totalCount', 'cursor', '__typename', 'bogus', 'countStatus', 'sourceCount');
const selection: fc.Arbitrary<string> = fc.letrec((tie) => ({
  sel: fc.array(fc.oneof({ depthSize: 'small', withCrossShrink: true }, leaf,
    fc.tuple(fc.constantFrom('item', 'paths', 'edges', 'node', 'nodes', 'relationships', 'subgraph', 'pageInfo', 'trace', 'shipment', 'products'), args, tie('sel'))
      .map(([f, a, s]) => `${f}${a} { ${s} }`)), { minLength: 1, maxLength: 4 }).map((xs) => xs.join(' ')),
})).sel as fc.Arbitrary<string>;
const root = fc.constantFrom('trace', 'screen', 'shipment', 'screenShipments', 'impact', 'items', 'factories', 'supplyChain', 'whereUsed', 'evidence', 'node', 'bogus');
const document = fc.oneof(
  { weight: 5, arbitrary: fc.tuple(fc.constantFrom('query', 'query Q($v: String)', 'mutation', 'subscription', '', 'query($v: ID!)'), fc.array(fc.tuple(fc.option(fc.constantFrom('a', 'b', 'c')), root, args, selection), { minLength: 1, maxLength: 3 }))
    .map(([op, fields]) => `${op} { ${fields.map(([alias, r, a, s]) => `${alias ? `${alias}: ` : ''}${r}${a} { ${s} }`).join(' ')} }`) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 200 }) },
  { weight: 1, arbitrary: fc.constantFrom('{', '}', 'query {{{', '{ trace(itemId: "P-JACKET-01") { paths(first: 1000000) { totalCount } } }', '{ __schema { types { name } } }', 'fragment F on Query { ...F } { ...F }', '{ a: __typename '.repeat(300)) },
);
const variables = fc.oneof(fc.constant(undefined), fc.dictionary(fc.constantFrom('v', 'w', 'after', 'first'), scalar), fc.constant('not an object' as unknown as Record<string, unknown>));

async function post(body: string, contentType = 'application/json'): Promise<{ status: number; text: string; ms: number }> {
  const started = Date.now();
  const res = await fetch(server.url, { method: 'POST', headers: { 'content-type': contentType }, body, signal: AbortSignal.timeout(BOUND_MS + 5_000) });
  const text = await res.text();
  return { status: res.status, text, ms: Date.now() - started };
}

function checkResponse(r: { status: number; text: string; ms: number }): void {
  expect(r.status).toBeLessThan(500);
  expect(() => JSON.parse(r.text)).not.toThrow();
  expect(r.text).not.toMatch(/\bat [\w.<>]+ \(|\.ts:\d+|\.js:\d+|node_modules|\/work\/|\/src\/|stacktrace/);
  expect(r.ms).toBeLessThan(BOUND_MS);
}

describe('fuzzing the GraphQL endpoint', () => {
  it('generated documents and variables: JSON, < 500, no internals, in time', async () => {
    await fc.assert(fc.asyncProperty(document, variables, async (query, vars) => {
      checkResponse(await post(JSON.stringify({ query, variables: vars })));
    }), { numRuns: 250 });
  });

  it('malformed bodies: JSON, < 500, no internals, in time', async () => {
    const bodies = fc.oneof(
      fc.string({ unit: 'grapheme', maxLength: 200 }),
      fc.jsonValue().map((v) => JSON.stringify(v)),
      fc.constantFrom('', '{', '{"query": 1}', '{"query": null}', '[]', '[{"query":"{ __typename }"}]', 'null', '{"query":"{ __typename }","variables":"x"}', '\u0000', '{"query":"{ __typename }","operationName":5}'),
    );
    await fc.assert(fc.asyncProperty(bodies, fc.constantFrom('application/json', 'text/plain', 'application/graphql'), async (body, type) => {
      checkResponse(await post(body, type));
    }), { numRuns: 150 });
  });
});
