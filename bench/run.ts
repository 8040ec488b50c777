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
import { bulkImportDataset, chooseImportPath } from '../src/import/bulk-import';
import { importDataset, type ImportSummary } from '../src/import/import.service';
import { loadItemRegion } from '../src/trace/taint-graph.loader';
import { TraceEngine } from '../src/trace/engine/trace.engine';
import { SnapshotFile } from '../src/trace/snapshot-file';
import { TraceResult, TraceService } from '../src/trace/trace.service';
import { freeResultFile, option } from './bench-cli';
import { catalogue, screenCatalogue } from './cycle';
import { benchOneTransaction, benchStaged } from './staged-import';
import { generate } from './generate';

/**
 * `npm run bench [-- --scale small|medium|large|N,N,...] [--name NAME] [--seed S] [--before NAME,...]`
 * Generates synthetic catalogues, imports them into a fresh database, and measures labortrace beside the
 * baseline an analyst would write by hand, then change sets (knownAt, snapshot catch-up) beside theirs.
 * `--before` names earlier results (bench/results/NAME.json) whose import and trace figures at the same scale are
 * shown beside this run's. Progress on stderr; tables on stdout; bench/results/NAME.json (NAME-2.json, ... when that
 * exists: results are never overwritten). Exit 1 when a
 * correctness check failed (listed at the end and in the JSON's checksFailed).
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
  /** change sets of 10 rows, each followed by the trace that must see it (snapshot catch-up) */
  changeRounds: number;
  /** the saved snapshot (README, "Saved snapshot"): written and read back in process, and the API restarted beside it */
  restart?: boolean;
  /** issue 10's figures that need a catalogue of their own, after the scales (see issue10Figures) */
  issue10?: { stagedNodes: number; cycleNodes: number; cycleCompanies: number; cycleCheckEvery: number };
}

const PLANS: Record<string, Plan> = {
  small: { scales: [1_000, 10_000], samples: 40, baselineSamples: 10, baselineTimeoutMs: 2_000, naiveRows: 2_000, naiveSeconds: 5, regionSamples: 10, cannonSeconds: 4, connections: 8, changeRounds: 10 },
  medium: { scales: [1_000, 10_000, 100_000], samples: 200, baselineSamples: 20, baselineTimeoutMs: 5_000, naiveRows: 20_000, naiveSeconds: 20, regionSamples: 25, cannonSeconds: 10, connections: 10, changeRounds: 10 },
  large: {
    scales: [250_000, 1_000_000], samples: 200, baselineSamples: 20, baselineTimeoutMs: 10_000, naiveRows: 20_000, naiveSeconds: 30, regionSamples: 5, cannonSeconds: 15, connections: 10, changeRounds: 10,
    restart: true, issue10: { stagedNodes: 100_000, cycleNodes: 250_000, cycleCompanies: 10_000, cycleCheckEvery: 10 },
  },
};

const now = () => performance.now();
const log = (msg: string) => process.stderr.write(`bench: [${(now() / 1000).toFixed(0)}s] ${msg}\n`);
const DEEP_INDEX = 1_000_000n;
/** The asOf values of the screens on a loaded snapshot ("new asOf"): the first is the one every earlier run used. */
const NEW_AS_OF = ['2020-06-30', '2019-01-01', '2021-06-30'];

export function percentile(values: number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}
export const stats = (values: number[]) => ({ n: values.length, p50: round(percentile(values, 50)), p95: round(percentile(values, 95)), max: round(percentile(values, 100)) });
export const round = (v: number | null) => (v === null ? null : Math.round(v * 100) / 100);

export function seeded(seed: number) {
  let a = seed >>> 0;
  return (n: number) => {
    a = (a * 1664525 + 1013904223) >>> 0;
    return a % n;
  };
}

export function freePort(): Promise<number> {
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

export async function gql(url: string, query: string, variables: Record<string, unknown> = {}): Promise<{ ms: number; body: any }> {
  const t = now();
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });
  const body = await res.json();
  const ms = now() - t;
  if ((body as any).errors) throw new Error(`GraphQL error: ${JSON.stringify((body as any).errors)}`);
  return { ms, body };
}

export async function startApi(cfg: Config, port: number, heapMb = 8192): Promise<{ child: ChildProcess; url: string }> {
  const env = { ...process.env, LABORTRACE_HOME: cfg.home, LABORTRACE_SEED: '0', LABORTRACE_SNAPSHOT_MAX_ROWS: String(cfg.snapshotMaxRows) };
  // The API gets the heap a whole-graph snapshot of the largest scale needs (README, "Performance").
  const child = spawn(process.execPath, [`--max-old-space-size=${heapMb}`, path.join(PROJECT_ROOT, 'bin', 'labortrace.js'), 'serve', '--port', String(port), '--no-seed'], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  const url = `http://127.0.0.1:${port}/graphql`;
  await new Promise<void>((resolve, reject) => {
    let err = '';
    let started = false;
    child.stderr!.on('data', (d: Buffer) => {
      // Read to the end (a full pipe would block the API), kept only until it listens: its request log would grow
      // this string by a line per request, in the process that times those requests.
      if (started) return;
      err += d.toString();
      if (err.includes('GraphQL API at')) {
        started = true;
        resolve();
      }
    });
    child.on('exit', (code) => reject(new Error(`API exited (${code}): ${err}`)));
  });
  return { child, url };
}

/** Stops an API started by startApi and waits until it has exited (at once if it already has). */
export async function stopApi(child: ChildProcess): Promise<void> {
  const exited = new Promise<void>((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve() : child.once('exit', () => resolve())));
  child.kill('SIGTERM');
  await exited;
}

/** A Neo4j transaction timeout (the statement ran out of its time), as opposed to any other failure. */
function isTimeout(e: unknown): boolean {
  const code = String((e as { code?: unknown })?.code ?? '');
  return /TransactionTimedOut|DeadlineExceeded/.test(code) || (e as Error)?.name === 'DeadlineExceededError';
}

const errorText = (e: unknown) => `${(e as { code?: string })?.code ?? ''} ${(e as Error)?.message ?? String(e)}`.trim().slice(0, 300);

export function peakMemory(pid: number): { peakRssMb: number; rssMb: number } | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (key: string) => Number(/(\d+) kB/.exec(status.split('\n').find((l) => l.startsWith(key)) ?? '')?.[1] ?? NaN);
    return { peakRssMb: Math.round(kb('VmHWM') / 1024), rssMb: Math.round(kb('VmRSS') / 1024) };
  } catch {
    return null;
  }
}

export const TRACE_QUERY = `query($id: ID!) { trace(itemId: $id) { exposure pathCount possiblePathCount openPathCount
  paths(first: 10) { edges { node { nodes { id } } } } } }`;

/** The same trace (counts + the first 10 paths) at a knowledge time (CHANGES.md, "Knowledge time"). */
const TRACE_KNOWN_AT_QUERY = `query($id: ID!, $knownAt: DateTime) { trace(itemId: $id, knownAt: $knownAt) { exposure pathCount possiblePathCount openPathCount
  paths(first: 10) { edges { node { nodes { id } } } } } }`;
const COUNTS_QUERY = `query($id: ID!) { trace(itemId: $id) { countStatus pathCount possiblePathCount openPathCount } }`;
const APPLY_MUTATION = `mutation($input: ChangeSetInput!) { applyChanges(input: $input) { id at changeCount } }`;
const LATEST_CHANGE_SET = '{ changeSets(first: 1) { totalCount edges { node { id at source changeCount } } } }';
export const SCREEN_PAGE = `query($after: String) { screen(first: 1000, after: $after) { totalCount
  edges { node { countStatus pathCount possiblePathCount openPathCount } } pageInfo { hasNextPage endCursor } } }`;

/** A GraphQL request whose errors are returned, not thrown (a cold knownAt may hit the request deadline). */
async function gqlRaw(url: string, query: string, variables: Record<string, unknown> = {}): Promise<{ ms: number; body: any }> {
  const t = now();
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });
  const body = await res.json();
  return { ms: now() - t, body };
}

/**
 * A request that may outlast the API's request deadline (LABORTRACE_REQUEST_TIMEOUT_MS, 30 s by default) the first
 * time: a cold screen (the snapshot load) or a cold knownAt (the replay) go on in the background after a TIMEOUT,
 * so the request is sent again until answered. `ms` is the time from the first send to the answer.
 */
export async function gqlAnswered(url: string, query: string, variables: Record<string, unknown> = {}): Promise<{ ms: number; body: any; timeouts: number }> {
  const start = now();
  for (let timeouts = 0; ; timeouts++) {
    const r = await gqlRaw(url, query, variables);
    const errors = r.body.errors as { extensions?: { code?: string } }[] | undefined;
    if (!errors) return { ms: now() - start, body: r.body, timeouts };
    if (!errors.every((e) => e.extensions?.code === 'TIMEOUT') || timeouts >= 20) throw new Error(`GraphQL error: ${JSON.stringify(errors)}`);
    log(`a request hit the API's request deadline (${timeouts + 1}), asking again: ${query.slice(0, 60).replace(/\s+/g, ' ')}`);
  }
}

/** The saved snapshot's size once the API has written it (it saves after reading the graph), or null after 5 minutes. */
export async function savedFile(dir: string): Promise<{ bytes: number } | null> {
  for (let i = 0; i < 300; i++) {
    const names = await fs.readdir(dir).catch(() => [] as string[]);
    const done = names.find((n) => n.endsWith('.snapshot'));
    if (done) return { bytes: (await fs.stat(path.join(dir, done))).size };
    await new Promise((r) => setTimeout(r, 1000));
  }
  return null;
}

/**
 * The bench's loaded snapshot saved to a file of its own and read back (README, "Saved snapshot"): what a restarted
 * API spends reading it before it catches up through the log. Checked: the graph read back has every row.
 */
async function savedSnapshotInProcess(service: TraceService) {
  const snap = await service.snapshots.fresh();
  if (!snap.epoch || snap.version === undefined || !snap.accepted) return null;
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'labortrace-bench-snapshot-'));
  try {
    const file = new SnapshotFile(dir);
    let t = now();
    await file.write(snap.graph, { epoch: snap.epoch, version: snap.version, token: snap.token }, snap.accepted);
    const writeSeconds = round((now() - t) / 1000);
    const bytes = (await savedFile(dir))?.bytes ?? null;
    t = now();
    const saved = await file.read(snap.epoch);
    const rows = saved?.graph.rowCount; // builds the store, as the first read does
    const readSeconds = round((now() - t) / 1000);
    if (!saved || rows !== snap.graph.rowCount || saved.graph.nodes.size !== snap.graph.nodes.size) {
      fail(`the saved snapshot read back has ${saved?.graph.nodes.size} nodes and ${rows} rows, the snapshot ${snap.graph.nodes.size} and ${snap.graph.rowCount}`);
    }
    return { writeSeconds, mb: mb(bytes), readSeconds, nodes: snap.graph.nodes.size, relationships: rows };
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

/** The whole screen over HTTP, page after page: its rows and the sums of their counts. */
async function screenTotals(url: string): Promise<ScreenTotals & { rows: number; firstPageMs: number; firstPageTimeouts: number }> {
  const totals = { rows: 0, totalCount: 0, pathCount: 0n, possible: 0n, open: 0n, firstPageMs: 0, firstPageTimeouts: 0 };
  for (let after: string | null = null; ;) {
    const answer = await gqlAnswered(url, SCREEN_PAGE, { after });
    if (after === null) {
      totals.firstPageMs = round(answer.ms)!;
      totals.firstPageTimeouts = answer.timeouts;
    }
    const page = answer.body.data.screen;
    totals.totalCount = page.totalCount;
    for (const e of page.edges) {
      totals.rows++;
      totals.pathCount += BigInt(e.node.pathCount ?? 0);
      totals.possible += BigInt(e.node.possiblePathCount ?? 0);
      totals.open += BigInt(e.node.openPathCount ?? 0);
    }
    if (!page.pageInfo.hasNextPage) return totals;
    after = page.pageInfo.endCursor;
  }
}

interface ScreenTotals { totalCount: number; pathCount: bigint; possible: bigint; open: bigint }
const sums = (s: ScreenTotals) => `${s.totalCount} rows, ${s.pathCount}/${s.possible}/${s.open}`;

/** The counts a trace answered, as one comparable string. */
const countsOf = (t: { pathCount: unknown; possiblePathCount: unknown; openPathCount: unknown }) => `${t.pathCount}/${t.possiblePathCount}/${t.openPathCount}`;

/** (factory, product) pairs of production.csv: an employment row at the factory adds direct paths to the product. */
async function productionPairs(dir: string): Promise<{ factory: string; product: string }[]> {
  const file = path.join(dir, 'production.csv');
  const lines = (await fs.readFile(file, 'utf8')).split('\n').slice(1);
  const out: { factory: string; product: string }[] = [];
  for (const l of lines) {
    const [item, factory] = l.split(',');
    if (item && factory && /^P\d+$/.test(item)) out.push({ factory, product: item });
  }
  return out;
}

/** Bytes of the files under a directory (apparent sizes); null when it does not exist. */
async function dirBytes(dir: string): Promise<number | null> {
  if (!existsSync(dir)) return null;
  let total = 0;
  for (const e of await fs.readdir(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) total += (await dirBytes(p)) ?? 0;
    else if (e.isFile()) total += (await fs.stat(p)).size;
  }
  return total;
}

const mb = (bytes: number | null) => (bytes === null ? null : Math.round((bytes / 2 ** 20) * 10) / 10);

/** The change log an import wrote (CHANGES.md): :Change and :ChangeSet nodes, and the bytes of their JSON state text. */
async function changeLogSize(client: Neo4jClient) {
  const q = async (cypherText: string) => (await client.driver.executeQuery(cypherText, {}, { database: client.database, routing: neo4j.routing.READ })).records[0].toObject();
  const t = now();
  const counts = await q('MATCH (c:Change) WITH count(c) AS changes MATCH (s:ChangeSet) WITH changes, count(s) AS sets MATCH (n:Entity) RETURN changes, sets, count(n) AS entities');
  const text = await q('MATCH (c:Change) RETURN sum(size(c.after)) AS bytes');
  const changes = Number(counts.changes);
  const entities = Number(counts.entities);
  const afterTextMb = mb(Number(text.bytes ?? 0));
  return {
    changeNodes: changes, changeSetNodes: Number(counts.sets), entityNodes: entities,
    changeShareOfNodes: round(changes / (changes + entities + Number(counts.sets))),
    afterTextMb, measuredSeconds: round((now() - t) / 1000),
  };
}

/**
 * The store files on disk once the embedded Neo4j is stopped (a clean shutdown checkpoints, so the files hold
 * everything; `db.checkpoint()` is not there in community). Null with NEO4J_URI. Compare with the same measurement
 * of a release without the change log to get the log's share.
 */
async function storeSize(cfg: Config): Promise<{ storeMb: number | null; transactionLogsMb: number | null } | null> {
  if (cfg.neo4jUri) return null;
  await stop(cfg);
  const db = cfg.neo4jDatabase ?? 'neo4j';
  return {
    storeMb: mb(await dirBytes(path.join(cfg.home, 'neo4j', 'data', 'databases', db))),
    transactionLogsMb: mb(await dirBytes(path.join(cfg.home, 'neo4j', 'data', 'transactions', db))),
  };
}

/**
 * The snapshot's age from /metrics, whether it was read from the saved file, and how long the scrape took (its rows
 * gauge counts the snapshot's rows).
 */
async function snapshotAge(port: number): Promise<{ seconds: number | null; fromFile: boolean | null; scrapeMs: number }> {
  const t = now();
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  const m = /^labortrace_snapshot_age_seconds\s+(\S+)/m.exec(text);
  const f = /^labortrace_snapshot_from_file\s+(\S+)/m.exec(text);
  return { seconds: m ? Number(m[1]) : null, fromFile: f ? f[1] === '1' : null, scrapeMs: round(now() - t)! };
}

const failures: string[] = [];
function fail(msg: string): void {
  failures.push(msg);
  process.stderr.write(`\nbench: ******** CHECK FAILED: ${msg} ********\n\n`);
}

/**
 * Change sets over HTTP (CHANGES.md), against the API process after the figures above:
 * - knownAt: a second small change set makes the import's instant a past knowledge time; the first trace at it
 *   replays the log (cold), the next ones use the recorded graph (warm), beside the same items without knownAt.
 * - catch-up: with the snapshot loaded, change sets of 10 rows (5 KP worker cohorts, 5 employment rows at factories
 *   that make products), each followed at once by a trace of one of those products: the snapshot must catch up
 *   through the log, not reload. Checked: the product's pathCount grew, no reload happened (snapshot age), and the
 *   caught-up graph gives the counts a fresh read of the store gives (regions and the whole screen).
 */
async function changeFigures(
  nodes: number, url: string, port: number, pid: number, cfg: Config, dir: string, seed: number,
  sample: string[], sampleCounts: Map<string, string>, roundsWanted: number,
  /** the bench's own TraceService, its snapshot loaded: the same catch-up without HTTP, split into its parts */
  service: TraceService,
) {
  const pairs = await productionPairs(dir);
  // each catch-up round takes 5 factories no change set used before (one more for knownAt): small catalogues have fewer
  const rounds = Math.min(roundsWanted, Math.floor((new Set(pairs.map((p) => p.factory)).size - 1) / 5));
  if (rounds < 1) throw new Error(`${nodes}: the catalogue has too few production factories for a catch-up round of 5`);
  if (rounds < roundsWanted) log(`${nodes}: ${rounds} catch-up rounds, not ${roundsWanted}: the catalogue has too few production factories`);
  const rand = seeded(seed * 13 + nodes);
  const used = new Set<string>();
  /** A production pair not used yet, whose product is counted exactly (not TOO_COMPLEX). */
  const pickPair = async (): Promise<{ factory: string; product: string; counts: string; pathCount: bigint }> => {
    for (let tries = 0; tries < 200; tries++) {
      const p = pairs[rand(pairs.length)];
      if (used.has(p.factory) || used.has(p.product)) continue;
      used.add(p.factory);
      const t = (await gql(url, COUNTS_QUERY, { id: p.product })).body.data.trace;
      if (t.countStatus !== 'EXACT' || t.pathCount === null) continue;
      used.add(p.product);
      return { ...p, counts: countsOf(t), pathCount: BigInt(t.pathCount) };
    }
    throw new Error('no production pair with exact counts found');
  };
  const apply = async (reason: string, workers: object[], employment: object[]) => {
    const r = await gql(url, APPLY_MUTATION, { input: { reason, workers, employment } });
    return { ms: r.ms, set: r.body.data.applyChanges as { id: string; at: string; changeCount: number } };
  };

  // knownAt: the import's change set, made a past knowledge time by a second change set of 2 rows that adds a
  // direct path to a product X (so X's counts at knownAt must be those before it).
  log(`${nodes}: knownAt over HTTP`);
  const latest = (await gql(url, LATEST_CHANGE_SET)).body.data.changeSets;
  const importSet = latest.edges[0].node as { id: string; at: string; source: string; changeCount: number };
  if (importSet.source !== 'import') fail(`${nodes}: the latest change set before the bench's own is ${JSON.stringify(importSet)}, not the import`);
  const x = await pickPair();
  const second = await apply('bench: a second change set, so that the import is a past knowledge time',
    [{ id: `BENCH-KW-${nodes}`, nationality: 'KP', headcount: 10 }], [{ workerId: `BENCH-KW-${nodes}`, factoryId: x.factory }]);
  const xAfter = await gql(url, TRACE_QUERY, { id: x.product });
  if (!(BigInt(xAfter.body.data.trace.pathCount ?? -1) > x.pathCount)) fail(`${nodes}: after the second change set ${x.product}'s pathCount is ${xAfter.body.data.trace.pathCount}, not more than ${x.pathCount}`);

  const knownAt = importSet.at;
  const cold = await gqlAnswered(url, TRACE_KNOWN_AT_QUERY, { id: x.product, knownAt });
  const coldSeconds = round(cold.ms / 1000);
  const coldTimeouts = cold.timeouts;
  const coldCounts = countsOf(cold.body.data.trace);
  if (coldCounts !== x.counts) fail(`${nodes}: trace(${x.product}, knownAt: import) gives ${coldCounts}, the counts before the second change set were ${x.counts}`);

  const withoutMs: number[] = [];
  const withMs: number[] = [];
  let knownAtMismatches = 0;
  for (const id of sample) {
    withoutMs.push((await gql(url, TRACE_QUERY, { id })).ms);
    const r = await gql(url, TRACE_KNOWN_AT_QUERY, { id, knownAt });
    withMs.push(r.ms);
    // at the import's instant every sampled item must have the counts it had before any other change set
    if (sampleCounts.has(id) && countsOf(r.body.data.trace) !== sampleCounts.get(id)) knownAtMismatches++;
  }
  if (knownAtMismatches > 0) fail(`${nodes}: ${knownAtMismatches} of ${sample.length} sampled traces at knownAt = the import differ from their counts before the later change sets`);
  // knownAt at or after the latest change set is the current graph, but the API first waits for a change set in
  // flight (a write transaction on the graph lock, changes/await-writers): what "knownAt = now" costs
  const atLatestMs: number[] = [];
  let atLatestMismatches = 0;
  for (const id of sample.slice(0, 50)) {
    const live = (await gql(url, TRACE_QUERY, { id })).body.data.trace;
    const r = await gql(url, TRACE_KNOWN_AT_QUERY, { id, knownAt: second.set.at });
    atLatestMs.push(r.ms);
    if (countsOf(r.body.data.trace) !== countsOf(live)) atLatestMismatches++;
  }
  if (atLatestMismatches > 0) fail(`${nodes}: ${atLatestMismatches} traces at knownAt = the latest change set differ from the live ones`);
  const memoryAfterKnownAt = peakMemory(pid);

  // catch-up after 10-row change sets
  log(`${nodes}: snapshot catch-up after ${rounds} change sets of 10 rows`);
  const screenFirst = await gqlAnswered(url, '{ screen(first: 1) { totalCount } }');
  const engineCatchUpMs: number[] = [];
  const engineRecountMs: number[] = [];
  {
    const t = now();
    await service.snapshots.fresh();
    log(`${nodes}: in-process snapshot caught up over the bench's first change set(s) in ${round(now() - t)} ms`);
  }
  const scrapeBefore = await snapshotAge(port);
  const ageBefore = scrapeBefore.seconds;
  const loopStart = now();
  const applyMs: number[] = [];
  const nextTraceMs: number[] = [];
  const traced: { product: string; before: string; after: string }[] = [];
  let notGrown = 0;
  for (let round_ = 0; round_ < rounds; round_++) {
    const targets = [await pickPair()];
    while (targets.length < 5) {
      const unused = pairs.filter((q) => !used.has(q.factory));
      if (unused.length === 0) throw new Error(`${nodes}: catch-up round ${round_} finds no production factory that no earlier round used (too few for ${rounds} rounds of 5 at this scale)`);
      const p = unused[rand(unused.length)];
      used.add(p.factory);
      targets.push({ ...p, counts: '', pathCount: 0n });
    }
    const ids = targets.map((_, k) => `BENCH-CW-${nodes}-${round_}-${k}`);
    const a = await apply(`bench: catch-up round ${round_}`,
      ids.map((id) => ({ id, nationality: 'KP', headcount: 10 })),
      targets.map((p, k) => ({ workerId: ids[k], factoryId: p.factory })));
    if (a.set.changeCount !== 10) fail(`${nodes}: a change set of 10 rows recorded ${a.set.changeCount} changes`);
    applyMs.push(a.ms);
    const next = await gql(url, TRACE_QUERY, { id: targets[0].product });
    nextTraceMs.push(next.ms);
    // the same in the bench's process, after the API has answered: catching up (version read, log read, patch)
    // apart from counting the product again (its memoized counts were reset) and its first 10 paths
    const c0 = now();
    await service.snapshots.fresh();
    const c1 = now();
    const inProcess = (await service.trace(targets[0].product))!;
    for (let i = 0n; i < inProcess.total('direct') && i < 10n; i++) inProcess.path('direct', i);
    engineCatchUpMs.push(c1 - c0);
    engineRecountMs.push(now() - c1);
    if (countsOf({ pathCount: inProcess.counts?.direct.all ?? null, possiblePathCount: inProcess.counts?.possible.all ?? null, openPathCount: inProcess.counts?.direct.open ?? null }) !== countsOf(next.body.data.trace)) {
      fail(`${nodes}: round ${round_}: the bench's caught-up snapshot and the API's disagree on ${targets[0].product}`);
    }
    const after = next.body.data.trace;
    traced.push({ product: targets[0].product, before: targets[0].counts, after: countsOf(after) });
    if (!(after.pathCount !== null && BigInt(after.pathCount) > targets[0].pathCount)) {
      notGrown++;
      fail(`${nodes}: round ${round_}: ${targets[0].product} (made at ${targets[0].factory}) has pathCount ${after.pathCount} after the change set, not more than ${targets[0].pathCount}`);
    }
  }
  const loopSeconds = (now() - loopStart) / 1000;
  const scrapeAfter = await snapshotAge(port);
  const ageAfter = scrapeAfter.seconds;
  const scrapeAgain = await snapshotAge(port);
  // the snapshot's age only grows while it is caught up in place; a reload would reset it
  const reloaded = ageBefore === null || ageAfter === null || ageAfter < ageBefore + loopSeconds - 1;
  if (reloaded) fail(`${nodes}: the snapshot was reloaded during the change sets (age ${ageBefore} s before, ${ageAfter} s after ${round(loopSeconds)} s)`);

  // The caught-up snapshot against a fresh read of the store: the traced products' regions, and the whole screen.
  log(`${nodes}: checking the caught-up snapshot against a fresh read`);
  const client = await connect(cfg);
  let regionMismatches = 0;
  try {
    for (const t of traced) {
      const viaApi = countsOf((await gql(url, COUNTS_QUERY, { id: t.product })).body.data.trace);
      const graph = (await loadItemRegion(client, t.product))!;
      const c = new TraceEngine(graph, { asOf: null }).counts(t.product);
      const fresh = `${c.direct.all}/${c.possible.all}/${c.direct.open}`;
      if (viaApi !== fresh) {
        regionMismatches++;
        fail(`${nodes}: ${t.product}: the caught-up snapshot gives ${viaApi}, its region read afresh ${fresh}`);
      }
    }
  } finally {
    await client.close();
  }
  const screenAfter = now();
  const caughtUp = await screenTotals(url);
  const screenAfterCatchUpSeconds = round((now() - screenAfter) / 1000);
  const freshClient = await connect(cfg);
  let freshScreen;
  try {
    const rows = await new TraceService(freshClient, cfg.snapshotMaxRows).screen(null);
    freshScreen = { totalCount: rows.length, pathCount: 0n, possible: 0n, open: 0n };
    for (const r of rows) {
      freshScreen.pathCount += r.counts?.direct.all ?? 0n;
      freshScreen.possible += r.counts?.possible.all ?? 0n;
      freshScreen.open += r.counts?.direct.open ?? 0n;
    }
  } finally {
    await freshClient.close();
  }
  const screenMatches = sums(caughtUp) === sums(freshScreen);
  if (!screenMatches) fail(`${nodes}: the screen of the caught-up snapshot (${sums(caughtUp)}) differs from a fresh load's (${sums(freshScreen)})`);

  return {
    knownAt: {
      knownAt, importChangeSet: importSet.id, secondChangeSet: second.set.id, secondApplyMs: round(second.ms),
      firstTraceAfterSecondSetMs: round(xAfter.ms),
      coldSeconds, coldTimeouts, coldProduct: x.product, coldCountsMatchBefore: coldCounts === x.counts,
      warm: stats(withMs), withoutKnownAt: stats(withoutMs), sampleMismatches: knownAtMismatches,
      atLatestChangeSet: stats(atLatestMs), atLatestMismatches,
      apiMemory: memoryAfterKnownAt,
    },
    catchUp: {
      rounds, rowsPerChangeSet: 10, applyMs: stats(applyMs), nextTraceMs: stats(nextTraceMs), targetMs: 50,
      engineCatchUpMs: stats(engineCatchUpMs), engineRecountMs: stats(engineRecountMs),
      pathCountGrewEverytime: notGrown === 0, reloaded, snapshotAgeBefore: ageBefore, snapshotAgeAfter: ageAfter,
      // a /metrics scrape right after change sets, and the next one (the rows gauge is recounted after a catch-up)
      metricsScrapeAfterChangesMs: scrapeAfter.scrapeMs, metricsScrapeAgainMs: scrapeAgain.scrapeMs,
      screenFirstMs: round(screenFirst.ms), screenAfterCatchUpSeconds,
      regionChecks: traced.length, regionMismatches, screenMatchesFreshLoad: screenMatches,
      screenCaughtUp: sums(caughtUp), screenFresh: sums(freshScreen), traced,
    },
  };
}

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

  // the store the import goes into is empty, as `labortrace import` would find it on a new installation
  await client.close();
  client = await freshDatabase(cfg);
  log(`${nodes}: import`);
  const t0 = now();
  const result = await readDataset(dir);
  if (!result.ok) throw new Error(`generated dataset is invalid: ${JSON.stringify(result.errors.slice(0, 3))}`);
  const t1 = now();
  const rows = result.dataset.nodes.length + result.dataset.relationships.length;
  // the path `labortrace import` takes (README, "Bulk import"): the bulk path into an empty embedded store from
  // LABORTRACE_BULK_MIN_ROWS rows, else one write transaction
  const importPath = await chooseImportPath(cfg, client, rows);
  let summary: ImportSummary;
  if (importPath.bulk) {
    await client.close(); // the bulk import restarts Neo4j
    summary = await bulkImportDataset(cfg, result.dataset, { meta: { actor: 'bench', reason: 'bench import', source: 'import' }, onProgress: (m) => log(`${nodes}: ${m}`) });
    client = await connect(cfg);
  } else {
    log(`${nodes}: one write transaction (${importPath.why})`);
    summary = await importDataset(client, result.dataset, {
      onProgress: (done, total) => {
        if (done === total || done % 500_000 < 10_000) log(`${nodes}: written ${done}/${total}`);
      },
    });
  }
  const t2 = now();
  const imported = {
    path: importPath.bulk ? 'bulk' : 'transaction',
    rows, nodes: result.dataset.nodes.length, relationships: result.dataset.relationships.length,
    seconds: round((t2 - t0) / 1000), parseSeconds: round((t1 - t0) / 1000), writeSeconds: round((t2 - t1) / 1000),
    rowsPerSecond: Math.round(rows / ((t2 - t0) / 1000)), graphVersion: summary.graphVersion,
    // every import is a change set now (CHANGES.md): the :Change nodes it logged, and what the log weighs
    changeSet: summary.changeSet.id, changeCount: summary.changeCount,
    changeLog: null as Awaited<ReturnType<typeof changeLogSize>> | null,
  };
  (result as { dataset?: unknown }).dataset = undefined;
  log(`${nodes}: change log size`);
  imported.changeLog = await changeLogSize(client);

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
  // the process's heap with the snapshot in it, typed arrays (outside the JavaScript heap) included
  const snapshotHeapMb = Math.round((process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers) / 2 ** 20);
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
  // answered, timed out (the server's transaction timeout, measured as the timeout) and failed (any other error:
  // left out of the times and reported with its message) are told apart
  const baselineMs: number[] = [];
  let baselineTimeouts = 0;
  const baselineErrors: string[] = [];
  for (const id of sample.slice(0, plan.baselineSamples)) {
    const t = now();
    try {
      await client.readOnce('bench/all-paths-count', { id }, plan.baselineTimeoutMs);
      baselineMs.push(now() - t);
    } catch (e) {
      if (!isTimeout(e)) {
        baselineErrors.push(`${id}: ${errorText(e)}`);
        continue;
      }
      baselineTimeouts++;
      baselineMs.push(plan.baselineTimeoutMs);
    }
  }
  if (baselineErrors.length > 0) log(`${nodes}: ${baselineErrors.length} baseline error(s), not timeouts: ${baselineErrors[0]}`);

  log(`${nodes}: screen`);
  const s0 = now();
  // a service of its own, so that the snapshot is read from Neo4j (cold); only the count of its rows is kept
  const exposedProducts = (await new TraceService(client).screen(null)).length;
  const s1 = now();
  // a new asOf on the loaded snapshot, three times (one pass each; the machine's noise is about ±30%), after the
  // cold screen's graph (a second 10^6-node snapshot in this process, not in an API's) is collected
  (globalThis as { gc?: () => void }).gc?.();
  const newAsOfSeconds: number[] = [];
  for (const asOf of NEW_AS_OF) {
    const t = now();
    await service.screen(asOf);
    newAsOfSeconds.push(round((now() - t) / 1000)!);
  }
  const screen = {
    exposedProducts,
    coldSeconds: round((s1 - s0) / 1000),
    warmSnapshotNewAsOfSeconds: newAsOfSeconds[0],
    newAsOf: NEW_AS_OF, newAsOfSeconds, newAsOfMedianSeconds: percentile(newAsOfSeconds, 50),
    snapshotLoadSeconds,
    snapshotHeapMb,
    saved: plan.restart ? await savedSnapshotInProcess(service) : null,
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
    baselineError: null as string | null,
    httpFirstPageMs: null as number | null,
    httpDeepPageMs: null as number | null,
  };
  {
    const t = now();
    try {
      await client.readOnce('bench/all-paths-page', { id: 'BENCH-DIAMOND', skip: neo4j.int(Number(DEEP_INDEX)), limit: neo4j.int(10) }, plan.baselineTimeoutMs);
      deep.baselineDeepPageMs = round(now() - t);
    } catch (e) {
      if (!isTimeout(e)) {
        deep.baselineError = errorText(e);
        log(`${nodes}: the baseline deep page failed (not a timeout): ${deep.baselineError}`);
      } else {
        deep.baselineTimedOut = true;
        deep.baselineDeepPageMs = plan.baselineTimeoutMs;
      }
    }
  }
  const [db] = await client.read<{ version: string; edition: string }>('admin/dbms-components');
  const neo4jVersion = `${db.version} ${db.edition}`;

  log(`${nodes}: API over HTTP`);
  const port = await freePort();
  // the API saves its snapshot here after reading it from Neo4j (a file of an earlier store would not be read: its
  // epoch differs; removed so the restart below finds this store's)
  const savedDir = path.join(cfg.home, 'snapshot');
  await fs.rm(savedDir, { recursive: true, force: true });
  let api = await startApi(cfg, port);
  let restart = null;
  let http;
  let throughput;
  let memory;
  let changes;
  try {
    const coldScreen = await gqlAnswered(api.url, '{ screen(first: 10) { totalCount } }');
    const warmScreen = await gql(api.url, '{ screen(first: 10) { totalCount } }');
    // The first traces after a start pay for the process settling (the snapshot just read, its garbage collected on
    // the same two cores): a batch of other products first, timed and reported apart, then the sample.
    const pickWarm = seeded(seed * 13 + nodes);
    const firstBatchMs: number[] = [];
    for (let i = 0; i < sample.length; i++) firstBatchMs.push((await gql(api.url, TRACE_QUERY, { id: ids[pickWarm(ids.length)] })).ms);
    const httpMs: number[] = [];
    const sampleCounts = new Map<string, string>();
    for (const id of sample) {
      const r = await gql(api.url, TRACE_QUERY, { id });
      httpMs.push(r.ms);
      sampleCounts.set(id, countsOf(r.body.data.trace));
    }
    const pageQuery = `query($after: String) { trace(itemId: "BENCH-DIAMOND") { paths(first: 10, after: $after) { edges { cursor } } } }`;
    const firstPage = await gql(api.url, pageQuery);
    deep.httpFirstPageMs = round(firstPage.ms);
    // a path cursor is "path.direct:<graph version tag>:<number>" (the tag since change sets; before, no tag)
    const first = Buffer.from(firstPage.body.data.trace.paths.edges[0].cursor, 'base64url').toString('utf8');
    const tag = /^path\.direct:(.*):\d+$/.exec(first)?.[1];
    const deepCursor = `path.direct:${tag === undefined ? '' : `${tag}:`}${DEEP_INDEX - 1n}`;
    deep.httpDeepPageMs = round((await gql(api.url, pageQuery, { after: Buffer.from(deepCursor).toString('base64url') })).ms);
    http = { trace: stats(httpMs), traceFirstBatch: stats(firstBatchMs), screenColdMs: round(coldScreen.ms), screenColdTimeouts: coldScreen.timeouts, screenWarmMs: round(warmScreen.ms) };

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

    changes = await changeFigures(nodes, api.url, port, api.child.pid!, cfg, dir, seed, sample, sampleCounts, plan.changeRounds, service);

    if (plan.restart) {
      // the API restarted beside the snapshot its first start saved: read from the file, caught up through the log
      // (the change sets above), then the whole screen, which must be the one the caught-up API answered
      log(`${nodes}: the API restarted beside its saved snapshot`);
      const saved = await savedFile(savedDir);
      await stopApi(api.child);
      const restartPort = await freePort();
      api = await startApi(cfg, restartPort);
      const t = now();
      const totals = await screenTotals(api.url);
      const wholeScreenSeconds = round((now() - t) / 1000);
      const { fromFile } = await snapshotAge(restartPort);
      if (fromFile !== true) fail(`${nodes}: the restarted API did not read its saved snapshot (labortrace_snapshot_from_file ${fromFile})`);
      const screenMatchesBeforeRestart = sums(totals) === changes.catchUp.screenCaughtUp;
      if (!screenMatchesBeforeRestart) fail(`${nodes}: after a restart from the saved snapshot the screen is ${sums(totals)}, before it ${changes.catchUp.screenCaughtUp}`);
      const ms: number[] = [];
      for (const id of sample) ms.push((await gql(api.url, TRACE_QUERY, { id })).ms);
      restart = {
        savedSnapshotMb: saved ? mb(saved.bytes) : null,
        firstScreenPageSeconds: round(totals.firstPageMs / 1000), firstScreenPageTimeouts: totals.firstPageTimeouts,
        wholeScreenSeconds, readFromFile: fromFile, screenMatchesBeforeRestart,
        trace: stats(ms), apiMemory: peakMemory(api.child.pid!),
      };
    }
  } finally {
    const stopped = stopApi(api.child);
    await client.close();
    await stopped;
  }
  const store = await storeSize(cfg);

  return {
    neo4jVersion, nodes, generated: gen, import: { ...imported, store }, naiveImport: naive,
    trace: {
      engine: stats(engineMs), engineUpstreamAtMost1e4: stats(smallRegionMs), engineRegionPerTrace: stats(regionMs), regionNodes: stats(regionSizes),
      http: http!.trace, httpFirstBatchAfterStart: http!.traceFirstBatch, baselineAllPathsCount: { ...stats(baselineMs), timeouts: baselineTimeouts, errors: baselineErrors.length, errorMessages: baselineErrors, timeoutMs: plan.baselineTimeoutMs },
    },
    screen: { ...screen, httpColdMs: http!.screenColdMs, httpWarmMs: http!.screenWarmMs },
    deepPage: deep, throughput, apiMemory: memory, restart,
    // change sets (CHANGES.md), beside their baselines: the same traces without knownAt, and a whole reload
    changes: {
      ...changes!,
      baseline: {
        snapshotLoadSeconds: screen.snapshotLoadSeconds, httpColdScreenMs: http!.screenColdMs,
        regionPerTraceP50Ms: stats(regionMs).p50,
      },
    },
  };
}

export function machine(cfg: Config, neo4jVersion: string) {
  const java = spawnSync('java', ['-version'], { encoding: 'utf8' });
  return {
    cores: os.cpus().length, cpu: os.cpus()[0]?.model, memoryGb: Math.round(os.totalmem() / 2 ** 30),
    node: process.version, java: (java.stderr || '').split('\n')[0], neo4j: neo4jVersion,
    neo4jHeap: cfg.neo4jUri ? 'external' : cfg.heap, neo4jPageCache: cfg.neo4jUri ? 'external' : cfg.pageCache,
    apiRequestTimeoutMs: cfg.requestTimeoutMs,
  };
}

function ratio(a: number | null | undefined, b: number | null | undefined): string {
  return a && b ? `${(b / a).toFixed(b / a >= 10 ? 0 : 1)}x` : '-';
}

function table(results: ScaleResult[]): string {
  const lines = [
    '| nodes | rows | import rows/s (naive) | trace p50/p95 ms engine | (upstream<=1e4 p50) | region-per-trace p50 | http p50/p95 | baseline count(p) p50 (timeouts, errors) | screen cold/new-asOf s | deep page k=1 / k=1e6 ms (baseline) | req/s (p99 ms) | API peak RSS MB |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const r of results) {
    lines.push(`| ${r.nodes} | ${r.import.rows} | ${r.import.rowsPerSecond}${r.import.path === 'bulk' ? ' bulk' : ''} (${r.naiveImport.rowsPerSecond}, ${ratio(r.naiveImport.rowsPerSecond, r.import.rowsPerSecond)}) `
      + `| ${r.trace.engine.p50}/${r.trace.engine.p95} | ${r.trace.engineUpstreamAtMost1e4.p50} | ${r.trace.engineRegionPerTrace.p50} | ${r.trace.http.p50}/${r.trace.http.p95} `
      + `| ${r.trace.baselineAllPathsCount.p50} (${r.trace.baselineAllPathsCount.timeouts} timeouts, ${r.trace.baselineAllPathsCount.errors} errors of ${r.trace.baselineAllPathsCount.n + r.trace.baselineAllPathsCount.errors}; ${ratio(r.trace.engine.p50, r.trace.baselineAllPathsCount.p50)}) `
      + `| ${r.screen.coldSeconds}/${r.screen.warmSnapshotNewAsOfSeconds} | ${r.deepPage.engineFirstPageMs} / ${r.deepPage.engineDeepPageMs} (${r.deepPage.baselineError ? 'error' : r.deepPage.baselineTimedOut ? `>${r.deepPage.baselineDeepPageMs}` : r.deepPage.baselineDeepPageMs}) `
      + `| ${r.throughput?.requestsPerSecond} (${r.throughput?.latencyP99Ms}) | ${r.apiMemory?.peakRssMb ?? '-'} |`);
  }
  return lines.join('\n') + '\n';
}

type ScaleResult = Omit<Awaited<ReturnType<typeof benchScale>>, 'neo4jVersion'>;

/** Figures of an earlier run at the same scale (`--before NAME,...`: results in bench/results/), for comparison. */
interface Before {
  file: string;
  importRowsPerSecond: number;
  httpTrace: { p50: number | null; p95: number | null };
  engineTrace: { p50: number | null; p95: number | null };
}

function beforeFigures(names: string[], nodes: number): Before | null {
  for (const name of names) {
    const file = path.join(PROJECT_ROOT, 'bench', 'results', name.endsWith('.json') ? name : `${name}.json`);
    if (!existsSync(file)) continue;
    const r = (JSON.parse(readFileSync(file, 'utf8')).results as any[]).find((x) => x.nodes === nodes);
    if (r) {
      return {
        file: path.basename(file), importRowsPerSecond: r.import.rowsPerSecond,
        httpTrace: { p50: r.trace.http.p50, p95: r.trace.http.p95 }, engineTrace: { p50: r.trace.engine.p50, p95: r.trace.engine.p95 },
      };
    }
  }
  return null;
}

/** The change-set figures (CHANGES.md), each beside its baseline. */
function changesTable(results: (ScaleResult & { before: Before | null })[]): string {
  const lines = [
    '| nodes | import rows/s (before the log) | :Change nodes (share of nodes) | log text / store MB | http trace p50/p95 ms (before) | knownAt cold s | knownAt warm p50/p95 ms | same items, no knownAt p50/p95 ms | knownAt = latest set p50/p95 ms | applyChanges 10 rows p50 ms | next trace after it p50/max ms (in-process: catch-up / recount p50) | full reload s (http cold screen s) | region read p50 ms | checks |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const r of results) {
    const c = r.changes;
    const b = r.before;
    const log_ = r.import.changeLog;
    const ok = c.knownAt.coldCountsMatchBefore && c.knownAt.sampleMismatches === 0 && !c.knownAt.atLatestMismatches && c.catchUp.pathCountGrewEverytime && !c.catchUp.reloaded
      && c.catchUp.regionMismatches === 0 && c.catchUp.screenMatchesFreshLoad;
    lines.push(`| ${r.nodes} | ${r.import.rowsPerSecond} (${b?.importRowsPerSecond ?? '-'}) | ${log_?.changeNodes ?? '-'} (${log_?.changeShareOfNodes ?? '-'}) `
      + `| ${log_?.afterTextMb ?? '-'} / ${r.import.store?.storeMb ?? '-'} | ${r.trace.http.p50}/${r.trace.http.p95} (${b ? `${b.httpTrace.p50}/${b.httpTrace.p95}` : '-'}) `
      + `| ${c.knownAt.coldSeconds}${c.knownAt.coldTimeouts ? ` (${c.knownAt.coldTimeouts} timeouts)` : ''} | ${c.knownAt.warm.p50}/${c.knownAt.warm.p95} | ${c.knownAt.withoutKnownAt.p50}/${c.knownAt.withoutKnownAt.p95} | ${c.knownAt.atLatestChangeSet.p50}/${c.knownAt.atLatestChangeSet.p95} `
      + `| ${c.catchUp.applyMs.p50} | ${c.catchUp.nextTraceMs.p50}/${c.catchUp.nextTraceMs.max} (${c.catchUp.engineCatchUpMs.p50} / ${c.catchUp.engineRecountMs.p50}) | ${c.baseline.snapshotLoadSeconds} (${round((c.baseline.httpColdScreenMs ?? 0) / 1000)}) `
      + `| ${c.baseline.regionPerTraceP50Ms} | ${ok ? 'ok' : 'FAILED'} |`);
  }
  return lines.join('\n') + '\n';
}

/**
 * Issue 10's figures that need a catalogue or a store of their own, after the scales:
 * - a staged import (README, "Staged import") of the `stagedNodes` catalogue into a store holding the demo data, a
 *   reader counting entities meanwhile (none may see part of it), beside the same import in one transaction;
 * - a screen of the `cycleNodes` catalogue whose first `cycleCompanies` companies form one supply cycle, beside the
 *   same catalogue without it, every `cycleCheckEvery`-th product's exposure checked against the reachability walk
 *   run on its own (bench/cycle.ts; run it alone with --check-every 1 to check them all).
 */
async function issue10Figures(extra: NonNullable<Plan['issue10']>, seed: number, env: Config) {
  let staged = null;
  let stagedBaseline = null;
  if (env.neo4jUri) {
    log('issue 10: the staged import is measured on the embedded Neo4j only (it wipes its store): skipped with NEO4J_URI');
  } else {
    const stagedCfg: Config = { ...env, home: path.join(PROJECT_ROOT, '.labortrace', 'bench-staged') };
    log(`issue 10: staged import of the ${extra.stagedNodes}-node catalogue into a store holding the demo data`);
    try {
      staged = await benchStaged(stagedCfg, extra.stagedNodes, seed);
    } catch (e) {
      fail(`staged import: ${(e as Error).message}`);
    }
    log('issue 10: the same import in one transaction (baseline)');
    stagedBaseline = await benchOneTransaction(stagedCfg, extra.stagedNodes, seed);
    await stop(stagedCfg);
  }
  log(`issue 10: screens of the ${extra.cycleNodes}-node catalogue with and without a ${extra.cycleCompanies}-company supply cycle`);
  const plain = await screenCatalogue(await catalogue(extra.cycleNodes, seed, 0), 0, extra.cycleCheckEvery);
  const withCycle = await screenCatalogue(await catalogue(extra.cycleNodes, seed, extra.cycleCompanies), 0, extra.cycleCheckEvery);
  for (const r of [plain, withCycle]) {
    for (const p of r.passes) if ((p.exposureMismatches ?? 0) > 0) fail(`${r.dir}, asOf ${p.asOf}: ${p.exposureMismatches} exposures differ from the reachability walk's`);
  }
  return { staged, stagedBaseline, cycle: { nodes: extra.cycleNodes, companies: extra.cycleCompanies, checkEvery: extra.cycleCheckEvery, plain, withCycle } };
}

/** Issue 10's table (bench/README.md, "The 10^6-node catalogue"), each figure beside its baseline from the same run. */
function issue10Table(results: ScaleResult[], extra: Awaited<ReturnType<typeof issue10Figures>>) {
  const r = results.find((x) => x.nodes === 1_000_000) ?? results[results.length - 1];
  const { staged, stagedBaseline, cycle } = extra;
  const cyclePass = (p: (typeof cycle.plain.passes)[number]) => `${p.seconds} s (asOf ${p.asOf ?? 'none'}; ${p.exact} EXACT, ${p.tooComplex} TOO_COMPLEX; ${p.exposuresChecked} exposures checked, ${p.exposureMismatches} wrong)`;
  const saved = r.screen.saved;
  return [
    {
      figure: `import into an empty store, ${r.import.rows} rows, validation included`,
      baseline: `row by row: ${r.naiveImport.rowsPerSecond} rows/s`,
      now: `${r.import.rowsPerSecond} rows/s (${r.import.path}, ${r.import.seconds} s, read + validate ${r.import.parseSeconds} s)`,
      target: '≥ 100,000 rows/s, atomic',
    },
    {
      figure: `import into a non-empty store (${staged?.rows ?? '-'} rows into the demo data)`,
      baseline: stagedBaseline ? ('error' in stagedBaseline ? `one transaction: fails (${stagedBaseline.error.slice(0, 80)})` : `one transaction: ${stagedBaseline.rowsPerSecond} rows/s`) : '-',
      now: staged ? `${staged.rowsPerSecond} rows/s staged (${staged.seconds} s); ${staged.readerCounts.partial} of ${staged.readerCounts.beforePublication} reader counts saw part of it; Node peak RSS ${staged.nodePeakRssMb} MB` : 'not measured',
      target: 'any size, no reader sees part of it, ≥ 30,000 rows/s, memory independent of size',
    },
    {
      figure: `snapshot heap per relationship (${saved?.relationships ?? '-'} relationship rows)`,
      baseline: '-',
      now: saved?.relationships ? `at most ${Math.round((r.screen.snapshotHeapMb * 2 ** 20) / saved.relationships)} B (the bench process's heap and typed arrays with the snapshot loaded, ${r.screen.snapshotHeapMb} MB)` : '-',
      target: '≤ 150 B',
    },
    {
      figure: `cold snapshot load, ${r.nodes} nodes`,
      baseline: `from Neo4j: ${r.screen.snapshotLoadSeconds} s`,
      now: saved ? `from the saved snapshot: ${saved.readSeconds} s in process (${saved.mb} MB); a restarted API's first screen page ${r.restart?.firstScreenPageSeconds ?? '-'} s (file read, caught up, screened)` : '-',
      target: '≤ 20 s',
    },
    {
      figure: `screen, loaded snapshot, new asOf, ${r.nodes} nodes`,
      baseline: `cold (load + pass): ${r.screen.coldSeconds} s; one hand-written count(p) per product: ${round(((r.trace.baselineAllPathsCount.p50 ?? 0) * r.screen.exposedProducts) / 1000)} s`,
      now: `${r.screen.newAsOfSeconds.join(' / ')} s (asOf ${r.screen.newAsOf.join(', ')}), median ${r.screen.newAsOfMedianSeconds} s`,
      target: '≤ 2 s',
    },
    {
      figure: `trace p50 at ${r.nodes} nodes (HTTP, counts + first 10 paths)`,
      baseline: `hand-written count(p) alone: ${r.trace.baselineAllPathsCount.p50} ms p50`,
      now: `${r.trace.http.p50} ms p50, ${r.trace.http.p95} ms p95 (first batch after the start: ${r.trace.httpFirstBatchAfterStart.p50} ms p50)${r.restart ? `; after a restart from the saved snapshot ${r.restart.trace.p50} ms p50` : ''}`,
      target: '≤ 10 ms',
    },
    {
      figure: `screen with a ${cycle.companies}-company supply cycle (${cycle.nodes} nodes)`,
      baseline: `without the cycle: ${cycle.plain.passes.map(cyclePass).join('; ')}`,
      now: cycle.withCycle.passes.map(cyclePass).join('; '),
      target: 'completes; every exposure exact',
    },
  ];
}

export async function main(args: string[]): Promise<number> {
  const scaleArg = option(args, 'scale') ?? 'medium';
  const base = PLANS[scaleArg] ?? { ...PLANS.medium, scales: scaleArg.split(',').map(Number) };
  if (base.scales.some((n) => !Number.isInteger(n) || n < 100)) {
    process.stderr.write(`bench: --scale takes small, medium, large or node counts like 1000,20000\n`);
    return 2;
  }
  const seed = Number(option(args, 'seed') ?? 42);
  const beforeNames = (option(args, 'before') ?? '').split(',').filter((n) => n !== '');
  const name = option(args, 'name') ?? `${scaleArg.replace(/,/g, '_')}-${new Date().toISOString().slice(0, 10)}`;
  const env = loadConfig();
  const cfg: Config = env.neo4jUri ? env : { ...env, home: path.join(PROJECT_ROOT, '.labortrace', 'bench') };
  if (!process.env.LABORTRACE_SNAPSHOT_MAX_ROWS) cfg.snapshotMaxRows = 10_000_000;
  const started = now();
  const loadStart = os.loadavg();
  const results: (ScaleResult & { before: Before | null })[] = [];
  const out = freeResultFile(name);
  log(`results go to ${path.relative(PROJECT_ROOT, out)}`);
  let machineInfo: ReturnType<typeof machine> | undefined;
  let seconds: number | null = 0;
  // written after every scale (and after issue 10's figures), so a long run that fails late keeps what it measured
  const save = async (extra: object = {}) => {
    seconds = round((now() - started) / 1000);
    const report = { name, loadAverageAtStart: loadStart, date: new Date().toISOString(), machine: machineInfo, plan: base, seed, seconds, loadAverage: os.loadavg(), checksFailed: failures, results, ...extra };
    await fs.writeFile(out, JSON.stringify(report, null, 2) + '\n');
  };
  for (const nodes of base.scales) {
    const { neo4jVersion, ...result } = await benchScale(nodes, base, cfg, seed);
    results.push({ ...result, before: beforeFigures(beforeNames, nodes) });
    machineInfo ??= machine(cfg, neo4jVersion);
    await save();
  }
  let issue10Text = '';
  if (base.issue10) {
    if (!env.neo4jUri) await stop(cfg); // one Neo4j at a time: the staged import starts its own
    const issue10 = await issue10Figures(base.issue10, seed, env);
    const rows = issue10Table(results, issue10);
    await save({ issue10: { ...issue10, table: rows } });
    issue10Text = `\nissue 10's figures, each beside its baseline from this run:\n\n| figure | baseline | labortrace | target |\n|---|---|---|---|\n${rows.map((r) => `| ${r.figure} | ${r.baseline} | ${r.now} | ${r.target} |`).join('\n')}\n`;
  }
  process.stdout.write(`machine: ${JSON.stringify(machineInfo)}\n\n${table(results)}\nchange sets (CHANGES.md), each beside its baseline:\n\n${changesTable(results)}\n${issue10Text}\n`
    + `load average at start ${loadStart.map((l) => l.toFixed(2)).join(' ')}, at end ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}\n`
    + `written ${path.relative(PROJECT_ROOT, out)} (${seconds}s)\n`);
  if (failures.length > 0) process.stdout.write(`\n******** ${failures.length} CHECK(S) FAILED ********\n${failures.map((f) => `- ${f}`).join('\n')}\n`);
  if (!env.neo4jUri) await stop(cfg);
  return failures.length > 0 ? 1 : 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => { process.exitCode = code; }, (e) => {
    process.stderr.write(`bench: ${e instanceof Error ? e.stack : e}\n`);
    // an open driver or a pending request would otherwise keep a failed run alive
    process.exit(1);
  });
}
