import { mkdtempSync, promises as fs, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import fc from 'fast-check';
import neo4j from 'neo4j-driver';
import { loadConfig, type Config } from '../../src/config';
import { readDataset } from '../../src/dataset/dataset.reader';
import type { Dataset } from '../../src/dataset/dataset.types';
import { formatError } from '../../src/dataset/dataset.types';
import { recoverStoreSwap, status, stop } from '../../src/db/embedded-neo4j';
import { ensureGraphSchema } from '../../src/db/graph-schema';
import { connect, type Neo4jClient } from '../../src/db/neo4j-client';
import { exportDataset } from '../../src/export/export.service';
import {
  BulkImportError, BulkNotApplicableError, BulkStoreChangedError, bulkImportDataset, chooseImportPath,
} from '../../src/import/bulk-import';
import { importDataset, type ImportSummary } from '../../src/import/import.service';
import { dayOf } from '../../src/trace/engine/interval';
import { loadWholeGraph } from '../../src/trace/taint-graph.loader';
import { TraceEngine } from '../../src/trace/engine/trace.engine';
import { dumpGraph } from '../helpers/neo4j';
import { freePort } from '../helpers/net';
import { datasetArb, toCsvFiles, type GenDataset } from '../helpers/random-dataset';
import { SEED_DIR } from '../helpers/seed-dataset';

/**
 * README, "Bulk import": the bulk path (Neo4j's batch importer writing a new store, swapped in for the empty one)
 * against the transactional path, on one dataset made of the demo data, random datasets (datasetArb, ids prefixed)
 * and rows with awkward values (line breaks, quotes, commas, spaces, non-ASCII, x_ columns, partial dates, numbers,
 * booleans, explicit relationship ids, rebuttals). Both imports start from the same store (an API key, and a meta
 * node a knownAt reader created) and must leave the same store: every node and relationship with its labels and
 * properties and their Cypher types (the change log, rebuttals, the meta node and the API key included; only
 * instants and random tokens differ), the same constraints and indexes, the same export, the same dumpGraph, and the
 * same trace answers. Then failures: a killed importer, a file the importer refuses, a store written to during the
 * import; each leaves the store as it was and usable, with the embedded Neo4j never restarted.
 *
 * The embedded Neo4j here is the test's own (a temporary LABORTRACE_HOME), never the shared test database: the bulk
 * path stops and restarts it.
 */

jest.setTimeout(600_000);

const HOME = mkdtempSync(path.join(os.tmpdir(), 'ltbulk-'));
let cfg: Config;
const META = { actor: 'bulk-tester', reason: 'bulk import e2e', source: 'import' as const };
const API_KEY = { id: 'k1', name: 'ci-reporting', role: 'analyst', hash: 'scrypt$00$11', created: '2026-01-02T03:04:05.678Z' };

let client: Neo4jClient;
beforeAll(async () => {
  // a fixed Bolt port: this client reconnects by itself after each store swap
  const env = { ...process.env, NEO4J_URI: '', LABORTRACE_BOLT_PORT: String(await freePort()) };
  cfg = { ...loadConfig(env), home: HOME, heap: '1g', pageCache: '256m' };
  client = await connect(cfg);
});
afterAll(async () => {
  await client?.close();
  await stop(cfg).catch(() => undefined);
  await fs.rm(HOME, { recursive: true, force: true });
});

async function deleteAll(): Promise<void> {
  for (;;) {
    const deleted = await client.writeTx(async (tx) => Number((await tx.run('admin/delete-all-batch', { limit: neo4j.int(10_000) })).records[0].get('deleted')));
    if (deleted === 0) return;
  }
}

/** What a store holds before an import: an API key, and the meta node a knownAt reader's barrier creates. */
async function prepareStore(): Promise<void> {
  await deleteAll();
  await client.writeTx((tx) => tx.run('auth/create-key', API_KEY));
  await client.writeTx((tx) => tx.run('changes/await-writers'));
}

/** A random dataset with every id prefixed, so that several fit in one dataset beside the demo data. */
function prefixed(d: GenDataset, p: string): GenDataset {
  const id = (x: string) => `${p}${x}`;
  return {
    workers: d.workers.map((w) => ({ ...w, id: id(w.id) })),
    agencies: d.agencies.map((a) => ({ ...a, id: id(a.id) })),
    factories: d.factories.map((f) => ({ ...f, id: id(f.id) })),
    companies: d.companies.map((c) => ({ ...c, id: id(c.id) })),
    items: d.items.map((i) => ({ ...i, id: id(i.id) })),
    rows: d.rows.map((r) => ({ ...r, source: id(r.source), target: id(r.target), placement: r.placement === null ? null : id(r.placement) })),
    scopedRebuttals: [],
  };
}

/** Rows with values a CSV writer can get wrong. */
const AWKWARD: Record<string, string[][]> = {
  'products.csv': [
    ['id', 'name', 'sku', 'x_note'],
    ['P-AWK-1', 'Line one\nline "two", three  ', ' sku with spaces ', '  ünïcödé ✓ 🧵 ; semi, "q"'],
    ['P-AWK-2', "Back\\slash 'single' \"double\" \u0001 control", '', 'a\r\nb'],
  ],
  'components.csv': [['id', 'name', 'material'], ['C-AWK-1', 'Ω-ring, “curly”', 'steel;tin']],
  'evidence.csv': [
    ['id', 'title', 'kind', 'published', 'confidence', 'url'],
    ['EV-AWK-1', 'Partial date, month', 'report', '2021-03', '0.75', 'https://example.org/a?b=c&d="e"'],
    ['EV-AWK-2', 'Partial date, year', '', '2019', '1', ''],
  ],
  'workers.csv': [['id', 'nationality', 'name', 'headcount'], ['W-AWK-1', 'KP', 'Cohort "A"\nsecond line', '40']],
  'agencies.csv': [['id', 'name', 'country', 'dprk_linked', 'sanctioned'], ['AG-AWK-1', 'Agency, Ltd.', 'CN', 'yes', 'false']],
  'factories.csv': [['id', 'name', 'country', 'lat', 'lon'], ['F-AWK-1', 'Plant ∆', 'VN', '-12.5', '106.125']],
  'employment.csv': [
    ['id', 'worker_id', 'factory_id', 'from', 'to', 'evidence', 'rebuttal', 'x_shift'],
    ['emp-awk-1', 'W-AWK-1', 'F-AWK-1', '2022-02', '2023', 'EV-AWK-1;EV-AWK-2', 'EV-AWK-2;EV-AWK-1', 'night, "late"'],
  ],
  'recruitment.csv': [['worker_id', 'agency_id', 'factory_id', 'from', 'to'], ['W-AWK-1', 'AG-AWK-1', 'F-AWK-1', '2021', '']],
  'production.csv': [['item_id', 'factory_id', 'from', 'to'], ['P-AWK-1', 'F-AWK-1', '', '2024-02'], ['C-AWK-1', 'F-AWK-1', '2020-01-01', '']],
  'bom.csv': [['parent_id', 'child_id', 'quantity', 'evidence'], ['P-AWK-1', 'C-AWK-1', '2.5', 'EV-AWK-1']],
};

/** The demo data, three random datasets and the awkward rows as one dataset directory. */
function mergedDataset(): string {
  const files = new Map<string, { header: string[]; rows: Record<string, string>[] }>();
  const add = (file: string, table: string[][]) => {
    const [header, ...rows] = table;
    const f = files.get(file) ?? { header: [], rows: [] };
    for (const c of header) if (!f.header.includes(c)) f.header.push(c);
    for (const r of rows) f.rows.push(Object.fromEntries(header.map((c, i) => [c, r[i] ?? ''])));
    files.set(file, f);
  };
  const table = (text: string) => parse(text, { bom: true, relax_column_count: true }) as string[][];
  for (const file of readdirSync(SEED_DIR).filter((f) => f.endsWith('.csv')).sort()) add(file, table(readFileSync(path.join(SEED_DIR, file), 'utf8')));
  fc.sample(datasetArb, { numRuns: 3, seed: 20261128 }).forEach((d, i) => {
    for (const [file, text] of Object.entries(toCsvFiles(prefixed(d, `R${i}-`)))) {
      const rows = table(text);
      // every random dataset has the same one evidence row 'EV'
      add(file, file === 'evidence.csv' && files.get(file)?.rows.some((r) => r.id === 'EV') ? rows.slice(0, 1) : rows);
    }
  });
  for (const [file, rows] of Object.entries(AWKWARD)) add(file, rows);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ltbulk-data-'));
  for (const [file, f] of files) writeFileSync(path.join(dir, file), stringify([f.header, ...f.rows.map((r) => f.header.map((c) => r[c] ?? ''))]));
  return dir;
}

async function datasetOf(dir: string): Promise<Dataset> {
  const result = await readDataset(dir);
  if (!result.ok) throw new Error(`invalid test dataset:\n${result.errors.map(formatError).join('\n')}`);
  return result.dataset;
}

/**
 * Every node and relationship of the store with its labels and properties, each property with its Cypher type,
 * sorted. Instants and random tokens are masked: the change set's instant wherever it appears (its `at`, the meta
 * node's `lastAtMs`, an imported rebuttal's proposedAt/decidedAt, also inside Change.after), the meta node's token
 * and updatedAt, and the meta node's epoch and readBarrierMs (drawn when the knownAt reader came).
 */
async function storeDump(summary: ImportSummary): Promise<string[]> {
  const iso = new Date(summary.changeSet.atMs).toISOString();
  const masked: Record<string, string[]> = {
    ChangeSet: ['at', 'atMs'], LabortraceMeta: ['lastAtMs', 'token', 'updatedAt', 'epoch', 'readBarrierMs'],
  };
  type Prop = [string, string, string | string[] | null];
  const props = (labels: string[], list: Prop[]) => list
    .map(([k, type, v]) => {
      const hidden = labels.some((l) => masked[l]?.includes(k));
      const value = hidden ? '<masked>' : Array.isArray(v) ? v.map((x) => x.split(iso).join('<AT>')) : String(v).split(iso).join('<AT>');
      return [k, type, value];
    })
    .sort((a, b) => String(a[0]).localeCompare(String(b[0])));
  const PROPS = `[k IN keys(x) | [k, valueType(x[k]), CASE WHEN valueType(x[k]) STARTS WITH 'LIST' THEN [v IN x[k] | toString(v)] ELSE toString(x[k]) END]]`;
  const session = client.driver.session();
  try {
    const lines: string[] = [];
    const nodes = await session.run(`MATCH (x) RETURN labels(x) AS labels, ${PROPS} AS props`);
    for (const r of nodes.records) {
      const labels = [...(r.get('labels') as string[])].sort();
      lines.push(`node :${labels.join(':')} ${JSON.stringify(props(labels, r.get('props')))}`);
    }
    const rels = await session.run(`MATCH (a)-[x]->(b) RETURN type(x) AS type, a.id AS source, b.id AS target, ${PROPS} AS props`);
    for (const r of rels.records) lines.push(`rel ${r.get('type')} ${r.get('source')}->${r.get('target')} ${JSON.stringify(props([], r.get('props')))}`);
    return lines.sort();
  } finally {
    await session.close();
  }
}

async function schemaDump(): Promise<string[]> {
  const session = client.driver.session();
  try {
    const r = await session.run('SHOW INDEXES YIELD name, type, entityType, labelsOrTypes, properties, state, owningConstraint RETURN *');
    return r.records.map((x) => JSON.stringify(x.toObject())).sort();
  } finally {
    await session.close();
  }
}

async function exportFiles(): Promise<Record<string, string>> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ltbulk-export-'));
  await exportDataset(client, dir, { force: true });
  const out: Record<string, string> = {};
  for (const f of readdirSync(dir).sort()) out[f] = readFileSync(path.join(dir, f), 'utf8');
  await fs.rm(dir, { recursive: true, force: true });
  return out;
}

/** Every item's counts and labor facts from the whole-graph snapshot, for a few asOf days. */
async function traces(dataset: Dataset): Promise<string> {
  const { graph } = await loadWholeGraph(client);
  const items = dataset.nodes.filter((n) => n.kind === 'Product' || n.kind === 'Component').map((n) => n.id).sort();
  const out: Record<string, unknown> = {};
  for (const asOf of [null, '2013-06-30', '2023-05-01']) {
    const engine = new TraceEngine(graph, { asOf: asOf ? dayOf(asOf) : null });
    for (const id of items) out[`${id}@${asOf}`] = { counts: engine.counts(id), facts: engine.laborFacts(id) };
  }
  return JSON.stringify(out, (_, v) => (typeof v === 'bigint' ? v.toString() : v));
}

async function launcherPid(): Promise<number | undefined> {
  return (await status(cfg)).pid;
}

async function entityCount(): Promise<number> {
  const session = client.driver.session();
  try {
    return Number((await session.run('MATCH (n:Entity) RETURN count(n) AS n')).records[0].get('n'));
  } finally {
    await session.close();
  }
}

describe('the bulk path gives the store the transactional path gives', () => {
  it('the same nodes, relationships, properties and types (change log, rebuttals, meta node, API key), schema, export, dumpGraph and traces', async () => {
    const dataset = await datasetOf(mergedDataset());
    expect(dataset.nodes.length + dataset.relationships.length).toBeGreaterThan(300);

    await prepareStore();
    await ensureGraphSchema(client); // as `labortrace import` does first
    const viaTx = await importDataset(client, dataset, { meta: META });
    const txStore = await storeDump(viaTx);
    const txSchema = await schemaDump();
    const txExport = await exportFiles();
    const txGraph = await dumpGraph(client);
    const txTraces = await traces(dataset);

    await prepareStore();
    const epoch = (await client.read<{ epoch: string }>('admin/graph-version'))[0].epoch;
    const progress: string[] = [];
    const viaBulk = await bulkImportDataset(cfg, dataset, { meta: META, onProgress: (m) => progress.push(m) });
    expect(progress).toEqual(expect.arrayContaining(['bulk importer: Nodes', 'bulk importer: Relationships']));

    expect({ ...viaBulk, changeSet: { ...viaBulk.changeSet, atMs: 0 } }).toEqual({ ...viaTx, changeSet: { ...viaTx.changeSet, atMs: 0 } });
    expect(await storeDump(viaBulk)).toEqual(txStore);
    expect(await schemaDump()).toEqual(txSchema);
    expect(await exportFiles()).toEqual(txExport);
    expect(await dumpGraph(client)).toEqual(txGraph);
    expect(await traces(dataset)).toEqual(txTraces);
    // the store's epoch is the one it had (a knownAt reader's meta node), its version the change set's number
    expect(await client.read('admin/graph-version')).toEqual([expect.objectContaining({ epoch, version: 1 })]);
    // the working directory is gone: CSV files and the store swapped out
    expect(readdirSync(HOME).filter((f) => f.startsWith('bulk-'))).toEqual([]);
  });
});

describe('which path an import takes', () => {
  it('bulk into an empty embedded store from LABORTRACE_BULK_MIN_ROWS rows or with --bulk; otherwise, or with --no-bulk, one transaction', async () => {
    await prepareStore(); // an API key and the meta node: still empty
    expect(await chooseImportPath(cfg, client, 10, undefined)).toEqual({ bulk: false, why: expect.stringContaining('LABORTRACE_BULK_MIN_ROWS') });
    expect(await chooseImportPath(cfg, client, 200_000, undefined)).toEqual({ bulk: true });
    expect(await chooseImportPath(cfg, client, 10, true)).toEqual({ bulk: true });
    expect(await chooseImportPath(cfg, client, 10 ** 6, false)).toEqual({ bulk: false, why: '--no-bulk' });
    const external = { ...cfg, neo4jUri: 'bolt://127.0.0.1:1' };
    expect(await chooseImportPath(external, client, 10 ** 6, undefined)).toEqual({ bulk: false, why: expect.stringContaining('NEO4J_URI') });
    await expect(chooseImportPath(external, client, 10, true)).rejects.toThrow(BulkNotApplicableError);

    await importDataset(client, await datasetOf(SEED_DIR), { meta: META });
    expect(await chooseImportPath(cfg, client, 10 ** 6, undefined)).toEqual({ bulk: false, why: expect.stringMatching(/not empty \(a node :/) });
    await expect(chooseImportPath(cfg, client, 10, true)).rejects.toThrow(/--bulk needs an empty graph, and the store holds a node :/);
    await expect(bulkImportDataset(cfg, await datasetOf(SEED_DIR), { meta: META })).rejects.toThrow(BulkNotApplicableError);
  });
});

describe('a failed bulk import leaves the store as it was, and usable', () => {
  let seed: Dataset;
  let pid: number | undefined;
  beforeAll(async () => {
    seed = await datasetOf(SEED_DIR);
  });
  beforeEach(async () => {
    await prepareStore();
    pid = await launcherPid();
  });

  /** The store is still the prepared one (an API key, the meta node), Neo4j never restarted, nothing left behind, and it takes an import. */
  async function expectUntouched(): Promise<void> {
    expect(await launcherPid()).toBe(pid);
    expect(await client.read('bulk/occupied')).toEqual([expect.objectContaining({ occupied: false })]);
    expect(await client.read<{ name: string }>('auth/list-keys')).toEqual([expect.objectContaining({ name: API_KEY.name })]);
    expect(readdirSync(HOME).filter((f) => f.startsWith('bulk-'))).toEqual([]);
    const summary = await importDataset(client, seed, { meta: META });
    expect(summary.changeSet.seq).toBe(1);
    expect(await entityCount()).toBe(seed.nodes.length);
  }

  it('the importer killed half-way', async () => {
    let importer = 0;
    let killed = false;
    await expect(bulkImportDataset(cfg, seed, {
      meta: META,
      onImporter: (p) => {
        importer = p;
      },
      onProgress: (m) => {
        if (!killed && m === 'bulk importer: Nodes') {
          killed = true;
          process.kill(importer, 'SIGKILL');
        }
      },
    })).rejects.toThrow(/the bulk importer failed \(killed by SIGKILL\); the store is as it was/);
    expect(killed).toBe(true);
    await expectUntouched();
  });

  it('a file the importer refuses', async () => {
    const failure = bulkImportDataset(cfg, seed, {
      meta: META,
      beforeImport: (dir) => {
        const file = readdirSync(dir).find((f) => f.startsWith('rels-EMPLOYED_AT'))!;
        writeFileSync(path.join(dir, file), `${readFileSync(path.join(dir, file), 'utf8')}W-NOBODY,F-NOWHERE\n`);
      },
    });
    await expect(failure).rejects.toThrow(BulkImportError);
    await expect(failure).rejects.toThrow(/^the bulk importer failed \(exit \d+\); the store is as it was: .*referring to missing node W-NOBODY/);
    await expectUntouched();
  });

  it('a change set committed while the importer ran: nothing is swapped, the change set stays', async () => {
    const tiny = await datasetOf(SEED_DIR);
    tiny.nodes = tiny.nodes.filter((n) => n.kind === 'Evidence');
    tiny.relationships = [];
    await expect(bulkImportDataset(cfg, seed, {
      meta: META,
      beforeImport: async () => {
        await importDataset(client, tiny, { meta: { ...META, reason: 'meanwhile' } });
      },
    })).rejects.toThrow(BulkStoreChangedError);
    expect(await launcherPid()).toBe(pid);
    expect(await entityCount()).toBe(tiny.nodes.length);
    expect(await client.read('changes/count-change-sets', { entityId: null, sinceMs: null })).toEqual([{ total: 1 }]);
    expect(readdirSync(HOME).filter((f) => f.startsWith('bulk-'))).toEqual([]);
  });
});

describe('a store swap interrupted between its renames', () => {
  it('is undone at the next start: the store it was replacing is back whole, the new one back where it was', async () => {
    const home = mkdtempSync(path.join(os.tmpdir(), 'ltbulk-swap-'));
    const dirs = (root: string) => ({ db: path.join(root, 'data', 'databases', 'neo4j'), tx: path.join(root, 'data', 'transactions', 'neo4j') });
    const live = dirs(path.join(home, 'neo4j'));
    const incoming = dirs(path.join(home, 'bulk-1-1', 'store'));
    const replaced = { db: path.join(home, 'bulk-1-1', 'store', 'replaced-db'), tx: path.join(home, 'bulk-1-1', 'store', 'replaced-tx') };
    for (const [dir, what] of [[live.db, 'old store'], [live.tx, 'old log'], [incoming.db, 'new store'], [incoming.tx, 'new log']]) {
      await fs.mkdir(dir, { recursive: true });
      writeFileSync(path.join(dir, 'marker'), what);
    }
    const moves = [
      { from: live.db, to: replaced.db }, { from: live.tx, to: replaced.tx }, { from: incoming.db, to: live.db }, { from: incoming.tx, to: live.tx },
    ];
    writeFileSync(path.join(home, 'neo4j.swap.json'), JSON.stringify({ moves }));
    for (const m of moves.slice(0, 3)) await fs.rename(m.from, m.to); // the process died before the fourth rename
    await recoverStoreSwap({ home });
    const marker = (dir: string) => readFileSync(path.join(dir, 'marker'), 'utf8');
    expect([marker(live.db), marker(live.tx), marker(incoming.db), marker(incoming.tx)]).toEqual(['old store', 'old log', 'new store', 'new log']);
    expect(readdirSync(home)).not.toContain('neo4j.swap.json');
    await fs.rm(home, { recursive: true, force: true });
  });
});
