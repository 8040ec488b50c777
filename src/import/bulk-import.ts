import { spawn } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream, promises as fs, type WriteStream } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import neo4j from 'neo4j-driver';
import { intSetting, sizeSetting, type Config } from '../config';
import { cypher } from '../db/cypher';
import { boltUri, checkJava, embeddedAuth, ensureLauncherBuilt, ensureRunning, launcherClasspath, replaceDatabaseStore, type StoreFence } from '../db/embedded-neo4j';
import { ensureGraphSchema } from '../db/graph-schema';
import { Neo4jClient, driverConfig } from '../db/neo4j-client';
import { NODE_FILES } from '../dataset/dataset.spec';
import type { Dataset, NodeRecord, RelRecord } from '../dataset/dataset.types';
import { LABOR_REL_TYPES, labelsOf, type NodeKind, type RelType } from '../model/graph-model';
import { VERSION_PROPERTY, changeSetId, nodeState, relState, stateText, type ChangeSetMeta } from '../changes/change.types';
import { rebuttalState, type RebuttalRecord } from '../changes/rebuttal.store';
import type { ImportSummary } from './import.service';

/**
 * The bulk path of `labortrace import` (README, "Bulk import"): a validated dataset imported into an EMPTY embedded
 * Neo4j by Neo4j's own parallel batch importer (neo4j-launcher, BulkImport: the engine of `neo4j-admin database
 * import full`) instead of one write transaction.
 *
 * 1. The dataset is written, streamed, as CSV files in neo4j-admin's header format under LABORTRACE_HOME/bulk-*,
 *    with exactly what the transactional path stores (src/import/import.service.ts): every node and relationship
 *    with its labels, properties and types (dates as `date`, numbers as floats, `_version` 1), the change log of one
 *    change set (the :ChangeSet, one ADD :Change per entity with the same canonical `after` state, in the same order),
 *    the rebuttals a labor file's `rebuttal` column records, the graph's :LabortraceMeta (version, token, epoch,
 *    lastAtMs as import/lock-graph and import/change-set-instant set them), and the nodes the store already had
 *    (API keys, the meta node's other properties).
 * 2. The importer builds a NEW store from them in its own JVM, while Neo4j keeps running.
 * 3. Only when it completed: the store is swapped in (src/db/embedded-neo4j.ts, replaceDatabaseStore) behind a fence
 *    that holds the graph lock and checks once more that the store is still as it was read; Neo4j restarts on it;
 *    cypher/schema is applied and every index awaited.
 *
 * A failure before the swap (invalid input the importer refuses, a killed importer, a full disk) leaves the store
 * untouched; so does a store that changed meanwhile (BulkStoreChangedError: `labortrace import` then imports
 * transactionally, unless --bulk was asked for).
 */

/** LABORTRACE_BULK_*: when the bulk path is taken, and the importer JVM's memory. */
export interface BulkSettings {
  /** Rows (nodes + relationships) from which `labortrace import` takes the bulk path by itself. */
  minRows: number;
  /** The importer JVM's heap. */
  heap: string;
  /** The importer's off-heap memory (neo4j-admin's --max-off-heap-memory). */
  memory: string;
}

export function bulkSettings(env: NodeJS.ProcessEnv = process.env): BulkSettings {
  return {
    minRows: intSetting(env, 'LABORTRACE_BULK_MIN_ROWS', 200_000, 0, Number.MAX_SAFE_INTEGER),
    heap: sizeSetting(env, 'LABORTRACE_BULK_HEAP', '1g'),
    memory: sizeSetting(env, 'LABORTRACE_BULK_MEMORY', '2g'),
  };
}

/** The bulk import failed (the importer, the swap), or cannot be taken: the reason, for the user. Nothing was imported. */
export class BulkImportError extends Error {}

/**
 * The bulk path cannot take this import (an external Neo4j, a graph that is not empty, a column name neo4j-admin's
 * header cannot say): found before anything was imported; `labortrace import` then takes the transactional path,
 * unless --bulk asked for this one.
 */
export class BulkNotApplicableError extends BulkImportError {}

/** The store changed between the first look and the swap (another import, an API key created): nothing was swapped. */
export class BulkStoreChangedError extends BulkNotApplicableError {}

export type ImportPath = { bulk: true } | { bulk: false; why: string };

/**
 * Which path an import takes. `flag`: --bulk (true), --no-bulk (false), neither (undefined: the bulk path for a
 * dataset of at least LABORTRACE_BULK_MIN_ROWS rows into an empty embedded store). --bulk where the bulk path
 * cannot be taken is a BulkImportError.
 */
export async function chooseImportPath(cfg: Config, client: Neo4jClient, rows: number, flag?: boolean): Promise<ImportPath> {
  if (flag === false) return { bulk: false, why: '--no-bulk' };
  const settings = bulkSettings();
  if (cfg.neo4jUri) {
    if (flag) throw new BulkNotApplicableError('--bulk needs the embedded Neo4j (NEO4J_URI is set)');
    return { bulk: false, why: 'an external Neo4j (NEO4J_URI)' };
  }
  if (flag === undefined && rows < settings.minRows) return { bulk: false, why: `fewer than ${settings.minRows} rows (LABORTRACE_BULK_MIN_ROWS)` };
  const occupied = await storeOccupant(client);
  if (occupied) {
    if (flag) throw new BulkNotApplicableError(`--bulk needs an empty graph, and the store holds ${occupied}`);
    return { bulk: false, why: `the graph is not empty (${occupied})` };
  }
  return { bulk: true };
}

/** What keeps the store from being replaced by a bulk import (a node of some labels, a relationship), or null. */
async function storeOccupant(client: Neo4jClient): Promise<string | null> {
  return client.readTx(async (tx) => occupantOf((await tx.run('bulk/occupied')).records[0].toObject()));
}

function occupantOf(r: Record<string, unknown>): string | null {
  if (!r.occupied) return null;
  if (Array.isArray(r.labels)) return `a node :${(r.labels as string[]).join(':') || '(no label)'}`;
  return `a relationship :${String(r.type)}`;
}

// ---------------------------------------------------------------------------------------------------------------
// What the store already has: carried over into the new one

/** neo4j-admin CSV header types this file writes. */
type CsvType = 'string' | 'double' | 'long' | 'boolean' | 'date' | 'datetime' | 'localdatetime' | 'string[]' | 'long[]' | 'double[]' | 'boolean[]';

const CARRIED_TYPES: Record<string, CsvType> = {
  STRING: 'string', INTEGER: 'long', FLOAT: 'double', BOOLEAN: 'boolean', DATE: 'date', 'ZONED DATETIME': 'datetime',
  'LOCAL DATETIME': 'localdatetime', 'LIST<STRING>': 'string[]', 'LIST<INTEGER>': 'long[]', 'LIST<FLOAT>': 'double[]',
  'LIST<BOOLEAN>': 'boolean[]',
};

interface CarriedProp {
  key: string;
  type: CsvType;
  value: string | string[];
}

interface CarriedNode {
  labels: string[];
  props: CarriedProp[];
}

/** Properties that may change while a bulk import runs without it mattering (informational; checked apart). */
const VOLATILE = new Set(['ApiKey.lastUsed', 'LabortraceMeta.readBarrierMs', 'LabortraceMeta.bulkFence']);

async function readCarried(run: (statement: string) => Promise<Record<string, unknown>[]>): Promise<CarriedNode[]> {
  const out: CarriedNode[] = [];
  for (const r of await run('bulk/carried-nodes')) {
    const labels = [...(r.labels as string[])].sort();
    const props: CarriedProp[] = [];
    for (const p of r.props as { key: string; type: string; text: string | null; list: string[] | null }[]) {
      const type = CARRIED_TYPES[p.type.replace(/ NOT NULL/g, '')];
      if (!type || (p.list !== null && p.list.length === 0)) {
        throw new BulkNotApplicableError(`the store's :${labels.join(':')} node has a property '${p.key}' of type ${p.type} that a bulk import cannot carry over`);
      }
      if (p.key === 'bulkFence') continue;
      props.push({ key: p.key, type, value: p.list ?? p.text ?? '' });
    }
    props.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    // a meta node with nothing but its key (the fence's own MERGE on a store that had none) is no meta node
    if (labels.includes('LabortraceMeta') && props.every((p) => p.key === 'key')) continue;
    out.push({ labels, props });
  }
  return out;
}

/** The carried nodes as compared before the import and at the fence: volatile properties left out. */
function carriedDigest(nodes: CarriedNode[]): string {
  const stable = nodes.map((n) => ({
    labels: n.labels,
    props: n.props.filter((p) => !n.labels.some((l) => VOLATILE.has(`${l}.${p.key}`))),
  }));
  return createHash('sha256').update(JSON.stringify(stable.map((n) => JSON.stringify(n)).sort())).digest('hex');
}

const metaOf = (nodes: CarriedNode[]) => nodes.find((n) => n.labels.includes('LabortraceMeta'));
const propOf = (n: CarriedNode | undefined, key: string) => n?.props.find((p) => p.key === key);
const numberOf = (n: CarriedNode | undefined, key: string): number | undefined => {
  const p = propOf(n, key);
  return p === undefined ? undefined : Number(p.value);
};

// ---------------------------------------------------------------------------------------------------------------
// CSV files in neo4j-admin's header format

/**
 * The CSV files' quote character: U+0001, which text hardly ever holds, where '"' fills every JSON `after` text of
 * the change log (doubling those was a fifth of the writing time). One inside a value is doubled (RFC 4180), as
 * neo4j-admin reads it (--quote=U+0001).
 */
const QUOTE = '\u0001';
const quote = (s: string) => (s.includes(QUOTE) ? `${QUOTE}${s.split(QUOTE).join(QUOTE + QUOTE)}${QUOTE}` : `${QUOTE}${s}${QUOTE}`);
const MULTILINE = /[\r\n]/;

interface Column {
  name: string;
  type: CsvType;
  /** The header cell when it is not `name:type` (a relationship's ends). */
  header?: string;
}

/** A property name neo4j-admin's header takes as it is (an `x_` column may be named anything). */
const PLAIN_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;

/** One CSV file, written through a buffer, with backpressure. */
class CsvFile {
  rows = 0;
  multiline = false;
  private buf: string[] = [];
  private size = 0;
  private readonly out: WriteStream;
  private failed: Error | undefined;

  constructor(readonly file: string, readonly columns: Column[], readonly idColumn: boolean) {
    this.out = createWriteStream(file);
    this.out.on('error', (e) => {
      this.failed = e;
    });
    const header = [...(idColumn ? ['id:ID(Entity)'] : []), ...columns.map((c) => c.header ?? `${c.name}:${c.type}`)];
    this.buf.push(`${header.join(',')}\n`);
  }

  /** One row: `id` (when the file has an id column) and the columns' values, absent ones undefined or null. */
  async row(id: string | undefined, values: unknown[]): Promise<void> {
    const cells: string[] = [];
    if (this.idColumn) {
      if (MULTILINE.test(id!)) this.multiline = true;
      cells.push(quote(id!));
    }
    for (let i = 0; i < this.columns.length; i++) cells.push(this.cell(this.columns[i].type, values[i]));
    const line = `${cells.join(',')}\n`;
    this.buf.push(line);
    this.size += line.length;
    this.rows++;
    if (this.size > 1 << 20) await this.flush();
  }

  private cell(type: CsvType, v: unknown): string {
    if (v === undefined || v === null) return '';
    switch (type) {
      case 'string': {
        const s = String(v);
        if (MULTILINE.test(s)) this.multiline = true;
        return quote(s);
      }
      case 'string[]': {
        const list = v as unknown[];
        if (list.length === 0) return ''; // no property: BulkImport --empty-array restores `evidence` = []
        const s = list.map(String).join(';');
        if (MULTILINE.test(s)) this.multiline = true;
        return quote(s);
      }
      case 'long[]': case 'double[]': case 'boolean[]':
        return quote((v as unknown[]).map(String).join(';'));
      case 'double': {
        const n = Number(v);
        if (!Number.isFinite(n)) throw new BulkNotApplicableError(`a number that is not finite (${String(v)}) cannot be bulk imported`);
        return Object.is(n, -0) ? '-0.0' : String(n);
      }
      case 'boolean':
        return v === true || v === 'true' ? 'true' : 'false';
      default:
        return String(v); // long, date, datetime, localdatetime: as text
    }
  }

  private async flush(): Promise<void> {
    if (this.failed) throw this.failed;
    const chunk = this.buf.join('');
    this.buf = [];
    this.size = 0;
    if (!this.out.write(chunk)) {
      await new Promise<void>((resolve, reject) => {
        const onError = (e: Error) => reject(e);
        this.out.once('error', onError);
        this.out.once('drain', () => {
          this.out.off('error', onError);
          resolve();
        });
      });
    }
  }

  async close(): Promise<void> {
    await this.flush();
    await new Promise<void>((resolve, reject) => {
      this.out.once('error', reject);
      this.out.end(() => resolve());
    });
    if (this.failed) throw this.failed;
  }
}

/** A file to import: its labels (nodes) or type (relationships), as the importer's argument takes it. */
interface ImportFile {
  option: '--nodes' | '--relationships';
  what: string;
  csv: CsvFile;
}

/** The CSV type of a dataset value (the transactional path sends JS numbers, stored as floats). */
function valueType(v: unknown): CsvType {
  if (typeof v === 'number') return 'double';
  if (typeof v === 'boolean') return 'boolean';
  return 'string';
}

/** Date columns per node kind: stored as Neo4j dates (import.service.ts, nodeRow). */
const DATE_COLUMNS = new Map<NodeKind, Set<string>>(
  NODE_FILES.map((f) => [f.kind, new Set(f.columns.filter((c) => c.type === 'date').map((c) => c.name))]),
);

/** The columns of a group of rows: every property any of them has, typed; a property of two types is refused. */
function columnsOf(records: Iterable<Record<string, unknown>>, fixedTypes: (key: string) => CsvType | undefined, what: string): Column[] {
  const types = new Map<string, CsvType>();
  for (const props of records) {
    for (const [k, v] of Object.entries(props)) {
      if (v === undefined || v === null) continue;
      const t = fixedTypes(k) ?? valueType(v);
      const had = types.get(k);
      if (had === undefined) types.set(k, t);
      else if (had !== t) throw new BulkNotApplicableError(`${what}: property '${k}' has values of two types (${had}, ${t}); import it with --no-bulk`);
    }
  }
  for (const k of types.keys()) {
    if (!PLAIN_NAME.test(k)) throw new BulkNotApplicableError(`${what}: the column name '${k}' cannot be written in a bulk import's CSV header; import it with --no-bulk`);
  }
  return [...types].map(([name, type]) => ({ name, type }));
}

/** A node's stored properties, as import.service.ts's nodeRow + SET n = row.props (dates included). */
function nodeProps(n: NodeRecord): Record<string, unknown> {
  return { ...n.props, id: n.id, evidence: n.evidence };
}

/** A relationship's stored properties, as import.service.ts's relRow + SET r = row.props, r.from, r.to. */
function relProps(r: RelRecord): Record<string, unknown> {
  const props: Record<string, unknown> = { ...r.props, id: r.id, key: r.key, evidence: r.evidence };
  if (r.rebuttals.length > 0) props.rebuttals = r.rebuttals;
  if (r.placement !== null) props.placement = r.placement;
  if (r.from !== null) props.from = r.from;
  if (r.to !== null) props.to = r.to;
  return props;
}

/** Column names of a relationship's ends (no property can have them: they are not plain names). */
const START = ':start';
const END = ':end';

/** What a relationship stores beside its row's own columns (import.service.ts, relRow), in the order rows give it. */
const REL_COLUMNS: Column[] = [
  { name: 'id', type: 'string' }, { name: 'key', type: 'string' }, { name: 'placement', type: 'string' }, { name: 'from', type: 'date' },
  { name: 'to', type: 'date' }, { name: 'rebuttals', type: 'string[]' }, { name: 'evidence', type: 'string[]' },
  { name: VERSION_PROPERTY, type: 'double' },
];

/** The id of the rebuttal a labor row's `rebuttal` column records (rebuttal.store.ts, importedRebuttalId). */
function importedRebuttalId(relationshipId: string, evidence: readonly string[]): string {
  const digest = createHash('sha256').update(`${relationshipId}\u0000${[...evidence].sort().join(';')}`).digest('hex');
  return `rb-import-${digest.slice(0, 16)}`;
}

interface Written {
  files: ImportFile[];
  rows: number;
  changeCount: number;
  nodes: Partial<Record<NodeKind, number>>;
  relationships: Partial<Record<RelType, number>>;
}

interface ChangeSetPlan {
  seq: number;
  atMs: number;
  epoch: string;
  token: string;
  meta: ChangeSetMeta;
  carried: CarriedNode[];
}

/**
 * Writes the dataset and everything else the new store holds as CSV files into `dir`, row by row (nothing is held
 * twice): one file per node kind and relationship type, the change log, the rebuttals, the meta node and the carried
 * nodes. The change log lists nodes, then relationships, then rebuttals, in the dataset's order, as
 * import.service.ts's writeDatasetChange records them into an empty graph.
 */
async function writeCsvFiles(dir: string, dataset: Dataset, plan: ChangeSetPlan, progress: (m: string) => void): Promise<Written> {
  await fs.mkdir(dir, { recursive: true });
  const files: ImportFile[] = [];
  const open: CsvFile[] = [];
  const file = (option: ImportFile['option'], what: string, name: string, columns: Column[], idColumn: boolean) => {
    const csv = new CsvFile(path.join(dir, name), columns, idColumn);
    files.push({ option, what, csv });
    open.push(csv);
    return csv;
  };
  try {
    const nodesByKind = new Map<NodeKind, NodeRecord[]>();
    for (const n of dataset.nodes) {
      const list = nodesByKind.get(n.kind);
      if (list) list.push(n);
      else nodesByKind.set(n.kind, [n]);
    }
    const relsByType = new Map<RelType, RelRecord[]>();
    for (const r of dataset.relationships) {
      const list = relsByType.get(r.type);
      if (list) list.push(r);
      else relsByType.set(r.type, [r]);
    }
    const nodeFiles = new Map<NodeKind, { csv: CsvFile; columns: Column[] }>();
    for (const [kind, nodes] of nodesByKind) {
      const dates = DATE_COLUMNS.get(kind) ?? new Set<string>();
      const columns = columnsOf(
        (function* () { for (const n of nodes) yield n.props; })(),
        (k) => (dates.has(k) ? 'date' : undefined), `${kind} nodes`,
      ).filter((c) => c.name !== 'id');
      columns.push({ name: 'evidence', type: 'string[]' }, { name: VERSION_PROPERTY, type: 'double' });
      nodeFiles.set(kind, { csv: file('--nodes', labelsOf(kind).join(':'), `nodes-${kind}.csv`, columns, true), columns });
    }
    // a relationship file: its ends, the rows' own columns (r.props), then what every relationship may have
    const relFiles = new Map<RelType, { csv: CsvFile; own: string[] }>();
    for (const [type, rels] of relsByType) {
      const own = columnsOf((function* () { for (const r of rels) yield r.props; })(), () => undefined, `${type} relationships`);
      const columns: Column[] = [
        { name: START, type: 'string', header: ':START_ID(Entity)' }, { name: END, type: 'string', header: ':END_ID(Entity)' }, ...own,
        ...REL_COLUMNS,
      ];
      relFiles.set(type, { csv: file('--relationships', type, `rels-${type}.csv`, columns, false), own: own.map((c) => c.name) });
    }
    const changes = file('--nodes', 'Change', 'changes.csv', [
      { name: 'seq', type: 'long' }, { name: 'idx', type: 'long' }, { name: 'entityId', type: 'string' }, { name: 'kind', type: 'string' },
      { name: 'op', type: 'string' }, { name: 'after', type: 'string' }, { name: 'version', type: 'long' },
    ], false);
    let idx = 0;
    const change = (entityId: string, kind: string, after: string | null) => changes.row(undefined, [plan.seq, idx++, entityId, kind, 'ADD', after, 1]);

    let done = 0;
    const total = dataset.nodes.length + dataset.relationships.length;
    const step = Math.max(100_000, Math.ceil(total / 10));
    const tick = () => {
      if (++done % step === 0) progress(`bulk import: wrote ${done}/${total} rows as CSV`);
    };

    for (const n of dataset.nodes) {
      const { csv, columns } = nodeFiles.get(n.kind)!;
      const props = nodeProps(n);
      await csv.row(n.id, columns.map((c) => (c.name === VERSION_PROPERTY ? 1 : props[c.name])));
      await change(n.id, n.kind, stateText(nodeState(n.kind, props)));
      tick();
    }
    for (const r of dataset.relationships) {
      const { csv, own } = relFiles.get(r.type)!;
      const values: unknown[] = [r.source, r.target];
      for (const k of own) values.push(r.props[k]);
      // REL_COLUMNS, in order
      values.push(r.id, r.key, r.placement, r.from, r.to, r.rebuttals.length > 0 ? r.rebuttals : null, r.evidence, 1);
      await csv.row(undefined, values);
      await change(r.id, r.type, stateText(relState(r.type, r.source, r.target, relProps(r))));
      tick();
    }

    // rebuttal.store.ts, writeImportedRebuttals: each labor row's `rebuttal` column is one accepted rebuttal
    const at = new Date(plan.atMs).toISOString();
    let rebuttals: { csv: CsvFile; columns: Column[] } | undefined;
    for (const r of dataset.relationships) {
      if (!LABOR_REL_TYPES.has(r.type) || r.rebuttals.length === 0) continue;
      const record: RebuttalRecord = {
        id: importedRebuttalId(r.id, r.rebuttals), relationshipId: r.id, prong: 'NOT_PRESENT', status: 'ACCEPTED',
        evidence: [...r.rebuttals].sort(), note: null, itemIds: null, proposedBy: plan.meta.actor, proposedAt: at,
        decidedBy: plan.meta.actor, decidedAt: at, decisionNote: null, origin: 'import', version: 1,
      };
      const state = rebuttalState(record);
      const props: Record<string, unknown> = { ...state, [VERSION_PROPERTY]: 1 };
      if (!rebuttals) {
        const columns = columnsOf([props], (k) => (k === 'evidence' || k === 'itemIds' ? 'string[]' : undefined), 'rebuttals');
        rebuttals = { csv: file('--nodes', 'Rebuttal', 'rebuttals.csv', columns, false), columns };
      }
      await rebuttals.csv.row(undefined, rebuttals.columns.map((c) => props[c.name]));
      await change(record.id, 'Rebuttal', stateText(state));
    }
    const changeCount = idx;

    // changes/create-change-set
    const changeSet = file('--nodes', 'ChangeSet', 'change-set.csv', [
      { name: 'seq', type: 'long' }, { name: 'id', type: 'string' }, { name: 'atMs', type: 'long' }, { name: 'at', type: 'datetime' },
      { name: 'actor', type: 'string' }, { name: 'reason', type: 'string' }, { name: 'source', type: 'string' }, { name: 'changeCount', type: 'double' },
    ], false);
    await changeSet.row(undefined, [plan.seq, changeSetId(plan.seq), plan.atMs, at, plan.meta.actor, plan.meta.reason, plan.meta.source, changeCount]);

    // the meta node: what it had, then import/lock-graph and import/change-set-instant
    const oldMeta = metaOf(plan.carried);
    const metaProps = new Map<string, CarriedProp>((oldMeta?.props ?? []).map((p) => [p.key, p]));
    const set = (key: string, type: CsvType, value: string) => metaProps.set(key, { key, type, value });
    set('key', 'string', 'graph');
    set('epoch', 'string', plan.epoch);
    set('version', 'long', String(plan.seq));
    set('token', 'string', plan.token);
    set('updatedAt', 'datetime', new Date().toISOString());
    set('lastAtMs', 'long', String(plan.atMs));
    const carried = [...plan.carried.filter((n) => n !== oldMeta), { labels: ['LabortraceMeta'], props: [...metaProps.values()] }];
    // one file per label set and typed property set
    const groups = new Map<string, CarriedNode[]>();
    for (const n of carried) {
      const sig = `${n.labels.join(':')}|${n.props.map((p) => `${p.key}:${p.type}`).join(',')}`;
      groups.set(sig, [...(groups.get(sig) ?? []), n]);
    }
    let g = 0;
    for (const nodes of groups.values()) {
      const columns = nodes[0].props.map((p) => ({ name: p.key, type: p.type }));
      for (const c of columns) {
        if (!PLAIN_NAME.test(c.name)) throw new BulkNotApplicableError(`the store's :${nodes[0].labels.join(':')} node has a property '${c.name}' a bulk import cannot carry over`);
      }
      const csv = file('--nodes', nodes[0].labels.join(':'), `carried-${g++}.csv`, columns, false);
      for (const n of nodes) await csv.row(undefined, n.props.map((p) => p.value));
    }
    for (const csv of open) await csv.close();
    return {
      files,
      rows: total,
      changeCount,
      nodes: Object.fromEntries([...nodesByKind].map(([k, v]) => [k, v.length])),
      relationships: Object.fromEntries([...relsByType].map(([k, v]) => [k, v.length])) as Written['relationships'],
    };
  } catch (e) {
    for (const csv of open) await csv.close().catch(() => undefined);
    throw e;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// The importer

/** Runs neo4j-launcher's BulkImport on the files; resolves when it exited 0, rejects with its last lines otherwise. */
async function runImporter(
  csvDir: string, storeHome: string, written: Written, settings: BulkSettings,
  progress: (m: string) => void, onImporter?: (pid: number) => void,
): Promise<void> {
  const { java, classpath } = launcherClasspath();
  const multiline = written.files.filter((f) => f.csv.multiline).map((f) => path.basename(f.csv.file));
  const args = [
    '-Xms256m', `-Xmx${settings.heap}`, '-XX:+UseG1GC', '-XX:+ExitOnOutOfMemoryError', '-cp', classpath, 'labortrace.launcher.BulkImport',
    '--into', storeHome, '--empty-array', 'evidence',
    // file names relative to the CSV directory (the working directory): a path with '=' or ',' never reaches the parser
    ...written.files.filter((f) => f.csv.rows > 0).map((f) => `${f.option}=${f.what}=${path.basename(f.csv.file)}`),
    `--threads=${Math.max(1, os.availableParallelism())}`, `--max-off-heap-memory=${settings.memory}`, '--bad-tolerance=0',
    '--skip-bad-relationships=false', '--skip-duplicate-nodes=false', '--report-file=import.report', '--verbose', '--quote=U+0001',
    ...(multiline.length > 0 ? ['--multiline-fields-format=v2', `--multiline-fields=${multiline.join(',')}`] : []),
  ];
  const child = spawn(java, args, { cwd: csvDir, stdio: ['ignore', 'pipe', 'pipe'] });
  if (child.pid !== undefined) onImporter?.(child.pid);
  const tail: string[] = [];
  const errors: string[] = [];
  const keep = (line: string, isErr: boolean) => {
    const list = isErr ? errors : tail;
    list.push(line);
    if (list.length > 400) list.shift();
  };
  // --verbose progress: "<stage>, started <time>", then a bar with a count ("[*Nodes:…] 1.20M ∆ 300K"), "Done in <time>"
  let stage = '';
  let lastCount = 0;
  const relay = (stream: NodeJS.ReadableStream, isErr: boolean) => {
    let rest = '';
    stream.on('data', (chunk: Buffer) => {
      const lines = (rest + chunk.toString()).split(/\r?\n|\r/);
      rest = lines.pop()!;
      for (const raw of lines) {
        const line = raw.trimEnd();
        if (line.trim() === '') continue;
        keep(line, isErr);
        if (isErr) continue; // a failure's cause and stack trace, reported below
        const started = /^(.+), started \d{4}-\d\d-\d\d/.exec(line);
        if (started) {
          stage = started[1];
          lastCount = Date.now();
          progress(`bulk importer: ${stage}`);
          continue;
        }
        const bar = /^\[.*\]\s*([\d.]+[KMG]?) ∆/.exec(line);
        if (bar) {
          if (Date.now() - lastCount > 15_000) {
            lastCount = Date.now();
            progress(`bulk importer: ${stage}: ${bar[1]}`);
          }
          continue;
        }
        if (/^IMPORT DONE|^labortrace-bulk:|^Peak memory|^\s+\d[\d.]*[kKMG]? (nodes|relationships|properties)$/.test(line)) {
          progress(`bulk importer: ${line.trim()}`);
        }
      }
    });
  };
  relay(child.stdout!, false);
  relay(child.stderr!, true);
  const outcome = await new Promise<{ code: number | null; signal: NodeJS.Signals | null; error?: Error }>((resolve) => {
    child.on('error', (error) => resolve({ code: null, signal: null, error }));
    child.on('close', (code, signal) => resolve({ code, signal }));
  });
  if (outcome.code === 0) return;
  const why = outcome.error ? `could not run ${java}: ${outcome.error.message}` : outcome.signal ? `killed by ${outcome.signal}` : `exit ${outcome.code}`;
  throw new BulkImportError(`the bulk importer failed (${why}); the store is as it was${failureCause(errors, tail)}`);
}

/**
 * Why the importer failed, from its output: the innermost cause of the exception it printed (with --verbose: the
 * input file, line, field and original error of bad input), else its last lines.
 */
function failureCause(errors: string[], out: string[]): string {
  const start = errors.map((l, i) => (/^Caused by: /.test(l) ? i : -1)).filter((i) => i >= 0).pop();
  let lines: string[];
  if (start !== undefined) {
    lines = [errors[start].replace(/^Caused by: ([\w.$]+\.)?/, '')];
    for (const l of errors.slice(start + 1)) {
      if (/^\s+at |^\s+\.\.\. \d+ more|^Caused by: /.test(l)) break;
      lines.push(l.trim());
    }
  } else {
    lines = [...out, ...errors].filter((l) => !/^[.\-]|^\s+at /.test(l)).slice(-12).map((l) => l.trim());
  }
  return lines.length > 0 ? `: ${lines.join('\n  ')}` : '';
}

// ---------------------------------------------------------------------------------------------------------------
// The whole bulk import

export interface BulkImportOptions {
  meta: ChangeSetMeta;
  /** One line of progress at a time (the CLI writes them to stderr). */
  onProgress?: (message: string) => void;
  /** Told the importer JVM's pid once it runs (tests stop it half-way). */
  onImporter?: (pid: number) => void;
  /** Called with the CSV directory before the importer reads it (tests break a file). */
  beforeImport?: (csvDir: string) => Promise<void> | void;
}

/** A bulk import's working directory: LABORTRACE_HOME/bulk-<pid>-<time>; one of a process that is gone is left over. */
const WORK_DIR = /^bulk-(\d+)-\d+$/;

async function removeLeftovers(home: string): Promise<void> {
  if (await fs.access(path.join(home, 'neo4j.swap.json')).then(() => true, () => false)) return; // a swap to undo first
  for (const name of await fs.readdir(home).catch(() => [] as string[])) {
    const m = WORK_DIR.exec(name);
    if (!m) continue;
    let alive = true;
    try {
      process.kill(Number(m[1]), 0);
    } catch (e) {
      alive = (e as NodeJS.ErrnoException).code === 'EPERM';
    }
    if (!alive) await fs.rm(path.join(home, name), { recursive: true, force: true });
  }
}

/**
 * A client of the embedded Neo4j whose driver does not log: the bulk import stops Neo4j under it, and the connections
 * that cuts are expected.
 */
async function quietClient(cfg: Config): Promise<Neo4jClient> {
  const port = await ensureRunning(cfg);
  const driver = neo4j.driver(boltUri(port), embeddedAuth(cfg), { ...driverConfig(cfg), logging: { level: 'error', logger: () => undefined } });
  return new Neo4jClient(driver, cfg.neo4jDatabase);
}

/**
 * Imports a validated dataset into the empty embedded Neo4j of `cfg.home` through the bulk path (see the top of this
 * file): one change set, as writeDatasetChange would record it into that store. The store must be empty
 * (chooseImportPath). Neo4j restarts once: a caller's driver sees its connections cut (and reconnects by itself
 * when the Bolt port stays the same, which it does unless another process took it meanwhile).
 */
export async function bulkImportDataset(cfg: Config, dataset: Dataset, options: BulkImportOptions): Promise<ImportSummary> {
  if (cfg.neo4jUri) throw new BulkNotApplicableError('the bulk path needs the embedded Neo4j (NEO4J_URI is set)');
  const progress = options.onProgress ?? (() => undefined);
  const settings = bulkSettings();
  const started = Date.now();
  checkJava();
  await ensureLauncherBuilt();
  await removeLeftovers(cfg.home);
  let client = await quietClient(cfg);
  const work = path.join(cfg.home, `bulk-${process.pid}-${Date.now()}`);
  try {
    // what the store holds now: nothing but what is carried over
    const { occupant, carried } = await client.readTx(async (tx) => ({
      occupant: occupantOf((await tx.run('bulk/occupied')).records[0].toObject()),
      carried: await readCarried(async (s) => (await tx.run(s)).records.map((r) => r.toObject())),
    }));
    if (occupant) throw new BulkNotApplicableError(`the bulk path needs an empty graph, and the store holds ${occupant}`);
    const digest = carriedDigest(carried);
    const oldMeta = metaOf(carried);
    const now = Date.now();
    const lastAtMs = numberOf(oldMeta, 'lastAtMs') ?? 0;
    const plan: ChangeSetPlan = {
      seq: (numberOf(oldMeta, 'version') ?? 0) + 1,
      atMs: now > lastAtMs ? now : lastAtMs + 1,
      epoch: (propOf(oldMeta, 'epoch')?.value as string | undefined) ?? randomUUID(),
      token: randomUUID(),
      meta: options.meta,
      carried,
    };

    const csvDir = path.join(work, 'csv');
    const storeHome = path.join(work, 'store');
    progress(`bulk import: writing ${dataset.nodes.length + dataset.relationships.length} rows as CSV files for Neo4j's importer (${csvDir})`);
    let t = Date.now();
    const written = await writeCsvFiles(csvDir, dataset, plan, progress);
    progress(`bulk import: wrote the CSV files in ${seconds(t)} (${written.changeCount} changes in the log)`);
    await options.beforeImport?.(csvDir);
    t = Date.now();
    await runImporter(csvDir, storeHome, written, settings, progress, options.onImporter);
    progress(`bulk import: the new store is complete (${seconds(t)}); swapping it in for the empty one`);
    await fs.rm(csvDir, { recursive: true, force: true });

    t = Date.now();
    await replaceDatabaseStore(cfg, storeHome, (port) => fence(cfg, port, cfg.neo4jDatabase, digest, plan.atMs, plan.seq - 1));
    progress(`bulk import: the embedded Neo4j runs on the new store (swap ${seconds(t)}); creating constraints and indexes`);
    t = Date.now();
    await client.close();
    client = await quietClient(cfg);
    await ensureGraphSchema(client);
    await client.readTx((tx) => tx.run('bulk/await-indexes', { seconds: neo4j.int(24 * 3600) }));
    progress(`bulk import: constraints and indexes online (${seconds(t)}); ${written.rows} rows in ${seconds(started)}`);
    return {
      nodes: written.nodes,
      relationships: written.relationships,
      graphVersion: plan.seq,
      changeSet: { id: changeSetId(plan.seq), seq: plan.seq, atMs: plan.atMs, changeCount: written.changeCount },
      changeCount: written.changeCount,
    };
  } finally {
    await client.close().catch(() => undefined);
    await fs.rm(work, { recursive: true, force: true }).catch(() => undefined);
  }
}

const seconds = (since: number) => `${((Date.now() - since) / 1000).toFixed(1)}s`;

/**
 * The fence of the swap (StoreFence): in one write transaction that is never committed, the graph lock, then the
 * store checked once more: still nothing but the carried nodes, those unchanged, and no knownAt reader that took
 * the lock after the change set's instant (it would see the change set appear in its past).
 */
async function fence(cfg: Config, port: number, database: string | undefined, digest: string, atMs: number, version: number): Promise<StoreFence> {
  // a driver of its own, silent: its connection is cut by the shutdown it waits for
  const driver = neo4j.driver(boltUri(port), embeddedAuth(cfg), { disableLosslessIntegers: true, logging: { level: 'error', logger: () => undefined } });
  const session = driver.session({ database, defaultAccessMode: neo4j.session.WRITE });
  const release = async () => {
    await session.close().catch(() => undefined);
    await driver.close().catch(() => undefined);
  };
  let tx: Awaited<ReturnType<typeof session.beginTransaction>>;
  try {
    tx = await session.beginTransaction();
  } catch (e) {
    await release();
    throw e;
  }
  try {
    const locked = (await tx.run(cypher('bulk/fence'))).records[0];
    const occupant = occupantOf((await tx.run(cypher('bulk/occupied'))).records[0].toObject());
    if (occupant) throw new BulkStoreChangedError(`the graph is no longer empty (${occupant}): it was written to while the bulk import ran`);
    const carried = await readCarried(async (s) => (await tx.run(cypher(s))).records.map((r) => r.toObject()));
    if (Number(locked.get('version')) !== version || carriedDigest(carried) !== digest) {
      throw new BulkStoreChangedError('the store changed while the bulk import ran (its graph version or API keys)');
    }
    const barrier = numberOf(metaOf(carried), 'readBarrierMs');
    if (barrier !== undefined && barrier >= atMs) {
      throw new BulkStoreChangedError('a knownAt reader asked about the present while the bulk import ran (its answer must not change later)');
    }
    return { release };
  } catch (e) {
    await tx.rollback().catch(() => undefined);
    await release();
    throw e;
  }
}
