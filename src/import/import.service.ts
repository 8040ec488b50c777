import { userInfo } from 'node:os';
import { kindOfLabels, relationshipId, type NodeKind, type RelType } from '../model/graph-model';
import type { Neo4jClient, Tx } from '../db/neo4j-client';
import { findCycle } from '../dataset/cycle';
import { NODE_FILES } from '../dataset/dataset.spec';
import type { Dataset, DatasetError, NodeRecord, RelRecord, SourcePosition } from '../dataset/dataset.types';
import { lastVersions, runChangeSet, type ChangeSetContext } from '../changes/change-set';
import { toNumber } from '../db/values';
import {
  EXPECTED_VERSION_COLUMN, VERSION_PROPERTY, nodeState, positionKey, relState, stateText, type ChangeRow, type ChangeSetMeta, type ChangeSetSummary, type EntityState,
} from '../changes/change.types';
import { retireRebuttalsOf, writeImportedRebuttals } from '../changes/rebuttal.store';

export const IMPORT_BATCH_SIZE = 10_000;

export const NODE_STATEMENT: Record<NodeKind, string> = {
  Product: 'import/upsert-product',
  Component: 'import/upsert-component',
  Factory: 'import/upsert-factory',
  Company: 'import/upsert-company',
  LaborAgency: 'import/upsert-labor-agency',
  Worker: 'import/upsert-worker',
  Evidence: 'import/upsert-evidence',
  Shipment: 'import/upsert-shipment',
};
export const REL_STATEMENT: Record<RelType, string> = {
  EMPLOYED_AT: 'import/upsert-employed-at',
  RECRUITED_BY: 'import/upsert-recruited-by',
  DISPATCHES_TO: 'import/upsert-dispatches-to',
  SUPPLIES_LABOR_TO: 'import/upsert-supplies-labor-to',
  SUBCONTRACTOR_OF: 'import/upsert-subcontractor-of',
  PRODUCED: 'import/upsert-produced',
  COMPONENT_OF: 'import/upsert-component-of',
  OPERATES: 'import/upsert-operates',
  SUPPLIES: 'import/upsert-supplies',
  SOURCED_FROM: 'import/upsert-sourced-from',
  SHIPMENT_OF: 'import/upsert-shipment-of',
  IMPORTED_BY: 'import/upsert-imported-by',
};

export interface ImportSummary {
  /** Rows per kind and type in the dataset (whether or not they changed anything). */
  nodes: Partial<Record<NodeKind, number>>;
  relationships: Partial<Record<RelType, number>>;
  graphVersion: number;
  /** The change set that recorded it, and how many entities it changed (rows equal to the stored ones change none). */
  changeSet: ChangeSetSummary;
  changeCount: number;
}

/**
 * The dataset is valid but contradicts the database: an id that exists as another kind, a relationship id taken,
 * a bill-of-materials row that closes a cycle with what is stored. Nothing was written.
 */
export class ImportConflictError extends Error {
  constructor(readonly errors: DatasetError[]) {
    super(`${errors.length} row(s) contradict the database: ${errors.slice(0, 3).map((e) => e.message).join('; ')}${errors.length > 3 ? '; …' : ''}`);
  }
}

export type ImportProgress = (done: number, total: number) => void;

/** Date columns per node kind: stored as Neo4j dates, so they travel apart from the plain properties. */
const DATE_COLUMNS = new Map<NodeKind, string[]>(
  NODE_FILES.map((f) => [f.kind, f.columns.filter((c) => c.type === 'date').map((c) => c.name)]),
);

function nodeRow(n: NodeRecord) {
  const props: Record<string, unknown> = { ...n.props, id: n.id, evidence: n.evidence };
  const dates: Record<string, unknown> = {};
  for (const c of DATE_COLUMNS.get(n.kind) ?? []) {
    dates[c] = props[c] ?? null;
    delete props[c];
  }
  return { id: n.id, props, dates };
}

/** Stored properties of a relationship: `id`, `key`, `evidence`, `rebuttals`, `placement`, `from_text`/`to_text`, x_*. */
function relRow(r: RelRecord) {
  const props: Record<string, unknown> = { ...r.props, id: r.id, key: r.key, evidence: r.evidence };
  if (r.rebuttals.length > 0) props.rebuttals = r.rebuttals;
  if (r.placement !== null) props.placement = r.placement;
  return { id: r.id, source: r.source, target: r.target, from: r.from, to: r.to, props };
}

export function groupBy<T, K>(items: readonly T[], key: (t: T) => K): Map<K, T[]> {
  const m = new Map<K, T[]>();
  for (const it of items) {
    const k = key(it);
    const list = m.get(k);
    if (list) list.push(it);
    else m.set(k, [it]);
  }
  return m;
}

export interface ImportOptions {
  /** Replace the whole graph by the dataset (in the same change set) instead of upserting into it. */
  replace?: boolean;
  onProgress?: ImportProgress;
  /** Who records it and why (CHANGES.md); an import by default: the OS user, "import". */
  meta?: ChangeSetMeta;
}

/** A row's expected version (CHANGES.md, optimistic concurrency), by the row's position. */
export type ExpectedVersions = ReadonlyMap<string, number>;

export interface DatasetChange {
  /** The validated rows; a function when validating them needs the stored graph (references to stored nodes): it
   *  runs inside the change set's transaction, after its retirements. */
  dataset: Dataset | ((tx: Tx) => Promise<Dataset>);
  /** Node or relationship ids to retire, with where each was named. */
  retire?: { id: string; at: SourcePosition }[];
  replace?: boolean;
  expected?: ExpectedVersions;
  meta: ChangeSetMeta;
  onProgress?: ImportProgress;
}

/** An entity named in a change set does not exist (retire), or a row's expected version is stale. */
export class ChangeConflictError extends ImportConflictError {
  constructor(errors: DatasetError[], readonly code: 'CONFLICT' | 'BAD_USER_INPUT') {
    super(errors);
  }
}

export function defaultImportMeta(dir?: string): ChangeSetMeta {
  let actor = 'unknown';
  try {
    actor = userInfo().username || actor;
  } catch {
    // no user name (some containers): the actor stays "unknown"
  }
  return { actor, reason: dir ? `import ${dir}` : 'import', source: 'import' };
}

/** A CSV import: one change set (README, "Changes and history"). */
export async function importDataset(client: Neo4jClient, dataset: Dataset, options: ImportOptions = {}): Promise<ImportSummary> {
  return writeDatasetChange(client, {
    dataset, replace: options.replace, onProgress: options.onProgress, meta: options.meta ?? defaultImportMeta(),
  });
}

/**
 * Writes a change set of dataset rows and retirements in ONE write transaction, so that a failure anywhere leaves
 * the graph as it was: retirements first (a correction is retire + add), then the checks against the stored graph
 * (kinds, relationship ids, an acyclic bill of materials, expected versions), then only the rows that change
 * something, each recorded in the log with its new state and version. Rows equal to what is stored change nothing.
 */
export async function writeDatasetChange(client: Neo4jClient, request: DatasetChange): Promise<ImportSummary> {
  const { replace = false, onProgress, meta } = request;
  const { changeSet, result } = await runChangeSet(client, meta, async (tx, ctx) => {
    const changes: ChangeRow[] = [];
    const given = typeof request.dataset === 'function' ? null : request.dataset;
    if (replace && given) await retireAbsent(tx, given, changes);
    if (request.retire && request.retire.length > 0) await retire(tx, request.retire, changes);
    const dataset = given ?? (await (request.dataset as (tx: Tx) => Promise<Dataset>)(tx));
    // into an empty graph (after its retirements) there is nothing stored to check against or compare with
    const empty = !(await tx.run('changes/any-entity')).records[0].get('any');
    if (!empty) await checkKinds(tx, dataset.nodes);
    const rels = empty ? dataset.relationships : await checkRelationshipIds(tx, dataset.relationships);
    if (!empty) await checkBomAcyclic(tx, rels);
    const total = dataset.nodes.length + rels.length;
    let done = 0;
    const nodeWrites = await diffNodes(tx, dataset.nodes, request.expected, ctx, changes, empty);
    const relWrites = await diffRelationships(tx, rels, request.expected, ctx, changes, empty);
    const writeBatches = async <T>(statement: string, rows: T[], count: number) => {
      for (let i = 0; i < rows.length; i += IMPORT_BATCH_SIZE) {
        await tx.run(statement, { rows: rows.slice(i, i + IMPORT_BATCH_SIZE) });
      }
      done += count;
      onProgress?.(done, total);
    };
    const nodesByKind = groupBy(dataset.nodes, (n) => n.kind);
    const relsByType = groupBy(rels, (r) => r.type);
    for (const [kind, nodes] of nodesByKind) {
      await writeBatches(NODE_STATEMENT[kind], nodeWrites.filter((w) => w.kind === kind).map((w) => w.row), nodes.length);
    }
    for (const [type, list] of relsByType) {
      await writeBatches(REL_STATEMENT[type], relWrites.filter((w) => w.type === type).map((w) => w.row), list.length);
    }
    await writeImportedRebuttals(tx, rels, meta, ctx, changes);
    return {
      changes: mergeRetireAndAdd(changes),
      result: {
        nodes: Object.fromEntries([...nodesByKind].map(([k, v]) => [k, v.length])),
        relationships: Object.fromEntries([...relsByType].map(([k, v]) => [k, v.length])) as ImportSummary['relationships'],
      },
    };
  });
  return { ...result, graphVersion: changeSet.seq, changeSet, changeCount: changeSet.changeCount };
}

/**
 * An entity retired and added again in one change set (a correction that keeps the id) was updated: one UPDATE,
 * whose version follows the retired one's, instead of a RETIRE and an ADD that would restart its versions.
 */
function mergeRetireAndAdd(changes: ChangeRow[]): ChangeRow[] {
  const retired = new Map<string, ChangeRow>();
  for (const c of changes) if (c.op === 'RETIRE') retired.set(c.entityId, c);
  if (retired.size === 0) return changes;
  const readded = new Set(changes.filter((c) => c.op === 'ADD' && retired.has(c.entityId)).map((c) => c.entityId));
  if (readded.size === 0) return changes;
  return changes
    .filter((c) => !(c.op === 'RETIRE' && readded.has(c.entityId)))
    .map((c) => (c.op === 'ADD' && readded.has(c.entityId) ? { ...c, op: 'UPDATE' as const, version: retired.get(c.entityId)!.version } : c));
}

/** A row to write and the change it records (ADD or UPDATE). */
export interface NodeWrite { kind: NodeKind; row: ReturnType<typeof nodeRow>; change: ChangeRow }
export interface RelWrite { type: RelType; row: ReturnType<typeof relRow>; change: ChangeRow }

/** The stored state and version of nodes by id. */
async function storedNodes(tx: Tx, ids: string[]): Promise<Map<string, { kind: NodeKind; state: EntityState; version: number }>> {
  const out = new Map<string, { kind: NodeKind; state: EntityState; version: number }>();
  for (let i = 0; i < ids.length; i += IMPORT_BATCH_SIZE) {
    const result = await tx.run('changes/node-states', { ids: ids.slice(i, i + IMPORT_BATCH_SIZE) });
    for (const r of result.records) {
      const kind = kindOfLabels(r.get('labels'));
      const props = r.get('props') as Record<string, unknown>;
      out.set(r.get('id'), { kind, state: nodeState(kind, props), version: toNumber(props[VERSION_PROPERTY] ?? 1) });
    }
  }
  return out;
}

interface StoredRel { type: RelType; source: string; target: string; state: EntityState; version: number }

/** The same, for relationships of known types (a change set's rows): one index per id instead of all twelve. */
async function storedRelationshipsOf(tx: Tx, rels: readonly RelRecord[]): Promise<Map<string, StoredRel>> {
  const out = new Map<string, StoredRel>();
  for (let i = 0; i < rels.length; i += IMPORT_BATCH_SIZE) {
    const byType: Partial<Record<RelType, string[]>> = {};
    for (const r of rels.slice(i, i + IMPORT_BATCH_SIZE)) (byType[r.type] ??= []).push(r.id);
    const result = await tx.run('changes/relationship-states-by-type', { byType });
    for (const r of result.records) out.set(r.get('id'), storedRel(r.toObject()));
  }
  return out;
}

async function storedRelationships(tx: Tx, ids: string[]): Promise<Map<string, StoredRel>> {
  const out = new Map<string, StoredRel>();
  for (let i = 0; i < ids.length; i += IMPORT_BATCH_SIZE) {
    const result = await tx.run('changes/relationship-states', { ids: ids.slice(i, i + IMPORT_BATCH_SIZE) });
    for (const r of result.records) out.set(r.get('id'), storedRel(r.toObject()));
  }
  return out;
}

function storedRel(r: Record<string, unknown>): StoredRel {
  const props = r.props as Record<string, unknown>;
  const type = r.type as RelType;
  return {
    type, source: r.source as string, target: r.target as string,
    state: relState(type, r.source as string, r.target as string, props), version: toNumber(props[VERSION_PROPERTY] ?? 1),
  };
}

function checkExpected(expected: ExpectedVersions | undefined, at: SourcePosition, id: string, stored: number): DatasetError | null {
  const want = expected?.get(positionKey(at));
  if (want === undefined || want === stored) return null;
  return { ...at, column: EXPECTED_VERSION_COLUMN, message: `'${id}' is at version ${stored}${stored === 0 ? ' (it does not exist)' : ''}, not the expected ${want}: it was changed since it was read` };
}

/**
 * The last version of entities being added, which their new version follows: none (they start at 1), or the last one
 * the log gave an id retired before, or the one its retirement gets in this very change set (merged into an UPDATE).
 */
async function addedVersions(tx: Tx, ids: string[], ctx: ChangeSetContext, changes: readonly ChangeRow[]): Promise<Map<string, number>> {
  const out = ctx.retiredBefore > 0 && ids.length > 0 ? await lastVersions(tx, ids) : new Map<string, number>();
  for (const c of changes) if (c.op === 'RETIRE') out.set(c.entityId, c.version - 1);
  return out;
}

export async function diffNodes(
  tx: Tx, nodes: NodeRecord[], expected: ExpectedVersions | undefined, ctx: ChangeSetContext, changes: ChangeRow[], empty: boolean,
): Promise<NodeWrite[]> {
  const stored = empty ? new Map() as Awaited<ReturnType<typeof storedNodes>> : await storedNodes(tx, nodes.map((n) => n.id));
  const conflicts: DatasetError[] = [];
  for (const n of nodes) {
    const e = checkExpected(expected, n.at, n.id, stored.get(n.id)?.version ?? 0);
    if (e) conflicts.push(e);
  }
  if (conflicts.length > 0) throw new ChangeConflictError(conflicts, 'CONFLICT');
  const previous = await addedVersions(tx, nodes.filter((n) => !stored.has(n.id)).map((n) => n.id), ctx, changes);
  const writes: NodeWrite[] = [];
  for (const n of nodes) {
    const row = nodeRow(n);
    const after = nodeState(n.kind, { ...row.props, ...row.dates });
    const before = stored.get(n.id);
    if (before && stateText(before.state) === stateText(after)) continue;
    const version = before ? before.version + 1 : (previous.get(n.id) ?? 0) + 1;
    row.props[VERSION_PROPERTY] = version;
    const change: ChangeRow = { entityId: n.id, kind: n.kind, op: before ? 'UPDATE' : 'ADD', after, version };
    writes.push({ kind: n.kind, row, change });
    changes.push(change);
  }
  return writes;
}

export async function diffRelationships(
  tx: Tx, rels: RelRecord[], expected: ExpectedVersions | undefined, ctx: ChangeSetContext, changes: ChangeRow[], empty: boolean,
): Promise<RelWrite[]> {
  const stored = empty ? new Map<string, StoredRel>() : await storedRelationshipsOf(tx, rels);
  const conflicts: DatasetError[] = [];
  for (const r of rels) {
    const e = checkExpected(expected, r.at, r.id, stored.get(r.id)?.version ?? 0);
    if (e) conflicts.push(e);
  }
  if (conflicts.length > 0) throw new ChangeConflictError(conflicts, 'CONFLICT');
  const previous = await addedVersions(tx, rels.filter((r) => !stored.has(r.id)).map((r) => r.id), ctx, changes);
  const writes: RelWrite[] = [];
  for (const r of rels) {
    const row = relRow(r);
    const after = relState(r.type, r.source, r.target, { ...row.props, from: r.from, to: r.to });
    const before = stored.get(r.id);
    if (before && stateText(before.state) === stateText(after)) continue;
    const version = before ? before.version + 1 : (previous.get(r.id) ?? 0) + 1;
    row.props[VERSION_PROPERTY] = version;
    const change: ChangeRow = { entityId: r.id, kind: r.type, op: before ? 'UPDATE' : 'ADD', after, version };
    writes.push({ type: r.type, row, change });
    changes.push(change);
  }
  return writes;
}

/**
 * Retires nodes (with their relationships) and relationships by id. Never deletes what was known: each one's last
 * state is already in the log, and the RETIRE change records when it stopped being true.
 */
async function retire(tx: Tx, targets: { id: string; at: SourcePosition }[], changes: ChangeRow[]): Promise<void> {
  const ids = [...new Set(targets.map((t) => t.id))];
  const nodes = await storedNodes(tx, ids);
  const rels = await storedRelationships(tx, ids.filter((id) => !nodes.has(id)));
  const missing = targets.filter((t) => !nodes.has(t.id) && !rels.has(t.id));
  if (missing.length > 0) {
    throw new ChangeConflictError(missing.map((t) => ({ ...t.at, message: `no node or relationship '${t.id}' in the graph to retire` })), 'BAD_USER_INPUT');
  }
  const nodeIds = [...nodes.keys()];
  for (let i = 0; i < nodeIds.length; i += IMPORT_BATCH_SIZE) {
    const result = await tx.run('changes/relationships-of-nodes', { ids: nodeIds.slice(i, i + IMPORT_BATCH_SIZE) });
    for (const r of result.records) {
      const id = r.get('id') as string;
      if (!rels.has(id)) rels.set(id, storedRel(r.toObject()));
    }
  }
  await retireStored(tx, nodes, rels, changes);
}

async function retireStored(
  tx: Tx, nodes: Map<string, { kind: NodeKind; version: number }>, rels: Map<string, StoredRel>, changes: ChangeRow[],
): Promise<void> {
  await retireRebuttalsOf(tx, [...rels.keys()], changes);
  for (const [id, r] of rels) changes.push({ entityId: id, kind: r.type, op: 'RETIRE', after: null, version: r.version + 1 });
  for (const [id, n] of nodes) changes.push({ entityId: id, kind: n.kind, op: 'RETIRE', after: null, version: n.version + 1 });
  const relIds = [...rels.keys()];
  for (let i = 0; i < relIds.length; i += IMPORT_BATCH_SIZE) await tx.run('changes/delete-relationships', { ids: relIds.slice(i, i + IMPORT_BATCH_SIZE) });
  const nodeIds = [...nodes.keys()];
  for (let i = 0; i < nodeIds.length; i += IMPORT_BATCH_SIZE) await tx.run('changes/delete-nodes', { ids: nodeIds.slice(i, i + IMPORT_BATCH_SIZE) });
}

/**
 * A replacing change set retires every stored node its dataset does not have (or has as another kind) and every
 * stored relationship it does not have: not by id, and not by natural key either (a row without an id that matches
 * a stored relationship's key is that relationship, and keeps it).
 */
async function retireAbsent(tx: Tx, dataset: Dataset, changes: ChangeRow[]): Promise<void> {
  const kinds = new Map(dataset.nodes.map((n) => [n.id, n.kind]));
  const relById = new Map(dataset.relationships.map((r) => [r.id, r]));
  const keys = new Set(dataset.relationships.map((r) => r.key));
  const goneNodes: string[] = [];
  for await (const r of tx.stream<{ id: string; labels: string[] }>('changes/all-node-ids')) {
    if (kinds.get(r.id) !== kindOfLabels(r.labels)) goneNodes.push(r.id);
  }
  const gone = new Set(goneNodes);
  const goneRels: string[] = [];
  for await (const r of tx.stream<{ id: string; key: string; type: RelType; source: string; target: string }>('changes/all-relationship-ids')) {
    if (gone.has(r.source) || gone.has(r.target)) continue; // retired with its node
    const row = relById.get(r.id);
    const kept = row ? row.type === r.type && row.source === r.source && row.target === r.target : keys.has(r.key);
    if (!kept) goneRels.push(r.id);
  }
  const nodes = await storedNodes(tx, goneNodes);
  const rels = await storedRelationships(tx, goneRels);
  for (let i = 0; i < goneNodes.length; i += IMPORT_BATCH_SIZE) {
    const result = await tx.run('changes/relationships-of-nodes', { ids: goneNodes.slice(i, i + IMPORT_BATCH_SIZE) });
    for (const r of result.records) if (!rels.has(r.get('id'))) rels.set(r.get('id'), storedRel(r.toObject()));
  }
  await retireStored(tx, nodes, rels, changes);
}

export async function checkKinds(tx: Tx, nodes: NodeRecord[]): Promise<void> {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const errors: DatasetError[] = [];
  const ids = [...byId.keys()];
  for (let i = 0; i < ids.length; i += IMPORT_BATCH_SIZE) {
    const result = await tx.run('import/existing-kinds', { ids: ids.slice(i, i + IMPORT_BATCH_SIZE) });
    for (const r of result.records) {
      const node = byId.get(r.get('id'))!;
      const existing = kindOfLabels(r.get('labels'));
      if (existing !== node.kind) {
        errors.push({ ...node.at, message: `id '${node.id}' already exists in the database as a ${existing}, not a ${node.kind}` });
      }
    }
  }
  if (errors.length > 0) throw new ImportConflictError(errors);
}

/**
 * Relationship identity against the database (README, "Relationship ids"). A row whose id is derived from its
 * natural key takes the id of the relationship already stored with that key (it is the same relationship). An id
 * that exists on a relationship of another type or between other nodes is refused; so is a row that names its own
 * id for a relationship stored under another id. A stored id on the same type and ends is corrected in place.
 * Returns the rows with the ids they are written under.
 */
export async function checkRelationshipIds(tx: Tx, rels: RelRecord[]): Promise<RelRecord[]> {
  const errors: DatasetError[] = [];
  const datasetIds = new Set(rels.map((r) => r.id));
  const out: RelRecord[] = [];
  for (let i = 0; i < rels.length; i += IMPORT_BATCH_SIZE) {
    const batch = rels.slice(i, i + IMPORT_BATCH_SIZE);
    const keyed = await tx.run('import/existing-relationship-keys', {
      rows: batch.map((r) => ({ id: r.id, key: r.key, type: r.type, source: r.source, target: r.target })),
    });
    const stored = new Map<string, string>();
    for (const rec of keyed.records) if (!stored.has(rec.get('rowId'))) stored.set(rec.get('rowId'), rec.get('id'));
    const adopted = batch.map((r) => {
      const existing = stored.get(r.id);
      if (existing === undefined) return r;
      if (r.id !== relationshipId(r.key)) {
        errors.push({ ...r.at, message: `relationship '${r.id}' is already in the database under the id '${existing}' (same type, ends and interval)` });
        return r;
      }
      // the same relationship, stored under an id a dataset gave it; unless this dataset moves that id elsewhere
      return datasetIds.has(existing) ? r : { ...r, id: existing };
    });
    const byId = new Map(adopted.map((r) => [r.id, r]));
    const ids = await tx.run('import/existing-relationship-ids', { ids: [...byId.keys()] });
    for (const rec of ids.records) {
      const r = byId.get(rec.get('id'))!;
      if (rec.get('type') !== r.type || rec.get('source') !== r.source || rec.get('target') !== r.target) {
        errors.push({
          ...r.at,
          message: `relationship id '${r.id}' already exists in the database on ${rec.get('type')} ${rec.get('source')} -> ${rec.get('target')}, not ${r.type} ${r.source} -> ${r.target}`,
        });
      }
    }
    out.push(...adopted);
  }
  if (errors.length > 0) throw new ImportConflictError(errors);
  return out;
}

/**
 * A bill of materials that the dataset and the stored graph form together must stay acyclic (the validator has
 * checked the dataset alone). A cycle through a dataset row P -> C needs a path back from C to P: the stored
 * bill of materials is read down from the dataset's components, level by level, as far as it reaches, and the
 * union is checked. A cycle is refused at the bom.csv row that closes it (the last of its rows in the file),
 * naming the ids on it parent -> child, as the validator does.
 */
export async function checkBomAcyclic(tx: Tx, rels: RelRecord[]): Promise<void> {
  const bom = rels.filter((r) => r.type === 'COMPONENT_OF');
  if (bom.length === 0) return;
  const edges: [string, string][] = bom.map((r) => [r.target, r.source]); // parent -> child
  const seen = new Set<string>();
  let frontier = [...new Set(bom.map((r) => r.source))]; // every dataset child: its own rows need no walk
  while (frontier.length > 0) {
    frontier.forEach((id) => seen.add(id));
    const next = new Set<string>();
    for (let i = 0; i < frontier.length; i += IMPORT_BATCH_SIZE) {
      const result = await tx.run('import/bom-children', { ids: frontier.slice(i, i + IMPORT_BATCH_SIZE) });
      for (const rec of result.records) {
        const child = rec.get('child') as string;
        edges.push([rec.get('parent') as string, child]);
        if (!seen.has(child)) next.add(child);
      }
    }
    frontier = [...next].filter((id) => !seen.has(id));
  }
  const cycle = findCycle(edges);
  if (!cycle) return;
  const hops = cycle.slice(0, -1).map((parent, i) => [parent, cycle[i + 1]] as const);
  const rowOf = (parent: string, child: string) => bom.filter((r) => r.target === parent && r.source === child)
    .reduce<RelRecord | undefined>((last, r) => (!last || r.at.line > last.at.line ? r : last), undefined);
  let closing: { row: RelRecord; hop: number } | undefined;
  hops.forEach(([parent, child], hop) => {
    const row = rowOf(parent, child);
    if (row && (!closing || row.at.line > closing.row.at.line)) closing = { row, hop };
  });
  if (!closing) {
    // a cycle already in the store (written before imports checked this): name it, and how to repair it
    const first = bom.reduce((a, r) => (r.at.line < a.at.line ? r : a));
    throw new ImportConflictError([{ ...first.at, message: `bill of materials has a cycle: ${cycle.join(' -> ')} (already in the database; import with --replace to repair it)` }]);
  }
  // rotate so that the closing row is the last hop: X -> ... -> parent -> child
  const start = (closing.hop + 1) % hops.length;
  const ids = [...hops.slice(start), ...hops.slice(0, start)].map(([parent]) => parent);
  throw new ImportConflictError([{ ...closing.row.at, message: `bill of materials has a cycle: ${[...ids, ids[0]].join(' -> ')}` }]);
}
