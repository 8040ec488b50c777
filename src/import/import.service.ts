import { kindOfLabels, relationshipId, type NodeKind, type RelType } from '../model/graph-model';
import type { Neo4jClient, Tx } from '../db/neo4j-client';
import { findCycle } from '../dataset/cycle';
import { NODE_FILES } from '../dataset/dataset.spec';
import type { Dataset, DatasetError, NodeRecord, RelRecord } from '../dataset/dataset.types';

export const IMPORT_BATCH_SIZE = 10_000;

const NODE_STATEMENT: Record<NodeKind, string> = {
  Product: 'import/upsert-product',
  Component: 'import/upsert-component',
  Factory: 'import/upsert-factory',
  Company: 'import/upsert-company',
  LaborAgency: 'import/upsert-labor-agency',
  Worker: 'import/upsert-worker',
  Evidence: 'import/upsert-evidence',
  Shipment: 'import/upsert-shipment',
};
const REL_STATEMENT: Record<RelType, string> = {
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
  nodes: Partial<Record<NodeKind, number>>;
  relationships: Partial<Record<RelType, number>>;
  graphVersion: number;
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

function groupBy<T, K>(items: readonly T[], key: (t: T) => K): Map<K, T[]> {
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
  /** Replace the whole graph by the dataset (in the same transaction) instead of upserting into it. */
  replace?: boolean;
  onProgress?: ImportProgress;
}

/**
 * Writes a validated dataset: nodes, then relationships, in UNWIND batches, all inside ONE write transaction,
 * so that a failure anywhere leaves the graph as it was. Upserts by id and relationship key make it idempotent.
 */
export async function importDataset(client: Neo4jClient, dataset: Dataset, options: ImportOptions = {}): Promise<ImportSummary> {
  const { replace = false, onProgress } = options;
  const total = dataset.nodes.length + dataset.relationships.length;
  let done = 0;
  const nodesByKind = groupBy(dataset.nodes, (n) => n.kind);
  return client.writeTx(async (tx) => {
    done = 0;
    // first: the lock that makes concurrent imports serial (and the new graph version)
    const version = (await tx.run('import/lock-graph')).records[0].get('version') as number;
    let rels = dataset.relationships;
    if (replace) {
      await tx.run('import/delete-all-entities');
    } else {
      await checkKinds(tx, dataset.nodes);
      rels = await checkRelationshipIds(tx, rels);
      await checkBomAcyclic(tx, rels);
    }
    const relsByType = groupBy(rels, (r) => r.type);
    const writeBatches = async <T>(statement: string, rows: T[]) => {
      for (let i = 0; i < rows.length; i += IMPORT_BATCH_SIZE) {
        const batch = rows.slice(i, i + IMPORT_BATCH_SIZE);
        await tx.run(statement, { rows: batch });
        done += batch.length;
        onProgress?.(done, total);
      }
    };
    for (const [kind, nodes] of nodesByKind) await writeBatches(NODE_STATEMENT[kind], nodes.map(nodeRow));
    for (const [type, rels] of relsByType) await writeBatches(REL_STATEMENT[type], rels.map(relRow));
    return {
      nodes: Object.fromEntries([...nodesByKind].map(([k, v]) => [k, v.length])),
      relationships: Object.fromEntries([...relsByType].map(([k, v]) => [k, v.length])) as ImportSummary['relationships'],
      graphVersion: version,
    };
  });
}

async function checkKinds(tx: Tx, nodes: NodeRecord[]): Promise<void> {
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
async function checkRelationshipIds(tx: Tx, rels: RelRecord[]): Promise<RelRecord[]> {
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
async function checkBomAcyclic(tx: Tx, rels: RelRecord[]): Promise<void> {
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
