import net from 'node:net';
import path from 'node:path';
import { Writable } from 'node:stream';
import neo4j from 'neo4j-driver';
import { UnauthenticatedError, type Authenticator } from '../../src/auth/principal';
import { Neo4jClient } from '../../src/db/neo4j-client';
import { EntityService } from '../../src/entity/entity.service';
import { startServer, type RunningServer } from '../../src/graphql/server';
import { TraceService } from '../../src/trace/trace.service';
import { importDir, resetGraph, testClient } from '../helpers/neo4j';
import { freePort } from '../helpers/net';

/** ACCESS.md, "Operations" and the faults of issue 8: health, metrics, the request log, Neo4j gone and back. */
const SEED = path.join(__dirname, '..', '..', 'seed');
const JACKET = JSON.stringify({ query: 'query TraceJacket { trace(itemId: "P-JACKET-01") { exposure pathCount } }', operationName: 'TraceJacket' });
const SECRET = 'lt_secret_key_0123456789abcdef';

let client: Neo4jClient;

const services = (c: Neo4jClient) => ({ client: c, entities: new EntityService(c), trace: new TraceService(c) });

async function post(url: string, body: string, headers: Record<string, string> = {}) {
  const started = performance.now();
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  const json = (await res.json()) as any;
  return { status: res.status, json, ms: performance.now() - started };
}

async function get(url: string) {
  const started = performance.now();
  const res = await fetch(url);
  return { status: res.status, text: await res.text(), type: res.headers.get('content-type'), ms: performance.now() - started, headers: res.headers };
}

const base = (server: RunningServer) => server.url.replace(/\/graphql$/, '');

/** A TCP relay to the test Neo4j on a fixed port that can be cut (as if Neo4j were killed) and restored. */
class Relay {
  private server?: net.Server;
  private sockets = new Set<net.Socket>();
  constructor(readonly port: number, private readonly target: { host: string; port: number }) {}

  async start(): Promise<void> {
    this.server = net.createServer((inbound) => {
      const outbound = net.connect(this.target.port, this.target.host);
      for (const s of [inbound, outbound]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => { inbound.destroy(); outbound.destroy(); });
      }
      inbound.pipe(outbound).pipe(inbound);
    });
    await new Promise<void>((r) => this.server!.listen(this.port, '127.0.0.1', r));
  }

  async kill(): Promise<void> {
    const closed = new Promise((r) => this.server!.close(r));
    for (const s of this.sockets) s.destroy();
    await closed;
  }
}

beforeAll(async () => {
  client = await testClient();
  await resetGraph(client);
  await importDir(client, SEED);
});
afterAll(async () => {
  await client.close();
});

describe('health, metrics and the request log', () => {
  let server: RunningServer;
  const lines: string[] = [];
  const authenticator: Authenticator = {
    localMode: async () => false,
    authenticate: async (authorization) => {
      if (authorization === `Bearer ${SECRET}`) return { actor: 'ops-analyst', role: 'analyst' };
      throw new UnauthenticatedError('a valid API key is required');
    },
  };

  beforeAll(async () => {
    const sink = new Writable({
      write(chunk, _enc, done) {
        lines.push(...String(chunk).split('\n').filter((l) => l !== ''));
        done();
      },
    });
    server = await startServer({ ...services(client), authenticator }, 0, '127.0.0.1',
      { logDestination: sink, logLevel: 'info', corsOrigins: ['https://allowed.example'] });
  });
  afterAll(async () => {
    await server.stop();
  });

  it('/health/live and /health/ready answer 200 with JSON', async () => {
    const live = await get(`${base(server)}/health/live`);
    expect({ status: live.status, body: JSON.parse(live.text) }).toEqual({ status: 200, body: { status: 'live' } });
    const ready = await get(`${base(server)}/health/ready`);
    expect({ status: ready.status, body: JSON.parse(ready.text) }).toEqual({ status: 200, body: { status: 'ready' } });
  });

  it('a request without a valid credential is 401 UNAUTHENTICATED; with one it runs as its actor', async () => {
    const refused = await post(server.url, JACKET, { authorization: 'Bearer wrong' });
    expect(refused.status).toBe(401);
    expect(refused.json.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    const ok = await post(server.url, JACKET, { authorization: `Bearer ${SECRET}` });
    expect(ok.json).toEqual({ data: { trace: { exposure: 'DIRECT', pathCount: '3' } } });
  });

  it('logs one JSON line per request on stderr: time, actor, operation, duration, outcome; never the key', async () => {
    lines.length = 0;
    await post(server.url, JACKET, { authorization: `Bearer ${SECRET}` });
    await post(server.url, JACKET, { authorization: `Bearer not-${SECRET}` });
    await new Promise((r) => setTimeout(r, 50)); // the log line is written when the response closes
    const requests = lines.map((l) => JSON.parse(l)).filter((l) => l.msg === 'request');
    expect(requests).toHaveLength(2);
    expect(requests[0]).toMatchObject({ actor: 'ops-analyst', operation: 'TraceJacket', outcome: 'ok', status: 200, path: '/graphql' });
    expect(requests[1]).toMatchObject({ actor: null, outcome: 'UNAUTHENTICATED', status: 401 });
    for (const r of requests) {
      expect(typeof r.durationMs).toBe('number');
      expect(Number.isNaN(Date.parse(r.time))).toBe(false);
    }
    const all = lines.join('\n');
    expect(all).not.toContain(SECRET);
    expect(all).not.toMatch(/authorization|Bearer|P-JACKET-01/i);
  });

  it('/metrics: requests by operation and outcome, latency, Neo4j errors, snapshot rows and age', async () => {
    await post(server.url, JACKET, { authorization: `Bearer ${SECRET}` });
    const m = await get(`${base(server)}/metrics`);
    expect(m.status).toBe(200);
    expect(m.type).toMatch(/^text\/plain/);
    expect(m.text).toMatch(/^labortrace_graphql_requests_total\{operation="TraceJacket",outcome="ok"\} [1-9]/m);
    expect(m.text).toMatch(/^labortrace_graphql_requests_total\{operation="\(none\)",outcome="UNAUTHENTICATED"\} [1-9]/m);
    expect(m.text).toMatch(/^labortrace_graphql_request_duration_seconds_bucket\{le="0.5",operation="TraceJacket",outcome="ok"\} \d+/m);
    expect(m.text).toContain('# TYPE labortrace_neo4j_errors_total counter');
    expect(m.text).toMatch(/^labortrace_snapshot_rows \d+/m);
    expect(m.text).toContain('# TYPE labortrace_snapshot_age_seconds gauge');
    expect(m.text).toContain('# TYPE labortrace_snapshot_from_file gauge');
    expect(m.text).toMatch(/^labortrace_process_resident_memory_bytes \d+/m);
  });

  it('CORS only for the origins in LABORTRACE_CORS_ORIGINS', async () => {
    const preflight = (origin: string) => fetch(server.url, {
      method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,authorization' },
    });
    const allowed = await preflight('https://allowed.example');
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://allowed.example');
    const other = await preflight('https://evil.example');
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('introspection off when not in local mode; unknown routes answer JSON 404', async () => {
    const intro = await post(server.url, JSON.stringify({ query: '{ __schema { types { name } } }' }), { authorization: `Bearer ${SECRET}` });
    expect(intro.json.errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(intro.json.errors[0].message).toMatch(/introspection/i);
    const missing = await get(`${base(server)}/nope`);
    expect(missing.status).toBe(404);
    expect(JSON.parse(missing.text).errors[0].extensions.code).toBe('NOT_FOUND');
  });

  it('introspection on in local mode (no authenticator: local)', async () => {
    const local = await startServer(services(client), 0, '127.0.0.1', { logLevel: 'silent' });
    try {
      const intro = await post(local.url, JSON.stringify({ query: '{ __schema { queryType { name } } }' }));
      expect(intro.json).toEqual({ data: { __schema: { queryType: { name: 'Query' } } } });
    } finally {
      await local.stop();
    }
  });
});

describe('Neo4j out of reach', () => {
  it('nothing listening: a trace is SERVICE_UNAVAILABLE (HTTP 503) within moments, /health/ready is 503', async () => {
    // the driver's defaults (30 s of retries): the request path does not depend on them
    const driver = neo4j.driver(`bolt://127.0.0.1:${await freePort()}`, undefined, { disableLosslessIntegers: true, logging: { level: 'error', logger: () => {} } });
    const dead = new Neo4jClient(driver);
    const server = await startServer(services(dead), 0, '127.0.0.1', { logLevel: 'silent' });
    try {
      const a = await post(server.url, JACKET);
      expect({ status: a.status, code: a.json.errors?.[0]?.extensions?.code }).toEqual({ status: 503, code: 'SERVICE_UNAVAILABLE' });
      expect(a.ms).toBeLessThan(5000);
      expect(JSON.stringify(a.json)).not.toMatch(/stacktrace|ECONNREFUSED|127\.0\.0\.1|\.[jt]s:\d+/);
      const ready = await get(`${base(server)}/health/ready`);
      expect(ready.status).toBe(503);
      expect(JSON.parse(ready.text)).toEqual({ status: 'unavailable', reason: 'Neo4j is unreachable' });
      expect(ready.ms).toBeLessThan(5000);
      const m = await get(`${base(server)}/metrics`);
      expect(m.text).toMatch(/^labortrace_neo4j_errors_total\{kind="unavailable",code="ServiceUnavailable"\} [1-9]/m);
    } finally {
      await server.stop();
      await dead.close();
    }
  });

  it('Neo4j cut while serving: SERVICE_UNAVAILABLE fast, ready 503; back: the API recovers by itself', async () => {
    const target = new URL(process.env.LABORTRACE_TEST_NEO4J_URI!);
    const relay = new Relay(await freePort(), { host: target.hostname, port: Number(target.port || 7687) });
    await relay.start();
    const user = process.env.LABORTRACE_TEST_NEO4J_USER;
    const driver = neo4j.driver(`bolt://127.0.0.1:${relay.port}`, user ? neo4j.auth.basic(user, process.env.LABORTRACE_TEST_NEO4J_PASSWORD ?? '') : undefined,
      { disableLosslessIntegers: true, logging: { level: 'error', logger: () => {} } });
    const relayed = new Neo4jClient(driver, process.env.LABORTRACE_TEST_NEO4J_DATABASE || undefined);
    const server = await startServer(services(relayed), 0, '127.0.0.1', { logLevel: 'silent' });
    try {
      expect((await post(server.url, JACKET)).json).toEqual({ data: { trace: { exposure: 'DIRECT', pathCount: '3' } } });
      await relay.kill();
      const down = await post(server.url, JACKET);
      expect({ status: down.status, code: down.json.errors?.[0]?.extensions?.code }).toEqual({ status: 503, code: 'SERVICE_UNAVAILABLE' });
      expect(down.ms).toBeLessThan(5000);
      expect((await get(`${base(server)}/health/ready`)).status).toBe(503);
      await relay.start();
      const ready = await get(`${base(server)}/health/ready`);
      expect(ready.status).toBe(200);
      expect((await post(server.url, JACKET)).json).toEqual({ data: { trace: { exposure: 'DIRECT', pathCount: '3' } } });
    } finally {
      await server.stop();
      await relayed.close();
      await relay.kill().catch(() => undefined);
    }
  });
});
