import 'reflect-metadata';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { SEED_DIR } from '../src/cli/serve.command';
import { PROJECT_ROOT } from '../src/config';
import { catalogueDir, freeResultFile, option } from './bench-cli';
import { gql, machine, round, stats } from './run';
import { launchBrowser } from '../test/helpers/browser';
import { serveDataset } from './served-dataset';

/**
 * `npm run build && node dist/bench/views.js [--nodes 10000] [--runs 5] [--seed 42] [--name NAME]`
 *
 * What the views for people cost (VIEWS.md): for the demo data (seed/) and for a generated catalogue of --nodes
 * nodes, each in its own embedded Neo4j under .labortrace/bench-views-*, the product with the most direct paths is
 * shown in the explorer (Debian's Chromium through playwright-core: from navigation to its trace drawn and its
 * first page of paths listed) and written as a dossier (HTTP PDF and HTML, and the `labortrace dossier` command,
 * which starts a process and loads the graph). Beside each, the baseline: the GraphQL request for the same trace
 * with its first 200 paths, which is what both views start from.
 */

const log = (msg: string) => process.stderr.write(`bench-views: ${msg}\n`);
const now = () => performance.now();

const LARGEST_QUERY = `query($after: String) { screen(first: 1000, after: $after) { edges { node { item { id name } countStatus pathCount } }
  pageInfo { hasNextPage endCursor } } }`;
const BASELINE_QUERY = `query($id: ID!) { trace(itemId: $id) { exposure pathCount possiblePathCount openPathCount sourceCount siteCount
  subgraph { nodes { id kind name } relationships { id type source target from to rebutted evidenceIds } }
  paths(first: 200) { totalCount edges { cursor node { rebutted nodes { id } relationships { id } } } } } }`;

interface Target {
  id: string;
  name: string;
  pathCount: string | null;
}

/** The exposed product with the most direct paths (BENCH-DIAMOND, the synthetic 2^24-path diamond, left out). */
async function largestProduct(url: string): Promise<Target> {
  let best: Target | null = null;
  let after: string | null = null;
  for (;;) {
    const { body } = await gql(url, LARGEST_QUERY, { after });
    for (const { node } of body.data.screen.edges) {
      if (node.item.id === 'BENCH-DIAMOND' || node.pathCount === null) continue;
      if (best === null || BigInt(node.pathCount) > BigInt(best.pathCount ?? 0)) best = { id: node.item.id, name: node.item.name, pathCount: node.pathCount };
    }
    if (!body.data.screen.pageInfo.hasNextPage) break;
    after = body.data.screen.pageInfo.endCursor;
  }
  if (best === null) throw new Error('no exposed product to show');
  return best;
}

/** The trace view is ready when its exposure word is shown, every subgraph node is drawn and the paths are listed. */
async function loadTrace(page: Page, base: string, id: string, subgraphNodes: number): Promise<number> {
  const t = now();
  await page.goto(`${base}/?item=${encodeURIComponent(id)}`);
  // runs in the page (a function, not a string: the page's CSP forbids eval); the bench has no DOM library types
  await page.waitForFunction((n) => (globalThis as unknown as { document: { querySelectorAll(s: string): { length: number } } })
    .document.querySelectorAll('.drawn-nodes [data-node-id]').length >= n, subgraphNodes, { timeout: 120_000 });
  await page.waitForSelector('.graph-canvas[data-state="drawn"]', { timeout: 120_000 });
  await page.waitForSelector('li.path[data-path]', { timeout: 120_000 });
  return now() - t;
}

async function timed(runs: number, f: () => Promise<void>): Promise<number[]> {
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = now();
    await f();
    ms.push(now() - t);
  }
  return ms;
}

async function measure(label: string, dataset: string, runs: number) {
  const served = await serveDataset(`bench-views-${label}`, dataset, log);
  const { base, url, home } = served;
  const browser = await launchBrowser();
  try {
    const target = await largestProduct(url);
    log(`${label}: ${target.id} (${target.pathCount} direct paths)`);
    const first = await gql(url, BASELINE_QUERY, { id: target.id });
    const trace = first.body.data.trace;
    const subgraphNodes = trace.subgraph.nodes.length;
    const baseline = await timed(runs, async () => void (await gql(url, BASELINE_QUERY, { id: target.id })));

    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    const explorerColdMs = await loadTrace(page, base, target.id, subgraphNodes);
    const explorer: number[] = [];
    for (let i = 0; i < runs; i++) explorer.push(await loadTrace(page, base, target.id, subgraphNodes));
    await context.close();

    let pdfBytes = 0;
    const pdf = await timed(runs, async () => {
      const res = await fetch(`${base}/dossier/${encodeURIComponent(target.id)}.pdf`);
      if (!res.ok) throw new Error(`dossier PDF: HTTP ${res.status}`);
      pdfBytes = (await res.arrayBuffer()).byteLength;
    });
    const html = await timed(runs, async () => {
      const res = await fetch(`${base}/dossier/${encodeURIComponent(target.id)}.html`);
      if (!res.ok) throw new Error(`dossier HTML: HTTP ${res.status}`);
      await res.text();
    });
    const out = mkdtempSync(path.join(os.tmpdir(), 'bench-views-'));
    const file = path.join(out, 'dossier.pdf');
    const cli = await timed(Math.min(runs, 3), async () => {
      const r = spawnSync(process.execPath, [path.join(PROJECT_ROOT, 'bin', 'labortrace.js'), 'dossier', target.id, '--out', file],
        { env: { ...process.env, LABORTRACE_HOME: home, NEO4J_URI: '' }, encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`labortrace dossier exited ${r.status}: ${r.stderr}`);
    });
    const cliBytes = statSync(file).size;
    rmSync(out, { recursive: true, force: true });
    return {
      label, dataset: path.relative(PROJECT_ROOT, dataset), machine: machine(served.cfg, served.neo4jVersion),
      product: { ...target, possiblePathCount: trace.possiblePathCount, subgraphNodes, subgraphRelationships: trace.subgraph.relationships.length, pathsListed: trace.paths.edges.length },
      baselineGraphqlMs: stats(baseline),
      explorerTraceDrawnMs: { cold: round(explorerColdMs), ...stats(explorer) },
      dossierPdfHttpMs: { ...stats(pdf), bytes: pdfBytes },
      dossierHtmlHttpMs: stats(html),
      dossierCliMs: { ...stats(cli), bytes: cliBytes },
    };
  } finally {
    await browser.close();
    served.api.kill('SIGTERM');
  }
}

export async function main(args: string[]): Promise<number> {
  const nodes = Number(option(args, 'nodes') ?? 10_000);
  const runs = Number(option(args, 'runs') ?? 5);
  const seed = Number(option(args, 'seed') ?? 42);
  const name = option(args, 'name') ?? `views-${new Date().toISOString().slice(0, 10)}`;
  const results = [await measure('demo', SEED_DIR, runs), await measure(`n${nodes}`, await catalogueDir(nodes, seed, log), runs)];
  const file = freeResultFile(name);
  writeFileSync(file, JSON.stringify({ date: new Date().toISOString(), results }, null, 2) + '\n');
  for (const r of results) {
    log(`${r.label} ${r.product.id}: subgraph ${r.product.subgraphNodes} nodes; GraphQL ${r.baselineGraphqlMs.p50} ms; explorer cold ${r.explorerTraceDrawnMs.cold} ms, p50 ${r.explorerTraceDrawnMs.p50} ms; `
      + `dossier PDF ${r.dossierPdfHttpMs.p50} ms, HTML ${r.dossierHtmlHttpMs.p50} ms, CLI ${r.dossierCliMs.p50} ms`);
  }
  process.stdout.write(`${path.relative(PROJECT_ROOT, file)}\n`);
  return 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => process.exit(code), (e) => {
    process.stderr.write(`bench-views: ${(e as Error).stack ?? e}\n`);
    process.exit(1);
  });
}
