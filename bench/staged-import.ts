import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig, PROJECT_ROOT, type Config } from '../src/config';
import { readDataset } from '../src/dataset/dataset.reader';
import type { Dataset } from '../src/dataset/dataset.types';
import { ensureRunning, stop } from '../src/db/embedded-neo4j';
import { ensureGraphSchema } from '../src/db/graph-schema';
import { connect, type Neo4jClient } from '../src/db/neo4j-client';
import { importDataset } from '../src/import/import.service';
import { stagedImportDataset } from '../src/import/staged-import';
import { catalogueDir, freeResultFile, option, scalesOption } from './bench-cli';

/**
 * `node --max-old-space-size=12288 --expose-gc dist/bench/staged-import.js [--scale 100000,1000000] [--baseline-max 250000]`
 *
 * The staged path of `labortrace import` (README, "Staged import") into a non-empty graph: for each scale, a fresh
 * embedded Neo4j (LABORTRACE_HOME, default .labortrace/bench-staged: wiped) holding the demo data (seed/), then the
 * benchmark's catalogue (bench/generate.ts, reused from bench/data/) staged into it, validation included. Meanwhile
 * a reader counts the graph's entities every 250 ms: every count before publication must be the count before the
 * import (none of it visible), and the first after it the full one. Beside it, up to --baseline-max nodes, the same
 * import in one transaction into the same kind of store. Progress on stderr, a table on stdout,
 * bench/results/NAME.json.
 */
const log = (msg: string) => process.stderr.write(`bench-staged: ${msg}\n`);
const now = () => performance.now();
const round = (v: number, digits = 1) => Math.round(v * 10 ** digits) / 10 ** digits;
const SEED_DIR = path.join(PROJECT_ROOT, 'seed');
const meta = (reason: string) => ({ actor: 'bench', reason, source: 'import' as const });

async function freshStoreWithDemo(cfg: Config): Promise<Neo4jClient> {
  await stop(cfg);
  await fs.rm(path.join(cfg.home, 'neo4j'), { recursive: true, force: true });
  await ensureRunning(cfg);
  const client = await connect(cfg);
  await ensureGraphSchema(client);
  const demo = await readDataset(SEED_DIR);
  if (!demo.ok) throw new Error('seed/ is invalid');
  await importDataset(client, demo.dataset, { meta: meta('demo data') });
  return client;
}

const entities = async (client: Neo4jClient) => Number((await client.read<{ count: number }>('admin/count-entities'))[0].count);

async function readCatalogue(nodes: number, seed: number): Promise<{ dataset: Dataset; rows: number; seconds: number }> {
  const dir = await catalogueDir(nodes, seed, log);
  const t = now();
  const result = await readDataset(dir);
  if (!result.ok) throw new Error(`generated dataset is invalid: ${JSON.stringify(result.errors.slice(0, 3))}`);
  return { dataset: result.dataset, rows: result.dataset.nodes.length + result.dataset.relationships.length, seconds: (now() - t) / 1000 };
}

export async function benchStaged(cfg: Config, nodes: number, seed: number) {
  const client = await freshStoreWithDemo(cfg);
  try {
    const before = await entities(client);
    const { dataset, rows, seconds: readSeconds } = await readCatalogue(nodes, seed);
    log(`${nodes}: read and validated ${rows} rows in ${round(readSeconds)}s; staging into a graph of ${before} entities`);
    const stages: { at: number; message: string }[] = [];
    const counts: { at: number; count: number }[] = [];
    let publishedAt = Infinity;
    let peakRss = 0;
    let reading = true;
    const reader = (async () => {
      while (reading) {
        const at = now();
        counts.push({ at, count: await entities(client) });
        peakRss = Math.max(peakRss, process.memoryUsage().rss);
        await new Promise((r) => setTimeout(r, 250));
      }
    })();
    const t0 = now();
    const summary = await stagedImportDataset(client, dataset, {
      meta: meta(`bench ${nodes}`),
      onProgress: (message) => {
        if (message.startsWith('published')) publishedAt = now();
        stages.push({ at: now(), message });
        log(`${nodes}: ${message}`);
      },
    });
    const t1 = now();
    reading = false;
    await reader;
    const after = await entities(client);
    // a count taken wholly before the publishing commit must be the old one; one started after it the new one
    const early = counts.filter((c) => c.at < publishedAt - 1000);
    const partial = early.filter((c) => c.count !== before);
    const at = (re: RegExp) => stages.find((s) => re.test(s.message))?.at ?? NaN;
    const planned = at(/^compared with the stored rows/);
    const checked = at(/^checked kinds/);
    const staged = stages.filter((s) => s.message.startsWith('staged ')).at(-1)?.at ?? NaN;
    const out = {
      nodes, rows, changes: summary.changeCount, entitiesBefore: before, entitiesAfter: after,
      seconds: round(readSeconds + (t1 - t0) / 1000),
      rowsPerSecond: Math.round(rows / (readSeconds + (t1 - t0) / 1000)),
      importRowsPerSecond: Math.round(rows / ((t1 - t0) / 1000)),
      stages: {
        readAndValidate: round(readSeconds),
        plan: round((planned - t0) / 1000),
        planChecks: round((checked - t0) / 1000),
        stage: round((staged - planned) / 1000),
        publish: round((publishedAt - staged) / 1000),
        clearMarks: round((t1 - publishedAt) / 1000),
      },
      stagingByKindAndType: stages.find((st) => st.message.startsWith('staging transactions by kind'))?.message.replace(/^[^:]*: /, ''),
      stagingByPart: stages.find((st) => st.message.startsWith('staging transactions by part'))?.message.replace(/^[^:]*: /, ''),
      readerCounts: { taken: counts.length, beforePublication: early.length, partial: partial.length },
      nodePeakRssMb: Math.round(peakRss / 2 ** 20),
    };
    log(`${nodes}: ${JSON.stringify(out)}`);
    if (partial.length > 0) throw new Error(`a reader saw part of the import: ${JSON.stringify(partial.slice(0, 3))}`);
    return out;
  } finally {
    await client.close();
  }
}

export async function benchOneTransaction(cfg: Config, nodes: number, seed: number) {
  const client = await freshStoreWithDemo(cfg);
  try {
    const { dataset, rows, seconds: readSeconds } = await readCatalogue(nodes, seed);
    const t0 = now();
    try {
      await importDataset(client, dataset, { meta: meta(`bench ${nodes} (one transaction)`) });
    } catch (e) {
      return { nodes, rows, error: (e as Error).message.slice(0, 300) };
    }
    const seconds = readSeconds + (now() - t0) / 1000;
    const out = { nodes, rows, seconds: round(seconds), rowsPerSecond: Math.round(rows / seconds), importRowsPerSecond: Math.round(rows / ((now() - t0) / 1000)) };
    log(`${nodes} (one transaction): ${JSON.stringify(out)}`);
    return out;
  } finally {
    await client.close();
  }
}

export async function main(args: string[]): Promise<number> {
  const scales = scalesOption(args, 'bench-staged');
  if (!scales) return 2;
  const seed = Number(option(args, 'seed') ?? 42);
  const baselineMax = Number(option(args, 'baseline-max') ?? 250_000);
  const name = option(args, 'name') ?? `staged-${scales.join('_')}-${new Date().toISOString().slice(0, 10)}`;
  const env = loadConfig();
  const cfg: Config = { ...env, home: process.env.LABORTRACE_HOME ? env.home : path.join(PROJECT_ROOT, '.labortrace', 'bench-staged') };
  if (cfg.neo4jUri) {
    process.stderr.write('bench-staged: wipes its store; run it on the embedded Neo4j (unset NEO4J_URI)\n');
    return 2;
  }
  const machine = {
    cores: os.cpus().length, cpu: os.cpus()[0]?.model, memoryGb: Math.round(os.totalmem() / 2 ** 30), node: process.version,
    neo4jHeap: cfg.heap, neo4jPageCache: cfg.pageCache, loadAverage: os.loadavg().map((v) => round(v, 2)),
  };
  const out = freeResultFile(name);
  const results: unknown[] = [];
  const baselines: unknown[] = [];
  const save = () => fs.writeFile(out, JSON.stringify({ name, date: new Date().toISOString(), machine, seed, results, baselines }, null, 2) + '\n');
  for (const nodes of scales) {
    results.push(await benchStaged(cfg, nodes, seed));
    await save();
    if (nodes <= baselineMax) {
      baselines.push(await benchOneTransaction(cfg, nodes, seed));
      await save();
    }
  }
  await stop(cfg);
  process.stdout.write(`${JSON.stringify({ machine, results, baselines }, null, 2)}\n\nwritten ${path.relative(PROJECT_ROOT, out)}\n`);
  return 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => { process.exitCode = code; }, (e) => {
    process.stderr.write(`bench-staged: ${e instanceof Error ? e.stack : e}\n`);
    process.exitCode = 1;
  });
}
