import { spawnSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig, PROJECT_ROOT, type Config } from '../src/config';
import { readDataset } from '../src/dataset/dataset.reader';
import { ensureRunning, stop } from '../src/db/embedded-neo4j';
import { ensureGraphSchema } from '../src/db/graph-schema';
import { connect } from '../src/db/neo4j-client';
import { bulkImportDataset, bulkSettings } from '../src/import/bulk-import';
import { catalogueDir, freeResultFile, option, scalesOption } from './bench-cli';

/**
 * `node --max-old-space-size=12288 dist/bench/bulk-import.js [--scale 100000,1000000] [--seed 42] [--name NAME]`
 *
 * The bulk path of `labortrace import` (README, "Bulk import") on the benchmark's synthetic catalogues
 * (bench/generate.ts, the same data `npm run bench` imports transactionally, reused from bench/data/ when present):
 * for each scale, a fresh embedded Neo4j (LABORTRACE_HOME, default .labortrace/bench-bulk: wiped), then the import
 * as the CLI runs it, validation included: readDataset (parse + validate), CSV files, Neo4j's importer, the store
 * swap (stop, swap, start), constraints and indexes online. rows/s = dataset rows / that whole time. The machine's
 * load average is recorded before and after each scale (this figure depends on it). Progress on stderr, a table on
 * stdout, bench/results/NAME.json.
 */
const log = (msg: string) => process.stderr.write(`bench-bulk: ${msg}\n`);
const now = () => performance.now();
const round = (v: number, digits = 1) => Math.round(v * 10 ** digits) / 10 ** digits;

const load = () => os.loadavg().map((v) => round(v, 2));

async function benchScale(cfg: Config, nodes: number, seed: number) {
  const dir = await catalogueDir(nodes, seed, log);

  // a fresh, empty store
  await stop(cfg);
  await fs.rm(path.join(cfg.home, 'neo4j'), { recursive: true, force: true });
  await ensureRunning(cfg);
  let client = await connect(cfg);
  try {
    await ensureGraphSchema(client);
    await client.close(); // the bulk import restarts Neo4j under it
    const loadBefore = load();
    const stages: { at: number; message: string }[] = [];
    const t0 = now();
    const result = await readDataset(dir);
    if (!result.ok) throw new Error(`generated dataset is invalid: ${JSON.stringify(result.errors.slice(0, 3))}`);
    const t1 = now();
    const rows = result.dataset.nodes.length + result.dataset.relationships.length;
    log(`${nodes}: read and validated ${rows} rows in ${round((t1 - t0) / 1000)}s; bulk import`);
    const summary = await bulkImportDataset(cfg, result.dataset, {
      meta: { actor: 'bench', reason: `bench ${nodes}`, source: 'import' },
      onProgress: (message) => {
        stages.push({ at: now(), message });
        log(`${nodes}: ${message}`);
      },
    });
    const t2 = now();
    (result as { dataset?: unknown }).dataset = undefined;
    const loadAfter = load();
    const at = (re: RegExp) => stages.find((s) => re.test(s.message))?.at ?? NaN;
    const csvDone = at(/wrote the CSV files/);
    const storeDone = at(/the new store is complete/);
    const swapDone = at(/runs on the new store/);
    await client.close();
    client = await connect(cfg);
    const [counted] = await client.read<{ nodes: number; relationships: number }>('admin/graph-size');
    const out = {
      nodes, rows, changes: summary.changeCount,
      seconds: round((t2 - t0) / 1000),
      rowsPerSecond: Math.round(rows / ((t2 - t0) / 1000)),
      stages: {
        readAndValidate: round((t1 - t0) / 1000),
        writeCsv: round((csvDone - t1) / 1000),
        importer: round((storeDone - csvDone) / 1000),
        swap: round((swapDone - storeDone) / 1000),
        schemaAndIndexes: round((t2 - swapDone) / 1000),
      },
      importerRowsPerSecond: Math.round(rows / ((storeDone - csvDone) / 1000)),
      stored: { entities: Number(counted.nodes), relationships: Number(counted.relationships) },
      loadAverage: { before: loadBefore, after: loadAfter },
    };
    log(`${nodes}: ${JSON.stringify(out)}`);
    return out;
  } finally {
    await client.close();
  }
}

export async function main(args: string[]): Promise<number> {
  const scales = scalesOption(args, 'bench-bulk');
  if (!scales) return 2;
  const seed = Number(option(args, 'seed') ?? 42);
  const name = option(args, 'name') ?? `bulk-${scales.join('_')}-${new Date().toISOString().slice(0, 10)}`;
  const env = loadConfig();
  if (env.neo4jUri) {
    process.stderr.write('bench-bulk: the bulk path needs the embedded Neo4j; unset NEO4J_URI\n');
    return 2;
  }
  const cfg: Config = { ...env, home: process.env.LABORTRACE_HOME ? env.home : path.join(PROJECT_ROOT, '.labortrace', 'bench-bulk') };
  const java = spawnSync('java', ['-version'], { encoding: 'utf8' });
  const machine = {
    cores: os.cpus().length, cpu: os.cpus()[0]?.model, memoryGb: Math.round(os.totalmem() / 2 ** 30), node: process.version,
    java: (java.stderr || '').split('\n')[0], neo4jHeap: cfg.heap, neo4jPageCache: cfg.pageCache, bulk: bulkSettings(),
    uptime: spawnSync('uptime', { encoding: 'utf8' }).stdout?.trim(),
  };
  const results = [];
  const out = freeResultFile(name);
  for (const nodes of scales) {
    results.push(await benchScale(cfg, nodes, seed));
    await fs.writeFile(out, JSON.stringify({ name, date: new Date().toISOString(), machine, seed, results }, null, 2) + '\n');
  }
  await stop(cfg);
  const lines = [
    '| nodes | rows | rows/s (validation included) | read+validate / CSV / importer / swap / schema (s) | importer rows/s | load avg before → after |',
    '|---|---|---|---|---|---|',
    ...results.map((r) => `| ${r.nodes} | ${r.rows} | ${r.rowsPerSecond} | ${Object.values(r.stages).join(' / ')} | ${r.importerRowsPerSecond} | ${r.loadAverage.before.join(', ')} → ${r.loadAverage.after.join(', ')} |`),
  ];
  process.stdout.write(`machine: ${JSON.stringify(machine)}\n\n${lines.join('\n')}\n\nwritten ${path.relative(PROJECT_ROOT, out)}\n`);
  return 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => { process.exitCode = code; }, (e) => {
    process.stderr.write(`bench-bulk: ${e instanceof Error ? e.stack : e}\n`);
    process.exitCode = 1;
  });
}
