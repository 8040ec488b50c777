import 'reflect-metadata';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig, PROJECT_ROOT } from '../src/config';
import { connect } from '../src/db/neo4j-client';
import { ensureRunning } from '../src/db/embedded-neo4j';
import { dayOf } from '../src/trace/engine/interval';
import { TraceEngine } from '../src/trace/engine/trace.engine';
import { WorkBudget } from '../src/trace/engine/work-budget';
import { graphVersion, loadWholeGraph } from '../src/trace/taint-graph.loader';
import type { TaintGraph } from '../src/trace/engine/taint-graph';
import { SnapshotFile } from '../src/trace/snapshot-file';
import { screenGraph } from '../src/trace/trace.service';
import { freeResultFile, option } from './bench-cli';
import { freePort, gql, gqlAnswered, machine, peakMemory, round, savedFile, SCREEN_PAGE, seeded, startApi, stats, stopApi, TRACE_QUERY } from './run';

/**
 * `npm run build && node --max-old-space-size=12288 --expose-gc dist/bench/read-large.js [--home DIR] [--loads 2]
 * [--samples 200] [--seed 42] [--name NAME]`
 *
 * The read side of an already imported store (the embedded Neo4j under --home, default .labortrace/bench; or
 * NEO4J_URI), for the catalogues too large to run the whole bench on: the whole-graph snapshot's cold load (time,
 * rows/s, heap per relationship, --loads times; 0 skips it), the saved snapshot (written, read back: time, size,
 * heap), a screen of every product in process on the graph read back (cold pass and two new asOf values), then the
 * API over HTTP (`labortrace serve` with a 12 GB heap): the first trace and the first screen page (the snapshot read
 * from Neo4j), the first screen page after a restart (read from the file the first start saved), then --samples
 * traces of random products (counts + first 10 paths), p50/p95, and the API's peak RSS.
 */

const now = () => performance.now();
const log = (msg: string) => process.stderr.write(`bench-read: ${msg}\n`);
const gc = () => (globalThis as { gc?: () => void }).gc?.();
/** The JavaScript heap and the typed arrays' buffers, which live outside it (the snapshot's rows are typed arrays). */
const heapAndBuffers = () => {
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
};

export async function main(args: string[]): Promise<number> {
  const home = path.resolve(option(args, 'home') ?? path.join(PROJECT_ROOT, '.labortrace', 'bench'));
  const loads = Number(option(args, 'loads') ?? 2);
  const samples = Number(option(args, 'samples') ?? 200);
  const seed = Number(option(args, 'seed') ?? 42);
  const name = option(args, 'name') ?? `read-${path.basename(home)}-${new Date().toISOString().slice(0, 10)}`;
  if (!(globalThis as { gc?: unknown }).gc) log('run with --expose-gc for heap figures');
  const cfg = { ...loadConfig({ ...process.env, LABORTRACE_HOME: home }), snapshotMaxRows: 100_000_000 };
  if (!cfg.neo4jUri) await ensureRunning(cfg);
  const client = await connect(cfg);
  const [db] = await client.read<{ version: string; edition: string }>('admin/dbms-components');
  const ids = (await client.read<{ id: string }>('bench/product-ids')).map((r) => r.id).filter((id) => id !== 'BENCH-DIAMOND');
  log(`${ids.length} products`);

  const snapshotLoads = [];
  let graph = null as TaintGraph | null;
  let loaded = null as Awaited<ReturnType<typeof loadWholeGraph>> | null;
  for (let i = 0; i < loads; i++) {
    graph = null;
    loaded = null;
    gc();
    const heapBefore = heapAndBuffers();
    const t = now();
    loaded = await loadWholeGraph(client);
    graph = loaded.graph;
    const seconds = (now() - t) / 1000;
    gc();
    const heap = heapAndBuffers() - heapBefore;
    const load = {
      seconds: round(seconds), nodes: graph.nodes.size, relationships: graph.rowCount,
      rowsPerSecond: Math.round((graph.nodes.size + graph.rowCount) / seconds),
      // Only the first load's heap is a measurement: while a later one loads, the previous graph is still reachable
      // (seen as a 0 MB difference on 2026-12-06), so the difference says nothing.
      heapMb: i === 0 ? Math.round(heap / 2 ** 20) : null,
      heapBytesPerRelationship: i === 0 ? Math.round(heap / graph.rowCount) : null,
    };
    log(`snapshot load ${i + 1}: ${JSON.stringify(load)}`);
    snapshotLoads.push(load);
  }

  // the saved snapshot in process: written, then read back (and its store built) in place of the graph just read
  let savedSnapshot = null;
  if (loaded !== null && loaded.at.epoch) {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'labortrace-bench-snapshot-'));
    const file = new SnapshotFile(dir);
    let t = now();
    await file.write(loaded.graph, { epoch: loaded.at.epoch, version: loaded.at.version, token: loaded.at.token }, loaded.accepted);
    const writeSeconds = round((now() - t) / 1000);
    const bytes = (await fs.readdir(dir).then((names) => fs.stat(path.join(dir, names[0])))).size;
    graph = null;
    loaded = null;
    gc();
    const heapBefore = heapAndBuffers();
    t = now();
    const saved = await file.read((await client.readTx(graphVersion)).epoch!);
    if (saved === null) throw new Error('the saved snapshot could not be read back');
    const rows = saved.graph.rowCount; // builds the store, as the first read does
    const readSeconds = round((now() - t) / 1000);
    gc();
    graph = saved.graph;
    savedSnapshot = { writeSeconds, mb: round(bytes / 2 ** 20), readSeconds, relationships: rows, heapMb: Math.round((heapAndBuffers() - heapBefore) / 2 ** 20) };
    log(`saved snapshot, in process: ${JSON.stringify(savedSnapshot)} (the screens below run on the graph read back)`);
    await fs.rm(dir, { recursive: true, force: true });
  }

  const screens = [];
  for (const asOf of graph === null ? [] : [null, '2020-06-30', '2019-01-01']) {
    const engine = new TraceEngine(graph!, { asOf: asOf === null ? null : dayOf(asOf), budget: new WorkBudget(50_000_000, 5_000_000) });
    const t = now();
    const rows = screenGraph(graph!, engine);
    const screen = { asOf, seconds: round((now() - t) / 1000), exposed: rows.length, tooComplex: rows.filter((r) => r.countStatus === 'TOO_COMPLEX').length, steps: engine.work.steps };
    log(`screen: ${JSON.stringify(screen)}`);
    screens.push(screen);
  }
  graph = null;
  gc();

  log('API over HTTP');
  // the first start reads the graph from Neo4j and saves it (README, "Saved snapshot"); the restart reads that file
  const savedDir = path.join(cfg.home, 'snapshot');
  await fs.rm(savedDir, { recursive: true, force: true });
  let http;
  let api = await startApi(cfg, await freePort(), 12_288);
  try {
    const rand = seeded(seed);
    const sample = Array.from({ length: samples }, () => ids[rand(ids.length)]);
    // serve starts reading the snapshot as it starts listening; the first trace is answered from its region unless
    // the snapshot is there by then, and the first screen page waits for the snapshot (asked again after each
    // request deadline)
    const first = await gqlAnswered(api.url, TRACE_QUERY, { id: sample[0] });
    log(`first trace: ${round(first.ms / 1000)} s`);
    const screen = await gqlAnswered(api.url, SCREEN_PAGE, { after: null });
    log(`first screen page (waits for the snapshot, read from Neo4j): ${round(screen.ms / 1000)} s, ${screen.timeouts} request deadline(s) hit`);
    const saved = await savedFile(savedDir);
    log(`saved snapshot: ${saved ? `${round(saved.bytes / 2 ** 20)} MB` : 'none within 5 minutes'}`);
    await stopApi(api.child);
    api = await startApi(cfg, await freePort(), 12_288);
    const restart = await gqlAnswered(api.url, SCREEN_PAGE, { after: null });
    log(`after a restart, first screen page (the snapshot read from its file): ${round(restart.ms / 1000)} s`);
    const ms: number[] = [];
    for (const id of sample) ms.push((await gql(api.url, TRACE_QUERY, { id })).ms);
    // a second batch of other products, once the restarted process has settled (run.ts measures after such a batch)
    const later: number[] = [];
    for (let i = 0; i < samples; i++) later.push((await gql(api.url, TRACE_QUERY, { id: ids[rand(ids.length)] })).ms);
    http = {
      firstTraceSeconds: round(first.ms / 1000), firstScreenPageSeconds: round(screen.ms / 1000), firstScreenPageTimeouts: screen.timeouts,
      savedSnapshotMb: saved ? round(saved.bytes / 2 ** 20) : null,
      restartFirstScreenPageSeconds: round(restart.ms / 1000), restartFirstScreenPageTimeouts: restart.timeouts,
      trace: stats(ms), traceSecondBatch: stats(later), api: peakMemory(api.child.pid!),
    };
    log(`traces: ${JSON.stringify(http)}`);
  } finally {
    api.child.kill('SIGTERM');
  }
  await client.close();

  const out = freeResultFile(name);
  const report = { name, date: new Date().toISOString(), machine: machine(cfg, `${db.version} ${db.edition}`), home: path.relative(PROJECT_ROOT, home), products: ids.length, snapshotLoads, savedSnapshot, screens, http };
  await fs.writeFile(out, JSON.stringify(report, null, 2) + '\n');
  process.stdout.write(`${JSON.stringify(report, null, 2)}\nwritten ${path.relative(PROJECT_ROOT, out)}\n`);
  return 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => { process.exitCode = code; }, (e) => {
    process.stderr.write(`bench-read: ${e instanceof Error ? e.stack : e}\n`);
    process.exit(1);
  });
}
