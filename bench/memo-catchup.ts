import { promises as fs } from 'node:fs';
import path from 'node:path';
import { relationshipId, relationshipKey, type NodeKind, type RelType } from '../src/model/graph-model';
import { TaintGraph, type RowRecordIn } from '../src/trace/engine/taint-graph';
import { patchTaintGraph, type GraphChange } from '../src/trace/engine/taint-graph.patch';
import { downstreamOf } from '../src/trace/engine/engine-memo';
import { TraceEngine } from '../src/trace/engine/trace.engine';
import { rng } from './generate';
import { WorkBudget } from '../src/trace/engine/work-budget';

/**
 * How long the first trace after a small change set takes on a warm engine over a whole-graph snapshot (issue 9,
 * item 5: ≤ 50 ms after a 10-row change set on the 2.5·10^5-node bench catalogue). No Neo4j: the graph is built from
 * a generated dataset's CSV files (bench/generate.ts) the way the loader builds it, then patched in place.
 *
 *   npm run build && node --max-old-space-size=8192 dist/bench/memo-catchup.js \
 *     [dir=bench/data/n250000-s42] [rounds=12] [warm=all]
 *
 * Per round: a random change set of 10 changes (a worker becomes a KP national, employment rows added and removed,
 * a subcontract added and one removed, a production row's interval changed, a rebuttal, a labor supply row, two
 * renames), then, on the engine warmed before (every product counted), the first trace of an item none of them can
 * reach ("untouched": this first call also brings the memo up to date) and the next, of one downstream of them
 * ("affected"); beside them, the same traces on a cold engine (what every first trace after a change set cost when
 * engines were dropped). A trace: counts, the first 10 direct paths, the labor facts. Times are wall clock and the
 * process's CPU time (the second less sensitive to other load on the machine).
 */

async function csv(dir: string, file: string): Promise<string[][]> {
  const text = await fs.readFile(path.join(dir, file), 'utf8').catch(() => '');
  return text.split('\n').slice(1).filter((l) => l.length > 0).map((l) => l.split(','));
}


const row = (type: RelType, source: string, target: string, from: string | null = null, to: string | null = null, placement: string | null = null): RowRecordIn & { id: string } => {
  const key = relationshipKey(type, source, target, from, to, placement);
  return { id: relationshipId(key), key, type, source, target, from, to, placement, evidence: [] };
};

export async function build(dir: string): Promise<{ g: TaintGraph; products: string[]; factories: string[]; workers: string[]; agencies: string[] }> {
  const g = new TaintGraph();
  const node = (id: string, kind: NodeKind, extra: Record<string, unknown> = {}) => g.addNode({ id, kind, name: id, ...extra });
  const products = (await csv(dir, 'products.csv')).map(([id]) => id);
  products.forEach((id) => node(id, 'Product'));
  (await csv(dir, 'components.csv')).forEach(([id]) => node(id, 'Component'));
  (await csv(dir, 'companies.csv')).forEach(([id]) => node(id, 'Company'));
  const agencies = (await csv(dir, 'agencies.csv')).map(([id, , country, linked]) => (node(id, 'LaborAgency', { country, dprkLinked: linked === 'true' }), id));
  const workers = (await csv(dir, 'workers.csv')).map(([id, nationality]) => (node(id, 'Worker', { nationality }), id));
  const factories: string[] = [];
  for (const [id, , country, operator] of await csv(dir, 'factories.csv')) {
    node(id, 'Factory', { country });
    factories.push(id);
    if (operator) g.addRow(row('OPERATES', operator, id));
  }
  const timed = (type: RelType, file: string, ends: (c: string[]) => [string, string], at = 2) => csv(dir, file).then((rows) => {
    for (const c of rows) {
      const [s, t] = ends(c);
      g.addRow(row(type, s, t, c[at] || null, c[at + 1] || null));
    }
  });
  await timed('EMPLOYED_AT', 'employment.csv', (c) => [c[0], c[1]]);
  await timed('SUPPLIES_LABOR_TO', 'labor_supply.csv', (c) => [c[0], c[1]]);
  await timed('SUBCONTRACTOR_OF', 'subcontracts.csv', (c) => [c[1], c[0]]);
  await timed('PRODUCED', 'production.csv', (c) => [c[1], c[0]]);
  for (const [w, a] of await csv(dir, 'recruitment.csv')) g.addRow(row('RECRUITED_BY', w, a));
  for (const [s, c] of await csv(dir, 'supply.csv')) g.addRow(row('SUPPLIES', s, c));
  for (const [i, c] of await csv(dir, 'sourcing.csv')) g.addRow(row('SOURCED_FROM', c, i));
  for (const [p, c] of await csv(dir, 'bom.csv')) g.addRow(row('COMPONENT_OF', c, p));
  g.into(products[0], 'PRODUCED'); // sorts the indexes, as the first read does
  return { g, products, factories, workers, agencies };
}

const ms = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e6;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (xs: number[]) => `median ${median(xs).toFixed(1)} ms, max ${Math.max(...xs).toFixed(1)} ms, min ${Math.min(...xs).toFixed(1)} ms`;

function trace(engine: TraceEngine, item: string): void {
  const e = engine.withBudget(new WorkBudget(1e12));
  const c = e.counts(item);
  for (let k = 0n; k < c.direct.all && k < 10n; k++) e.pathAt(item, 'direct', k);
  e.laborFacts(item);
}

async function main(): Promise<void> {
  const [dir = 'bench/data/n250000-s42', roundsArg = '12', warmArg = 'all'] = process.argv.slice(2);
  let t0 = process.hrtime.bigint();
  const { g, products, factories, workers, agencies } = await build(dir);
  process.stdout.write(`graph: ${g.nodes.size} nodes, ${g.rowCount} rows, built in ${(ms(t0) / 1000).toFixed(1)} s\n`);
  const r = rng(7);
  const pick = <T>(list: readonly T[]) => list[Math.floor(r() * list.length)];
  const engine = new TraceEngine(g, { asOf: null, maxSteps: 1e12 });
  const warm = warmArg === 'all' ? products : products.slice(0, Number(warmArg));
  t0 = process.hrtime.bigint();
  for (const p of warm) engine.withBudget(new WorkBudget(1e12)).counts(p);
  process.stdout.write(`warm: ${warm.length} products counted in ${(ms(t0) / 1000).toFixed(1)} s\n`);

  const rows = (type: RelType) => g.rows().filter((x) => x.type === type);
  const employment = rows('EMPLOYED_AT');
  const subcontracts = rows('SUBCONTRACTOR_OF');
  const production = rows('PRODUCED');
  const kpWorkers = workers.filter((w) => g.node(w)!.source);
  const results = new Map<string, { wall: number[]; cpu: number[] }>();
  /** Times `work`: wall clock, and the process's CPU time (user + system), which the load of other processes inflates less. */
  const measure = <T>(label: string, work: () => T): T => {
    const c0 = process.cpuUsage();
    const w0 = process.hrtime.bigint();
    const out = work();
    const wall = ms(w0);
    const c = process.cpuUsage(c0);
    if (!results.has(label)) results.set(label, { wall: [], cpu: [] });
    results.get(label)!.wall.push(wall);
    results.get(label)!.cpu.push((c.user + c.system) / 1000);
    return out;
  };
  const last = (label: string) => `${results.get(label)!.wall.at(-1)!.toFixed(1)}/${results.get(label)!.cpu.at(-1)!.toFixed(1)}`;
  const closures: number[] = [];
  for (let round = 0; round < Number(roundsArg); round++) {
    const before = g.version;
    const emp = pick(employment);
    const gone = pick(employment.filter((x) => g.row(x.id)));
    const sub = pick(subcontracts.filter((x) => g.row(x.id)));
    const prod = pick(production.filter((x) => g.row(x.id)));
    const year = 2005 + Math.floor(r() * 20);
    const changes: GraphChange[] = [
      { op: 'upsertNode', node: { id: emp.source, kind: 'Worker', name: emp.source, nationality: 'KP' } },
      { op: 'upsertRow', row: row('EMPLOYED_AT', pick(kpWorkers), pick(factories), `${year}-03-01`, null) },
      { op: 'removeRow', id: gone.id },
      { op: 'upsertRow', row: row('SUBCONTRACTOR_OF', pick(factories), pick(factories), `${year}-01-01`, `${year + 3}-12-31`) },
      { op: 'removeRow', id: sub.id },
      { op: 'upsertRow', row: { ...row('PRODUCED', prod.source, prod.target, `${year}-01-01`, null), id: prod.id } },
      { op: 'setRebuttals', rowId: pick(employment.filter((x) => g.row(x.id))).id, rebuttals: [{ id: `R${round}`, itemIds: null }] },
      { op: 'upsertRow', row: row('SUPPLIES_LABOR_TO', pick(agencies), pick(factories), `${year}-06-01`, null) },
      { op: 'upsertNode', node: { id: pick(factories), kind: 'Factory', name: `renamed ${round}`, country: 'CN' } },
      { op: 'upsertNode', node: { id: pick(workers), kind: 'Worker', name: `renamed ${round}`, nationality: 'CN' } },
    ];
    measure('patch (10 changes)', () => patchTaintGraph(g, changes));
    // what the engine will drop, computed here too (to pick the items, and to time it alone)
    const closure = measure('closure alone', () => downstreamOf(g, g.changesSince(before)!.dirty));
    closures.push(closure.size);
    const candidates = warm.filter((p) => !p.startsWith('BENCH-'));
    let untouched = '';
    let affected = '';
    for (let k = 0; k < 1000 && (!untouched || !affected); k++) {
      const p = pick(candidates);
      if (!closure.has(p)) untouched ||= p;
      else affected ||= p;
    }
    if (!untouched || !affected) {
      process.stdout.write(`round ${round}: no ${untouched ? 'affected' : 'untouched'} product found, skipped\n`);
      engine.counts(candidates[0]);
      continue;
    }
    // the first call after the patch brings the engine's memo up to date: timed with the untouched item's trace
    measure('untouched: first trace after the patch (catch-up, counts, 10 paths, labor facts)', () => trace(engine, untouched));
    measure('affected: next trace (counts, 10 paths, labor facts)', () => trace(engine, affected));
    measure('affected: counts again (memoized)', () => engine.withBudget(new WorkBudget(1e12)).counts(affected));
    measure('cold engine: untouched trace', () => trace(new TraceEngine(g, { asOf: null, maxSteps: 1e12 }), untouched));
    measure('cold engine: affected trace', () => trace(new TraceEngine(g, { asOf: null, maxSteps: 1e12 }), affected));
    process.stdout.write(`round ${round} (wall/cpu ms): closure ${closure.size} nodes; untouched ${untouched}, affected ${affected}; `
      + `${[...results.keys()].map((k) => `${k} ${last(k)}`).join('; ')}\n`);
  }
  process.stdout.write(`closure size: median ${median(closures)}, max ${Math.max(...closures)}\n`);
  for (const [k, v] of results) process.stdout.write(`${k}: wall ${fmt(v.wall)}; cpu ${fmt(v.cpu)}\n`);
}

if (require.main === module) {
  main().catch((e) => {
    process.stderr.write(`${e?.stack ?? e}\n`);
    process.exit(1);
  });
}
