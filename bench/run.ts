import 'reflect-metadata';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, promises as fs, readFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import neo4j from 'neo4j-driver';
import { loadConfig, PROJECT_ROOT, type Config } from '../src/config';
import { readDataset } from '../src/dataset/dataset.reader';
import { ensureGraphSchema } from '../src/db/graph-schema';
import { connect, type Neo4jClient } from '../src/db/neo4j-client';
import { ensureRunning, stop } from '../src/db/embedded-neo4j';
import { importDataset } from '../src/import/import.service';
import { loadItemRegion } from '../src/trace/taint-graph.loader';
import { TraceEngine } from '../src/trace/trace.engine';
import { TraceResult, TraceService } from '../src/trace/trace.service';
import { generate } from './generate';

/**
 * `npm run bench [-- --scale small|medium|large|N,N,...] [--name NAME] [--seed S]`
 * Generates synthetic catalogues, imports them into a fresh database, and measures labortrace beside the
 * baseline an analyst would write by hand. Progress on stderr; a table on stdout; bench/results/NAME.json.
 */
interface Plan {
  scales: number[];
  samples: number;
  baselineSamples: number;
  baselineTimeoutMs: number;
  naiveRows: number;
  naiveSeconds: number;
  /** traces whose region is read per trace (the slow fallback path): a few tell the story */
  regionSamples: number;
  cannonSeconds: number;
  connections: number;
}

const PLANS: Record<string, Plan> = {
  small: { scales: [1_000, 10_000], samples: 40, baselineSamples: 10, baselineTimeoutMs: 2_000, naiveRows: 2_000, naiveSeconds: 5, regionSamples: 10, cannonSeconds: 4, connections: 8 },
  medium: { scales: [1_000, 10_000, 100_000], samples: 200, baselineSamples: 20, baselineTimeoutMs: 5_000, naiveRows: 20_000, naiveSeconds: 20, regionSamples: 25, cannonSeconds: 10, connections: 10 },
  large: { scales: [250_000, 1_000_000], samples: 200, baselineSamples: 20, baselineTimeoutMs: 10_000, naiveRows: 20_000, naiveSeconds: 30, regionSamples: 5, cannonSeconds: 15, connections: 10 },
};

const log = (msg: string) => process.stderr.write(`bench: ${msg}\n`);
const now = () => performance.now();
const DEEP_INDEX = 1_000_000n;

function percentile(values: number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}
const stats = (values: number[]) => ({ n: values.length, p50: round(percentile(values, 50)), p95: round(percentile(values, 95)), max: round(percentile(values, 100)) });
const round = (v: number | null) => (v === null ? null : Math.round(v * 100) / 100);

function seeded(seed: number) {
  let a = seed >>> 0;
  return (n: number) => {
    a = (a * 1664525 + 1013904223) >>> 0;
    return a % n;
  };
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

async function freshDatabase(cfg: Config): Promise<Neo4jClient> {
  if (!cfg.neo4jUri) {
    await stop(cfg);
    await fs.rm(path.join(cfg.home, 'neo4j'), { recursive: true, force: true });
    await ensureRunning(cfg);
  }
  const client = await connect(cfg);
  if (cfg.neo4jUri) await deleteAll(client);
  await ensureGraphSchema(client);
  return client;
}

async function deleteAll(client: Neo4jClient): Promise<void> {
  for (;;) {
    const deleted = await client.writeTx(async (tx) => (await tx.run('admin/delete-all-batch', { limit: neo4j.int(20_000) })).records[0].get('deleted') as number);
    if (deleted === 0) return;
  }
}

async function csvRows(file: string, limit: number): Promise<string[][]> {
  if (!existsSync(file)) return [];
  const lines = readFileSync(file, 'utf8').split('\n').slice(1, limit + 1).filter((l) => l !== '');
  return lines.map((l) => l.split(','));
}

/** The naive import: one statement, one transaction, one round trip per row. */
async function naiveImport(client: Neo4jClient, dir: string, plan: Plan) {
  const products = await csvRows(path.join(dir, 'products.csv'), plan.naiveRows / 2);
  const bom = await csvRows(path.join(dir, 'bom.csv'), plan.naiveRows / 2);
  const deadline = now() + plan.naiveSeconds * 1000;
  const started = now();
  let rows = 0;
  for (const [id, name] of products) {
    if (now() > deadline) break;
    await client.writeTx((tx) => tx.run('bench/naive-upsert-product', { id, name }));
    rows++;
  }
  for (const [parent, child] of bom) {
    if (now() > deadline) break;
    await client.writeTx((tx) => tx.run('bench/naive-upsert-bom-line', { parent, child }));
    rows++;
  }
  const seconds = (now() - started) / 1000;
  await deleteAll(client);
  return { rows, seconds: round(seconds), rowsPerSecond: Math.round(rows / seconds) };
}

async function gql(url: string, query: string, variables: Record<string, unknown> = {}): Promise<{ ms: number; body: any }> {
  const t = now();
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });
  const body = await res.json();
  const ms = now() - t;
  if ((body as any).errors) throw new Error(`GraphQL error: ${JSON.stringify((body as any).errors)}`);
  return { ms, body };
}

async function startApi(cfg: Config, port: number): Promise<{ child: ChildProcess; url: string }> {
  const env = { ...process.env, LABORTRACE_HOME: cfg.home, LABORTRACE_SEED: '0', LABORTRACE_SNAPSHOT_MAX_ROWS: String(cfg.snapshotMaxRows) };
  // The API gets the heap a whole-graph snapshot of the largest scale needs (README, "Performance").
  const child = spawn(process.execPath, ['--max-old-space-size=8192', path.join(PROJECT_ROOT, 'bin', 'labortrace.js'), 'serve', '--port', String(port), '--no-seed'], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  const url = `http://127.0.0.1:${port}/graphql`;
  await new Promise<void>((resolve, reject) => {
    let err = '';
    child.stderr!.on('data', (d: Buffer) => {
      err += d.toString();
      if (err.includes('GraphQL API at')) resolve();
    });
    child.on('exit', (code) => reject(new Error(`API exited (${code}): ${err}`)));
  });
  return { child, url };
}

function peakMemory(pid: number): { peakRssMb: number; rssMb: number } | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (key: string) => Number(/(\d+) kB/.exec(status.split('\n').find((l) => l.startsWith(key)) ?? '')?.[1] ?? NaN);
    return { peakRssMb: Math.round(kb('VmHWM') / 1024), rssMb: Math.round(kb('VmRSS') / 1024) };
  } catch {
    return null;
  }
}

const TRACE_QUERY = `query($id: ID!) { trace(itemId: $id) { exposure pathCount possiblePathCount openPathCount
  paths(first: 10) { edges { node { nodes { id } } } } } }`;

async function benchScale(nodes: number, plan: Plan, cfg: Config, seed: number) {
  const dir = path.join(PROJECT_ROOT, 'bench', 'data', `n${nodes}-s${seed}`);
  let gen: Awaited<ReturnType<typeof generate>>;
  const marker = path.join(dir, 'generated.json');
  if (existsSync(marker)) {
    gen = JSON.parse(readFileSync(marker, 'utf8'));
    log(`${nodes}: reusing ${dir}`);
  } else {
    const t = now();
    gen = await generate({ nodes, seed, dir }, (m) => log(`${nodes}: ${m}`));
    await fs.writeFile(marker, JSON.stringify(gen));
    log(`${nodes}: generated ${gen.rows} rows in ${((now() - t) / 1000).toFixed(1)}s`);
  }

  let client = await freshDatabase(cfg);
  log(`${nodes}: naive row-by-row import (baseline)`);
  const naive = await naiveImport(client, dir, plan);

  log(`${nodes}: import`);
  const t0 = now();
  const result = await readDataset(dir);
  if (!result.ok) throw new Error(`generated dataset is invalid: ${JSON.stringify(result.errors.slice(0, 3))}`);
  const t1 = now();
  const summary = await importDataset(client, result.dataset, {
    onProgress: (done, total) => {
      if (done === total || done % 500_000 < 10_000) log(`${nodes}: written ${done}/${total}`);
    },
  });
  const t2 = now();
  const rows = result.dataset.nodes.length + result.dataset.relationships.length;
  const imported = {
    rows, nodes: result.dataset.nodes.length, relationships: result.dataset.relationships.length,
    seconds: round((t2 - t0) / 1000), parseSeconds: round((t1 - t0) / 1000), writeSeconds: round((t2 - t1) / 1000),
    rowsPerSecond: Math.round(rows / ((t2 - t0) / 1000)), graphVersion: summary.graphVersion,
  };
  (result as { dataset?: unknown }).dataset = undefined;

  const ids = (await client.read<{ id: string }>('bench/product-ids')).map((r) => r.id).filter((id) => id !== 'BENCH-DIAMOND');
  const rand = seeded(seed + nodes);
  const sample = Array.from({ length: Math.min(plan.samples, ids.length) }, () => ids[rand(ids.length)]);

  // Reading a region costs about as much as its size in rows.
  const regionSample = sample.slice(0, plan.regionSamples);
  log(`${nodes}: trace latency, engine only, region read per trace (${regionSample.length} products)`);
  const traceOnce = (r: TraceResult) => {
    const total = r.total('direct');
    for (let i = 0n; i < total && i < 10n; i++) r.path('direct', i);
  };
  const regionMs: number[] = [];
  const regionSizes: number[] = [];
  for (const id of regionSample) {
    const t = now();
    const graph = (await loadItemRegion(client, id))!;
    traceOnce(new TraceResult(id, graph, new TraceEngine(graph, { asOf: null })));
    regionMs.push(now() - t);
    regionSizes.push(graph.nodes.size);
  }

  log(`${nodes}: trace latency, engine only, from the whole-graph snapshot`);
  const service = new TraceService(client, cfg.snapshotMaxRows);
  const snapshotStart = now();
  await service.snapshots.fresh();
  const snapshotLoadSeconds = round((now() - snapshotStart) / 1000);
  const snapshotHeapMb = Math.round(process.memoryUsage().heapUsed / 2 ** 20);
  const engineMs: number[] = [];
  const smallRegionMs: number[] = [];
  for (const [i, id] of sample.entries()) {
    const t = now();
    traceOnce((await service.trace(id))!);
    const ms = now() - t;
    engineMs.push(ms);
    if (i < regionSizes.length && regionSizes[i] <= 10_000) smallRegionMs.push(ms);
  }

  log(`${nodes}: baseline variable-length count(p), ${plan.baselineTimeoutMs} ms timeout`);
  const baselineMs: number[] = [];
  let baselineTimeouts = 0;
  for (const id of sample.slice(0, plan.baselineSamples)) {
    const t = now();
    try {
      await client.readOnce('bench/all-paths-count', { id }, plan.baselineTimeoutMs);
      baselineMs.push(now() - t);
    } catch {
      baselineTimeouts++;
      baselineMs.push(plan.baselineTimeoutMs);
    }
  }

  log(`${nodes}: screen`);
  const s0 = now();
  const screened = await new TraceService(client).screen(null);
  const s1 = now();
  await service.screen('2020-06-30');
  const s2 = now();
  const screen = {
    exposedProducts: screened.length,
    coldSeconds: round((s1 - s0) / 1000),
    warmSnapshotNewAsOfSeconds: round((s2 - s1) / 1000),
    snapshotLoadSeconds,
    snapshotHeapMb,
  };

  log(`${nodes}: deep path pages`);
  const diamond = (await service.trace('BENCH-DIAMOND'))!;
  // median of 21 pages of 10 paths, so one GC pause does not decide the figure
  const pageAt = (start: bigint) => {
    const times: number[] = [];
    for (let rep = 0; rep < 21; rep++) {
      const t = now();
      for (let i = start; i < start + 10n; i++) diamond.path('direct', i);
      times.push(now() - t);
    }
    return percentile(times, 50)!;
  };
  const deep = {
    pathCount: diamond.total('direct').toString(),
    engineFirstPageMs: round(pageAt(0n)),
    engineDeepPageMs: round(pageAt(DEEP_INDEX)),
    baselineDeepPageMs: null as number | null,
    baselineTimedOut: false,
    httpFirstPageMs: null as number | null,
    httpDeepPageMs: null as number | null,
  };
  {
    const t = now();
    try {
      await client.readOnce('bench/all-paths-page', { id: 'BENCH-DIAMOND', skip: neo4j.int(Number(DEEP_INDEX)), limit: neo4j.int(10) }, plan.baselineTimeoutMs);
      deep.baselineDeepPageMs = round(now() - t);
    } catch {
      deep.baselineTimedOut = true;
      deep.baselineDeepPageMs = plan.baselineTimeoutMs;
    }
  }
  await client.close();

  log(`${nodes}: API over HTTP`);
  const port = await freePort();
  const api = await startApi(cfg, port);
  let http;
  let throughput;
  let memory;
  try {
    const coldScreen = await gql(api.url, '{ screen(first: 10) { totalCount } }');
    const warmScreen = await gql(api.url, '{ screen(first: 10) { totalCount } }');
    const httpMs: number[] = [];
    for (const id of sample) httpMs.push((await gql(api.url, TRACE_QUERY, { id })).ms);
    const pageQuery = `query($after: String) { trace(itemId: "BENCH-DIAMOND") { paths(first: 10, after: $after) { edges { cursor } } } }`;
    deep.httpFirstPageMs = round((await gql(api.url, pageQuery)).ms);
    deep.httpDeepPageMs = round((await gql(api.url, pageQuery, { after: Buffer.from(`path.direct:${DEEP_INDEX - 1n}`).toString('base64url') })).ms);
    http = { trace: stats(httpMs), screenColdMs: round(coldScreen.ms), screenWarmMs: round(warmScreen.ms) };

    log(`${nodes}: autocannon, ${plan.connections} connections, ${plan.cannonSeconds}s`);
    const pickId = seeded(seed * 7 + nodes);
    const result = await autocannon({
      url: api.url, connections: plan.connections, duration: plan.cannonSeconds,
      requests: [{
        method: 'POST', headers: { 'content-type': 'application/json' },
        setupRequest: (req: autocannon.Request) => ({ ...req, body: JSON.stringify({ query: TRACE_QUERY, variables: { id: sample[pickId(sample.length)] } }) }),
      }],
    });
    throughput = {
      connections: plan.connections, seconds: plan.cannonSeconds, requestsPerSecond: round(result.requests.average),
      latencyP50Ms: result.latency.p50, latencyP99Ms: result.latency.p99, errors: result.errors, non2xx: result.non2xx,
    };
    memory = peakMemory(api.child.pid!);
  } finally {
    api.child.kill('SIGTERM');
  }

  return {
    nodes, generated: gen, import: imported, naiveImport: naive,
    trace: {
      engine: stats(engineMs), engineUpstreamAtMost1e4: stats(smallRegionMs), engineRegionPerTrace: stats(regionMs), regionNodes: stats(regionSizes),
      http: http!.trace, baselineAllPathsCount: { ...stats(baselineMs), timeouts: baselineTimeouts, timeoutMs: plan.baselineTimeoutMs },
    },
    screen: { ...screen, httpColdMs: http!.screenColdMs, httpWarmMs: http!.screenWarmMs },
    deepPage: deep, throughput, apiMemory: memory,
  };
}

function machine(cfg: Config, neo4jVersion: string) {
  const java = spawnSync('java', ['-version'], { encoding: 'utf8' });
  return {
    cores: os.cpus().length, cpu: os.cpus()[0]?.model, memoryGb: Math.round(os.totalmem() / 2 ** 30),
    node: process.version, java: (java.stderr || '').split('\n')[0], neo4j: neo4jVersion,
    neo4jHeap: cfg.neo4jUri ? 'external' : cfg.heap, neo4jPageCache: cfg.neo4jUri ? 'external' : cfg.pageCache,
  };
}

function ratio(a: number | null | undefined, b: number | null | undefined): string {
  return a && b ? `${(b / a).toFixed(b / a >= 10 ? 0 : 1)}x` : '-';
}

function table(results: Awaited<ReturnType<typeof benchScale>>[]): string {
  const lines = [
    '| nodes | rows | import rows/s (naive) | trace p50/p95 ms engine | (upstream<=1e4 p50) | region-per-trace p50 | http p50/p95 | baseline count(p) p50 (timeouts) | screen cold/new-asOf s | deep page k=1 / k=1e6 ms (baseline) | req/s (p99 ms) | API peak RSS MB |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const r of results) {
    lines.push(`| ${r.nodes} | ${r.import.rows} | ${r.import.rowsPerSecond} (${r.naiveImport.rowsPerSecond}, ${ratio(r.naiveImport.rowsPerSecond, r.import.rowsPerSecond)}) `
      + `| ${r.trace.engine.p50}/${r.trace.engine.p95} | ${r.trace.engineUpstreamAtMost1e4.p50} | ${r.trace.engineRegionPerTrace.p50} | ${r.trace.http.p50}/${r.trace.http.p95} `
      + `| ${r.trace.baselineAllPathsCount.p50} (${r.trace.baselineAllPathsCount.timeouts}/${r.trace.baselineAllPathsCount.n}; ${ratio(r.trace.engine.p50, r.trace.baselineAllPathsCount.p50)}) `
      + `| ${r.screen.coldSeconds}/${r.screen.warmSnapshotNewAsOfSeconds} | ${r.deepPage.engineFirstPageMs} / ${r.deepPage.engineDeepPageMs} (${r.deepPage.baselineTimedOut ? `>${r.deepPage.baselineDeepPageMs}` : r.deepPage.baselineDeepPageMs}) `
      + `| ${r.throughput?.requestsPerSecond} (${r.throughput?.latencyP99Ms}) | ${r.apiMemory?.peakRssMb ?? '-'} |`);
  }
  return lines.join('\n') + '\n';
}

function option(args: string[], name: string): string | undefined {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : args.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
}

export async function main(args: string[]): Promise<number> {
  const scaleArg = option(args, 'scale') ?? 'medium';
  const base = PLANS[scaleArg] ?? { ...PLANS.medium, scales: scaleArg.split(',').map(Number) };
  if (base.scales.some((n) => !Number.isInteger(n) || n < 100)) {
    process.stderr.write(`bench: --scale takes small, medium, large or node counts like 1000,20000\n`);
    return 2;
  }
  const seed = Number(option(args, 'seed') ?? 42);
  const name = option(args, 'name') ?? `${scaleArg.replace(/,/g, '_')}-${new Date().toISOString().slice(0, 10)}`;
  const env = loadConfig();
  const cfg: Config = env.neo4jUri ? env : { ...env, home: path.join(PROJECT_ROOT, '.labortrace', 'bench') };
  if (!process.env.LABORTRACE_SNAPSHOT_MAX_ROWS) cfg.snapshotMaxRows = 10_000_000;
  const started = now();
  const results = [];
  await fs.mkdir(path.join(PROJECT_ROOT, 'bench', 'results'), { recursive: true });
  const out = path.join(PROJECT_ROOT, 'bench', 'results', `${name}.json`);
  let machineInfo: ReturnType<typeof machine> | undefined;
  let seconds: number | null = 0;
  for (const nodes of base.scales) {
    results.push(await benchScale(nodes, base, cfg, seed));
    if (!machineInfo) {
      const client = await connect(cfg);
      const [db] = await client.read<{ version: string; edition: string }>('admin/dbms-components');
      await client.close();
      machineInfo = machine(cfg, `${db.version} ${db.edition}`);
    }
    seconds = round((now() - started) / 1000);
    // written after every scale, so a long run that fails late keeps what it measured
    const report = { name, date: new Date().toISOString(), machine: machineInfo, plan: base, seed, seconds, results };
    await fs.writeFile(out, JSON.stringify(report, null, 2) + '\n');
  }
  process.stdout.write(`machine: ${JSON.stringify(machineInfo)}\n\n${table(results)}\nwritten ${path.relative(PROJECT_ROOT, out)} (${seconds}s)\n`);
  if (!env.neo4jUri) await stop(cfg);
  return 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => { process.exitCode = code; }, (e) => {
    process.stderr.write(`bench: ${e instanceof Error ? e.stack : e}\n`);
    process.exitCode = 1;
  });
}
