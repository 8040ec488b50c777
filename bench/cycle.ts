import { existsSync, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PROJECT_ROOT, requestMaxStepsSetting, traceMaxStepsSetting } from '../src/config';
import { readDataset } from '../src/dataset/dataset.reader';
import { reachableExposure } from '../src/trace/engine/exposure';
import { dayOf } from '../src/trace/engine/interval';
import { TraceEngine } from '../src/trace/engine/trace.engine';
import type { TaintGraph } from '../src/trace/engine/taint-graph';
import { TraceTooComplexError, WorkBudget } from '../src/trace/engine/work-budget';
import { screenGraph, TraceResult } from '../src/trace/trace.service';
import { freeResultFile, option } from './bench-cli';
import { generate } from './generate';
import { build } from './memo-catchup';
import { stats } from './run';

/**
 * `npm run build && node --max-old-space-size=12288 dist/bench/cycle.js [--nodes 250000] [--cycle 10000] [--seed 42]
 * [--pages N] [--check-every K | --no-check] [--name NAME]`
 *
 * Issue 10's "screen with a 10^4-company supply cycle": the bench catalogue (bench/generate.ts) with companies
 * CO0..CO(k-1) made one strongly connected supply component, beside the same catalogue without it. The dataset is
 * validated (readDataset: the import's validator), then the whole-graph taint graph is built from its files and
 * screened the way the API screens (screenGraph with one request budget of LABORTRACE_REQUEST_MAX_STEPS and
 * LABORTRACE_TRACE_MAX_STEPS per product), for two asOf values. No Neo4j: this measures the engine, not the load.
 *
 * Checked: every product's exposure on the screen equals the reachability walk's run on its own (exposure.ts,
 * property-tested against the brute-force enumerator), and every product counted EXACT has the exposure its counts
 * give (--check-every K checks every k-th product only, --no-check none: the check is the longest part). --pages N:
 * the cost of listing paths of N TOO_COMPLEX products of the cycle catalogue (pageCosts). Progress on stderr, a table
 * on stdout, bench/results/NAME.json (never overwritten).
 */
const log = (msg: string) => process.stderr.write(`bench-cycle: ${msg}\n`);
const now = () => performance.now();
const round = (v: number) => Math.round(v * 100) / 100;

export async function catalogue(nodes: number, seed: number, cycle: number): Promise<string> {
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

/**
 * What listing the paths of TOO_COMPLEX products costs (they have no counts: pages are found by walking, API-CORE's
 * path cursor being the path itself): for up to `n` of them, spread over the screen's order, the first page of 10
 * possible paths, the page after its last path (by that cursor), and the page after the first 1,000 paths — each
 * with a request's budget of its own, as the API serves them. Errors (a page beyond the budget) are counted apart.
 */
function pageCosts(g: TaintGraph, asOf: number | null, refused: string[], n: number) {
  const sample = refused.filter((_, i) => i % Math.max(1, Math.floor(refused.length / n)) === 0).slice(0, n);
  const ms = { first: [] as number[], next: [] as number[], after1000: [] as number[] };
  const errors = { first: 0, next: 0, after1000: 0 };
  let pathsSeen = 0;
  const request = () => new TraceEngine(g, { asOf, budget: new WorkBudget(Math.max(requestMaxStepsSetting(), traceMaxStepsSetting()), traceMaxStepsSetting()) });
  const timed = (kind: keyof typeof ms, page: () => { paths: { nodes: string[] }[] }) => {
    const t = now();
    try {
      const { paths } = page();
      ms[kind].push(now() - t);
      pathsSeen += paths.length;
      return paths;
    } catch (e) {
      if (!(e instanceof TraceTooComplexError)) throw e;
      errors[kind]++;
      return [];
    }
  };
  for (const item of sample) {
    const first = timed('first', () => new TraceResult(item, g, request()).listPaths('possible', 10, null));
    if (first.length > 0) timed('next', () => new TraceResult(item, g, request()).listPaths('possible', 10, first[first.length - 1].nodes));
    timed('after1000', () => new TraceResult(item, g, request()).listPaths('possible', 10, null, 1000n));
  }
  return { products: sample.length, pathsSeen, first: stats(ms.first), next: stats(ms.next), after1000: stats(ms.after1000), errors };
}

/** `checkEvery`: check every k-th product's exposure on its own (1: all, 0: none; the check is the longest part). */
export async function screenCatalogue(dir: string, pages: number, checkEvery: number) {
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
    let checked = 0;
    const tc = now();
    for (const [i, p] of products.entries()) {
      if (checkEvery === 0 || i % checkEvery !== 0) continue;
      checked++;
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
      exposureMismatches: checkEvery > 0 ? mismatches : null, exposuresChecked: checked, checkSeconds: round((now() - tc) / 1000),
      pages: pages > 0 ? pageCosts(g, day, screened.filter((r) => r.countStatus === 'TOO_COMPLEX').map((r) => r.itemId), pages) : null,
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
  const pages = Number(option(args, 'pages') ?? 0);
  const checkEvery = args.includes('--no-check') ? 0 : Number(option(args, 'check-every') ?? 1);
  const plain = await screenCatalogue(await catalogue(nodes, seed, 0), 0, checkEvery);
  const withCycle = await screenCatalogue(await catalogue(nodes, seed, cycle), pages, checkEvery);
  const machine = { cores: os.cpus().length, cpu: os.cpus()[0]?.model, memoryGb: Math.round(os.totalmem() / 2 ** 30), node: process.version, loadAverage: os.loadavg() };
  const out = freeResultFile(name);
  await fs.writeFile(out, JSON.stringify({ name, date: new Date().toISOString(), machine, nodes, cycle, seed, results: { plain, withCycle } }, null, 2) + '\n');
  const lines = [
    '| catalogue | asOf | screen s | products listed | EXACT / TOO_COMPLEX | DIRECT / POSSIBLE | steps | exposure mismatches |',
    '|---|---|---|---|---|---|---|---|',
  ];
  for (const r of [plain, withCycle]) {
    for (const p of r.passes) lines.push(`| ${r.dir} | ${p.asOf ?? 'none'} | ${p.seconds} | ${p.listed} of ${p.products} | ${p.exact} / ${p.tooComplex} | ${p.direct} / ${p.possible} | ${p.steps} | ${p.exposureMismatches ?? 'not checked'} |`);
  }
  process.stdout.write(`machine: ${JSON.stringify(machine)}\n\n${lines.join('\n')}\n\nwritten ${path.relative(PROJECT_ROOT, out)}\n`);
  const failed = [plain, withCycle].some((r) => r.passes.some((p) => (p.exposureMismatches ?? 0) > 0));
  return failed ? 1 : 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => { process.exitCode = code; }, (e) => {
    process.stderr.write(`bench-cycle: ${e instanceof Error ? e.stack : e}\n`);
    process.exitCode = 1;
  });
}
