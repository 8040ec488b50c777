import { spawnSync } from 'node:child_process';
import { existsSync, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PROJECT_ROOT } from '../src/config';
import { freeResultFile, option, positionals } from './bench-cli';

/**
 * `node dist/bench/region-compare.js [--sample 25] [--rounds 3] [--seed 42] [--name NAME] DIR...`
 *
 * The region read per trace (trace/*.cypher through taint-graph.loader's loadItemRegion) of several builds of
 * labortrace, each a checkout with its own `dist/` (`npm run build`), against ONE Neo4j already holding a catalogue
 * (NEO4J_URI / NEO4J_USER / NEO4J_PASSWORD, or the embedded store of LABORTRACE_HOME): the same products, the builds
 * alternating product by product, so that a difference between them is the statements', not the machine's or the
 * page cache's. `npm run bench` reads regions right after its import, once, on one build; this answers "did a
 * release make the region read slower?". Every build must read regions of the same size for the same product.
 * Progress on stderr, a table on stdout, bench/results/NAME.json (never overwritten).
 */
const log = (msg: string) => process.stderr.write(`bench-region: ${msg}\n`);
const now = () => performance.now();
const round = (v: number) => Math.round(v * 100) / 100;

interface Build {
  dir: string;
  commit: string;
  loadItemRegion(client: unknown, id: string): Promise<{ nodes: Map<string, unknown> } | null>;
  client: { read<R>(statement: string, params?: Record<string, unknown>): Promise<R[]>; close(): Promise<void> };
}

async function openBuild(dir: string): Promise<Build> {
  const dist = path.join(path.resolve(dir), 'dist', 'src');
  if (!existsSync(dist)) throw new Error(`${dir}: no dist/src (run npm run build there)`);
  /* eslint-disable @typescript-eslint/no-require-imports -- each build's own modules, read its own cypher/ */
  const { loadConfig } = require(path.join(dist, 'config'));
  const { connect } = require(path.join(dist, 'db', 'neo4j-client'));
  const { loadItemRegion } = require(path.join(dist, 'trace', 'taint-graph.loader'));
  /* eslint-enable @typescript-eslint/no-require-imports */
  const git = spawnSync('git', ['-C', dir, 'rev-parse', 'HEAD'], { encoding: 'utf8' });
  const commit = git.status === 0 ? git.stdout.trim() : 'unknown';
  return { dir, commit, loadItemRegion, client: await connect(loadConfig()) };
}

function percentile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

export async function main(args: string[]): Promise<number> {
  const dirs = positionals(args);
  if (dirs.length === 0) throw new Error('name at least one build directory');
  const samples = Number(option(args, 'sample') ?? 25);
  const rounds = Number(option(args, 'rounds') ?? 3);
  const seed = Number(option(args, 'seed') ?? 42);
  const name = option(args, 'name') ?? `region-compare-${new Date().toISOString().slice(0, 10)}`;
  const builds = [];
  for (const d of dirs) builds.push(await openBuild(d));
  const ids = (await builds[0].client.read<{ id: string }>('bench/product-ids')).map((r) => r.id).filter((id) => id !== 'BENCH-DIAMOND');
  let state = seed >>> 0;
  const rand = (n: number) => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state % n;
  };
  const sample = Array.from({ length: Math.min(samples, ids.length) }, () => ids[rand(ids.length)]);
  const ms = builds.map(() => [] as number[][]);
  const sizes = new Map<string, number>();
  let sizeMismatches = 0;
  for (let round_ = 0; round_ < rounds; round_++) {
    builds.forEach((_, b) => ms[b].push([]));
    for (const [k, id] of sample.entries()) {
      // the builds alternate, and which one goes first alternates too
      const order = builds.map((_, b) => b);
      if ((k + round_) % 2 === 1) order.reverse();
      for (const b of order) {
        const t = now();
        const g = await builds[b].loadItemRegion(builds[b].client, id);
        ms[b][round_].push(now() - t);
        const size = g?.nodes.size ?? -1;
        if (!sizes.has(id)) sizes.set(id, size);
        else if (sizes.get(id) !== size) sizeMismatches++;
      }
    }
    log(`round ${round_ + 1}: ${builds.map((bd, b) => `${bd.commit.slice(0, 8)} p50 ${round(percentile([...ms[b][round_]].sort((x, y) => x - y), 0.5))} ms`).join(', ')}`);
  }
  for (const b of builds) await b.client.close();
  const result = builds.map((bd, b) => ({
    dir: bd.dir, commit: bd.commit,
    rounds: ms[b].map((r) => {
      const s = [...r].sort((x, y) => x - y);
      return { p50: round(percentile(s, 0.5)), p95: round(percentile(s, 0.95)), max: round(s[s.length - 1]), totalMs: round(r.reduce((x, y) => x + y, 0)) };
    }),
  }));
  const regionNodes = [...sizes.values()].sort((x, y) => x - y);
  const machine = { cores: os.cpus().length, cpu: os.cpus()[0]?.model, memoryGb: Math.round(os.totalmem() / 2 ** 30), node: process.version, loadAverage: os.loadavg() };
  const out = freeResultFile(name);
  await fs.writeFile(out, JSON.stringify({
    name, date: new Date().toISOString(), machine, seed, sample, regionNodes: { p50: percentile(regionNodes, 0.5), max: regionNodes[regionNodes.length - 1] },
    sizeMismatches, builds: result,
  }, null, 2) + '\n');
  const lines = ['| build | round | p50 ms | p95 ms | max ms | total ms |', '|---|---|---|---|---|---|'];
  for (const r of result) r.rounds.forEach((x, i) => lines.push(`| ${r.commit.slice(0, 8)} (${r.dir}) | ${i + 1} | ${x.p50} | ${x.p95} | ${x.max} | ${x.totalMs} |`));
  process.stdout.write(`machine: ${JSON.stringify(machine)}\nregion nodes p50 ${percentile(regionNodes, 0.5)}, max ${regionNodes[regionNodes.length - 1]}; size mismatches ${sizeMismatches}\n\n${lines.join('\n')}\n\nwritten ${path.relative(PROJECT_ROOT, out)}\n`);
  return sizeMismatches > 0 ? 1 : 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => { process.exitCode = code; }, (e) => {
    process.stderr.write(`bench-region: ${e instanceof Error ? e.stack : e}\n`);
    process.exitCode = 1;
  });
}
