import { existsSync, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PROJECT_ROOT, requestMaxStepsSetting, traceMaxStepsSetting } from '../src/config';
import { readDataset } from '../src/dataset/dataset.reader';
import { reachableExposure } from '../src/trace/engine/exposure';
import { dayOf } from '../src/trace/engine/interval';
import { TraceEngine } from '../src/trace/engine/trace.engine';
import { WorkBudget } from '../src/trace/engine/work-budget';
import { screenGraph } from '../src/trace/trace.service';
import { freeResultFile, option } from './bench-cli';
import { generate } from './generate';
import { build } from './memo-catchup';

/**
 * `npm run build && node --max-old-space-size=12288 dist/bench/cycle.js [--nodes 250000] [--cycle 10000] [--seed 42] [--name NAME]`
 *
 * Issue 10's "screen with a 10^4-company supply cycle": the bench catalogue (bench/generate.ts) with companies
 * CO0..CO(k-1) made one strongly connected supply component, beside the same catalogue without it. The dataset is
 * validated (readDataset: the import's validator), then the whole-graph taint graph is built from its files and
 * screened the way the API screens (screenGraph with one request budget of LABORTRACE_REQUEST_MAX_STEPS and
 * LABORTRACE_TRACE_MAX_STEPS per product), for two asOf values. No Neo4j: this measures the engine, not the load.
 *
 * Checked: every product's exposure on the screen equals the reachability walk's run on its own (exposure.ts,
 * property-tested against the brute-force enumerator), and every product counted EXACT has the exposure its counts
 * give. Progress on stderr, a table on stdout, bench/results/NAME.json (never overwritten).
 */
const log = (msg: string) => process.stderr.write(`bench-cycle: ${msg}\n`);
const now = () => performance.now();
const round = (v: number) => Math.round(v * 100) / 100;

async function catalogue(nodes: number, seed: number, cycle: number): Promise<string> {
  const dir = path.join(PROJECT_ROOT, 'bench', 'data', `n${nodes}-s${seed}${cycle > 0 ? `-cycle${cycle}` : ''}`);
  const marker = path.join(dir, 'generated.json');
  if (!existsSync(marker)) {
    const gen = await generate({ nodes, seed, dir, supplyCycle: cycle }, (m) => log(`${path.basename(dir)}: ${m}`));
    await fs.writeFile(marker, JSON.stringify(gen));
  }
  return dir;
}

/** The import's validation of the catalogue; the validated rows are let go before screening (3 GB of heap at 2.5·10^5 nodes). */
async function validate(dir: string): Promise<{ rows: number; validateSeconds: number }> {
  const t0 = now();
  const read = await readDataset(dir);
  if (!read.ok) throw new Error(`${dir}: the dataset is invalid: ${JSON.stringify(read.errors.slice(0, 3))}`);
  return { rows: read.dataset.nodes.length + read.dataset.relationships.length, validateSeconds: round((now() - t0) / 1000) };
}

async function screenCatalogue(dir: string) {
  const { rows, validateSeconds } = await validate(dir);
  const t1 = now();
  const { g, products } = await build(dir);
  const buildSeconds = round((now() - t1) / 1000);
  log(`${path.basename(dir)}: ${rows} rows valid (${validateSeconds} s); graph of ${g.nodes.size} nodes, ${g.rowCount} rows built in ${buildSeconds} s`);
  const passes = [];
  for (const asOf of [null, '2020-06-30']) {
    const day = asOf === null ? null : dayOf(asOf);
    const engine = new TraceEngine(g, { asOf: day, budget: new WorkBudget(Math.max(requestMaxStepsSetting(), traceMaxStepsSetting()), traceMaxStepsSetting()) });
    const t = now();
    const screened = screenGraph(g, engine);
    const seconds = round((now() - t) / 1000);
    // the exposure of every product, screened or not (the screen lists the exposed ones), checked on its own
    const listed = new Map(screened.map((r) => [r.itemId, r]));
    let mismatches = 0;
    const tc = now();
    for (const p of products) {
      const alone = reachableExposure(g, p, day);
      const row = listed.get(p);
      if ((row?.exposure ?? 'NONE') !== alone) mismatches++;
      if (row?.counts && (row.counts.direct.all > 0n ? 'DIRECT' : row.counts.possible.all > 0n ? 'POSSIBLE' : 'NONE') !== row.exposure) mismatches++;
    }
    const pass = {
      asOf, seconds, steps: engine.work.steps, products: products.length, listed: screened.length,
      exact: screened.filter((r) => r.countStatus === 'EXACT').length,
      tooComplex: screened.filter((r) => r.countStatus === 'TOO_COMPLEX').length,
      direct: screened.filter((r) => r.exposure === 'DIRECT').length,
      possible: screened.filter((r) => r.exposure === 'POSSIBLE').length,
      exposureMismatches: mismatches, checkSeconds: round((now() - tc) / 1000),
    };
    log(`${path.basename(dir)}: ${JSON.stringify(pass)}`);
    passes.push(pass);
  }
  return { dir: path.basename(dir), rows, validateSeconds, buildSeconds, nodes: g.nodes.size, graphRows: g.rowCount, passes };
}

export async function main(args: string[]): Promise<number> {
  const nodes = Number(option(args, 'nodes') ?? 250_000);
  const cycle = Number(option(args, 'cycle') ?? 10_000);
  const seed = Number(option(args, 'seed') ?? 42);
  const name = option(args, 'name') ?? `cycle-${nodes}-${cycle}-${new Date().toISOString().slice(0, 10)}`;
  const plain = await screenCatalogue(await catalogue(nodes, seed, 0));
  const withCycle = await screenCatalogue(await catalogue(nodes, seed, cycle));
  const machine = { cores: os.cpus().length, cpu: os.cpus()[0]?.model, memoryGb: Math.round(os.totalmem() / 2 ** 30), node: process.version, loadAverage: os.loadavg() };
  const out = freeResultFile(name);
  await fs.writeFile(out, JSON.stringify({ name, date: new Date().toISOString(), machine, nodes, cycle, seed, results: { plain, withCycle } }, null, 2) + '\n');
  const lines = [
    '| catalogue | asOf | screen s | products listed | EXACT / TOO_COMPLEX | DIRECT / POSSIBLE | steps | exposure mismatches |',
    '|---|---|---|---|---|---|---|---|',
  ];
  for (const r of [plain, withCycle]) {
    for (const p of r.passes) lines.push(`| ${r.dir} | ${p.asOf ?? 'none'} | ${p.seconds} | ${p.listed} of ${p.products} | ${p.exact} / ${p.tooComplex} | ${p.direct} / ${p.possible} | ${p.steps} | ${p.exposureMismatches} |`);
  }
  process.stdout.write(`machine: ${JSON.stringify(machine)}\n\n${lines.join('\n')}\n\nwritten ${path.relative(PROJECT_ROOT, out)}\n`);
  const failed = [plain, withCycle].some((r) => r.passes.some((p) => p.exposureMismatches > 0));
  return failed ? 1 : 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => { process.exitCode = code; }, (e) => {
    process.stderr.write(`bench-cycle: ${e instanceof Error ? e.stack : e}\n`);
    process.exitCode = 1;
  });
}
