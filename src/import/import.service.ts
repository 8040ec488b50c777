import { kindOfLabels, type NodeKind, type RelType } from '../model/graph-model';
import type { Neo4jClient, Tx } from '../db/neo4j-client';
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
};
const REL_STATEMENT: Record<RelType, string> = {
  EMPLOYED_AT: 'import/upsert-employed-at',
  RECRUITED_BY: 'import/upsert-recruited-by',
  SUPPLIES_LABOR_TO: 'import/upsert-supplies-labor-to',
  SUBCONTRACTOR_OF: 'import/upsert-subcontractor-of',
  PRODUCED: 'import/upsert-produced',
  COMPONENT_OF: 'import/upsert-component-of',
  OPERATES: 'import/upsert-operates',
  SUPPLIES: 'import/upsert-supplies',
  SOURCED_FROM: 'import/upsert-sourced-from',
};

export interface ImportSummary {
  nodes: Partial<Record<NodeKind, number>>;
  relationships: Partial<Record<RelType, number>>;
  graphVersion: number;
}

export class ImportConflictError extends Error {
  constructor(readonly errors: DatasetError[]) {
    super(`${errors.length} id(s) already exist in the database as another kind`);
  }
}

export type ImportProgress = (done: number, total: number) => void;

function nodeRow(n: NodeRecord) {
  const { published, ...props } = n.props;
  return { id: n.id, props: { ...props, id: n.id, evidence: n.evidence }, published: published ?? null };
}

function relRow(r: RelRecord) {
  const props: Record<string, unknown> = { ...r.props, key: r.key, evidence: r.evidence };
  if (r.rebuttals.length > 0) props.rebuttals = r.rebuttals;
  return { source: r.source, target: r.target, key: r.key, from: r.from, to: r.to, props };
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
  const relsByType = groupBy(dataset.relationships, (r) => r.type);
  return client.writeTx(async (tx) => {
    done = 0;
    if (replace) await tx.run('import/delete-all-entities');
    else await checkKinds(tx, dataset.nodes);
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
    const version = (await tx.run('import/bump-graph-version')).records[0].get('version') as number;
    return {
      nodes: Object.fromEntries([...nodesByKind].map(([k, v]) => [k, v.length])),
      relationships: Object.fromEntries([...relsByType].map(([k, v]) => [k, v.length])),
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
