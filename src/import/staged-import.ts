import { randomUUID } from 'node:crypto';
import { intSetting } from '../config';
import type { Neo4jClient, Tx } from '../db/neo4j-client';
import { toNumber } from '../db/values';
import type { Dataset } from '../dataset/dataset.types';
import type { ChangeRow, ChangeSetMeta } from '../changes/change.types';
import { recordChanges, runChangeSet, type ChangeSetContext } from '../changes/change-set';
import { writeImportedRebuttals } from '../changes/rebuttal.store';
import {
  ImportInProgressError, STAGING_BATCH_SIZE, STAGING_CONCURRENCY, StagedImportLostError, abandonStagedImport, clearMarks,
  inParallel, refuseWhileStaged, settleStagedImports, type MarkedRows,
} from '../changes/staging';
import {
  NODE_STATEMENT, REL_STATEMENT, checkBomAcyclic, checkKinds, checkRelationshipIds, diffNodes, diffRelationships, groupBy,
  type ImportSummary, type NodeWrite, type RelWrite,
} from './import.service';

/**
 * A staged import (README, "Staged import"): an upsert of any size into a non-empty graph, written in batches of
 * their own transactions and published by one small change set, so Neo4j's transaction memory does not grow with
 * the dataset and no reader sees part of it.
 *
 * 1. Plan, in one read transaction: the same checks as the one-transaction import (kinds, relationship ids, an
 *    acyclic bill of materials) and the diff against the stored graph (which rows add, which update, versions).
 * 2. Open, under the graph lock: if the graph is still at the version planned against and no other import is
 *    staged, create the marker (:StagedImport). From here other change sets are refused until it is published.
 *    If the graph moved meanwhile, plan again.
 * 3. Stage: every added node and relationship, with its change, batch by batch, marked `_staged`; readers hide
 *    marked rows whose marker exists. Each batch ends by proving the marker alive (heartbeat).
 * 4. Publish, as the change set numbered version + 1: the updates of stored rows (not staged: readers would see them),
 *    imported rebuttals, the :ChangeSet, and the marker's deletion, in one commit.
 * 5. Clear the marks, batch by batch (readers already see the rows; this only spares them the marker check).
 *
 * Any failure before publication abandons the import (its rows are deleted); a process killed meanwhile leaves a
 * marker that goes stale and is abandoned by the next writer, `serve` or `import` (settleStagedImports).
 */
export interface StagedImportOptions {
  meta: ChangeSetMeta;
  onProgress?: (message: string) => void;
  /** At most one "staged n/total" progress message per this many milliseconds (default 2000). */
  progressEveryMs?: number;
}

interface Plan {
  version: number;
  rels: Dataset['relationships'];
  nodeWrites: NodeWrite[];
  relWrites: RelWrite[];
}

const MAX_PLANS = 3;

/** From how many rows `labortrace import` stages an import into a non-empty graph (LABORTRACE_STAGED_MIN_ROWS). */
export function stagedMinRows(env: NodeJS.ProcessEnv = process.env): number {
  return intSetting(env, 'LABORTRACE_STAGED_MIN_ROWS', 200_000, 0, Number.MAX_SAFE_INTEGER);
}

export async function graphHasEntities(client: Neo4jClient): Promise<boolean> {
  return client.readTx(async (tx) => (await tx.run('changes/any-entity')).records[0].get('any') as boolean);
}

export async function stagedImportDataset(client: Neo4jClient, dataset: Dataset, options: StagedImportOptions): Promise<ImportSummary> {
  const { meta } = options;
  const say = options.onProgress ?? (() => undefined);
  const settled = await settleStagedImports(client, { log: say });
  // another import is being staged: refused now rather than after a plan that could not be used
  if (settled.alive.length > 0) throw new ImportInProgressError(settled.alive[0], false);
  const id = `import-${randomUUID()}`;
  let plan: Plan | null = null;
  for (let attempt = 1; plan === null; attempt++) {
    const candidate = await client.readTx((tx) => planImport(tx, dataset, say));
    if (await openStage(client, id, candidate.version, meta)) plan = candidate;
    else if (attempt >= MAX_PLANS) throw new Error(`the graph changed while the import was being checked, ${MAX_PLANS} times; nothing was imported`);
  }
  try {
    const batches = await stage(client, id, plan, say, options.progressEveryMs ?? 2000);
    const staged = batches.reduce((n, b) => n + b.changes.length, 0);
    const summary = await publish(client, id, plan, staged, meta, dataset);
    say(`published as ${summary.changeSet.id} (${summary.changeCount} change(s))`);
    await clearMarks(client, id, batches.map((b) => b.marks)).catch((e: unknown) => {
      // visible and correct already; the marks are cleared by the next settle
      say(`clearing the staged marks stopped (${(e as Error).message}); the next start finishes it`);
    });
    return summary;
  } catch (e) {
    if (!(e instanceof StagedImportLostError)) {
      await abandonStagedImport(client, id).catch((inner: unknown) => {
        say(`could not remove the staged rows (${(inner as Error).message}); they stay invisible and are removed once stale`);
      });
    }
    throw e;
  }
}

async function planImport(tx: Tx, dataset: Dataset, say: (m: string) => void): Promise<Plan> {
  const meta = (await tx.run('admin/graph-version')).records[0];
  const version = toNumber(meta.get('version'));
  const t0 = Date.now();
  const took = () => `${((Date.now() - t0) / 1000).toFixed(1)}s`;
  await checkKinds(tx, dataset.nodes);
  const rels = await checkRelationshipIds(tx, dataset.relationships);
  await checkBomAcyclic(tx, rels);
  say(`checked kinds, relationship ids and the bill of materials against graph version ${version} (${took()})`);
  // the diff's versions: `seq` and `atMs` are not read by it, `retiredBefore` is
  const ctx: ChangeSetContext = { seq: version + 1, atMs: 0, retiredBefore: toNumber(meta.get('retired')) };
  const changes: ChangeRow[] = [];
  const nodeWrites = await diffNodes(tx, dataset.nodes, undefined, ctx, changes, false);
  const relWrites = await diffRelationships(tx, rels, undefined, ctx, changes, false);
  say(`compared with the stored rows: ${changes.filter((c) => c.op === 'ADD').length} to add, ${changes.filter((c) => c.op === 'UPDATE').length} to update (${took()})`);
  return { version, rels, nodeWrites, relWrites };
}

/** Creates the marker if the graph is still at `version` and nothing else is staged; false: plan again. */
async function openStage(client: Neo4jClient, id: string, version: number, meta: ChangeSetMeta): Promise<boolean> {
  return client.writeTx(async (tx) => {
    const r = (await tx.run('staging/open')).records[0];
    refuseWhileStaged(r.get('staged') as Record<string, unknown>[]);
    if (toNumber(r.get('version')) !== version) return false;
    await tx.run('staging/create-marker', { id, version, actor: meta.actor, reason: meta.reason });
    return true;
  });
}

/** A staging batch: rows of one kind or type and their changes, and what clearing their marks needs. */
interface Batch {
  /** the kind or relationship type of its rows (its statement is that one's upsert) */
  of: string;
  statement: string;
  rows: Record<string, unknown>[];
  changes: ChangeRow[];
  marks: MarkedRows;
}

/**
 * Writes the added rows and their changes, batch by batch, STAGING_CONCURRENCY transactions at a time (nodes first:
 * a relationship's batch finds its ends committed); returns the batches, numbered changes included.
 */
async function stage(client: Neo4jClient, id: string, plan: Plan, say: (m: string) => void, everyMs: number): Promise<Batch[]> {
  const batches: Batch[] = [];
  const add = <W extends { row: { id: string; props: Record<string, unknown> }; change: ChangeRow }>(
    of: string, statement: string, writes: W[], marked: (slice: W[]) => Omit<MarkedRows, 'changes'>,
  ) => {
    for (let i = 0; i < writes.length; i += STAGING_BATCH_SIZE) {
      const slice = writes.slice(i, i + STAGING_BATCH_SIZE);
      batches.push({
        of,
        statement,
        rows: slice.map((w) => ({ ...w.row, props: { ...w.row.props, _staged: id } })),
        changes: slice.map((w) => w.change),
        marks: { ...marked(slice), changes: slice.map((w) => w.row.id) },
      });
    }
  };
  const added = <W extends { change: ChangeRow }>(writes: W[]) => writes.filter((w) => w.change.op === 'ADD');
  for (const [kind, writes] of groupBy(added(plan.nodeWrites), (w) => w.kind)) {
    add(kind, NODE_STATEMENT[kind], writes, (slice) => ({ nodes: slice.map((w) => w.row.id), relationships: [] }));
  }
  const nodeBatches = batches.length;
  for (const [type, writes] of groupBy(added(plan.relWrites), (w) => w.type)) {
    add(type, REL_STATEMENT[type], writes, (slice) => ({
      nodes: [], relationships: slice.map((w) => ({ id: w.row.id, source: w.row.source, target: w.row.target })),
    }));
  }
  // each batch's changes are numbered on from the previous batch's, whatever order the batches commit in
  const firstIdx: number[] = [];
  let total = 0;
  for (const b of batches) {
    firstIdx.push(total);
    total += b.changes.length;
  }
  let recorded = 0;
  let lastSaid = Date.now();
  // transaction time by kind and type (side by side, so they add up to more than the wall time): where staging goes
  const spent = new Map<string, number>();
  // and by part of a transaction (the rows, their changes, the heartbeat, the commit): what a faster stage must cut
  const parts = { rows: 0, changes: 0, heartbeat: 0, commit: 0 };
  const write = async (i: number) => {
    const batch = batches[i];
    const started = Date.now();
    let worked = started;
    await client.writeTx(async (tx) => {
      const t0 = Date.now();
      await tx.run(batch.statement, { rows: batch.rows });
      const t1 = Date.now();
      await recordChanges(tx, plan.version + 1, batch.changes, firstIdx[i], id);
      const t2 = Date.now();
      // last, so the marker's lock is held only while committing: batches run side by side, and an abandonment
      // (which takes that lock) either comes after this batch's commit or makes it roll back
      if ((await tx.run('staging/heartbeat', { id })).records.length === 0) throw new StagedImportLostError(id);
      worked = Date.now();
      parts.rows += t1 - t0;
      parts.changes += t2 - t1;
      parts.heartbeat += worked - t2;
    });
    parts.commit += Date.now() - worked;
    spent.set(batch.of, (spent.get(batch.of) ?? 0) + Date.now() - started);
    recorded += batch.changes.length;
    if (Date.now() - lastSaid >= everyMs || recorded === total) {
      lastSaid = Date.now();
      say(`staged ${recorded}/${total} added rows`);
    }
  };
  const indexes = batches.map((_, i) => i);
  await inParallel(indexes.slice(0, nodeBatches), STAGING_CONCURRENCY, write);
  await inParallel(indexes.slice(nodeBatches), STAGING_CONCURRENCY, write);
  if (spent.size > 0) {
    say(`staging transactions by kind and type: ${[...spent].sort((x, y) => y[1] - x[1]).map(([of, ms]) => `${of} ${(ms / 1000).toFixed(1)}s`).join(', ')}`);
    say(`staging transactions by part: ${Object.entries(parts).map(([part, ms]) => `${part} ${(ms / 1000).toFixed(1)}s`).join(', ')}`);
  }
  return batches;
}

/** The change set that makes the staged rows visible, with the updates of stored rows and imported rebuttals. */
async function publish(
  client: Neo4jClient, id: string, plan: Plan, staged: number, meta: ChangeSetMeta, dataset: Dataset,
): Promise<ImportSummary> {
  const { changeSet } = await runChangeSet(client, meta, async (tx, ctx) => {
    const changes: ChangeRow[] = [];
    const updated = <W extends { change: ChangeRow }>(writes: W[]) => writes.filter((w) => w.change.op === 'UPDATE');
    for (const [kind, writes] of groupBy(updated(plan.nodeWrites), (w) => w.kind)) {
      for (let i = 0; i < writes.length; i += STAGING_BATCH_SIZE) await tx.run(NODE_STATEMENT[kind], { rows: writes.slice(i, i + STAGING_BATCH_SIZE).map((w) => w.row) });
      changes.push(...writes.map((w) => w.change));
    }
    for (const [type, writes] of groupBy(updated(plan.relWrites), (w) => w.type)) {
      for (let i = 0; i < writes.length; i += STAGING_BATCH_SIZE) await tx.run(REL_STATEMENT[type], { rows: writes.slice(i, i + STAGING_BATCH_SIZE).map((w) => w.row) });
      changes.push(...writes.map((w) => w.change));
    }
    await writeImportedRebuttals(tx, plan.rels, meta, ctx, changes);
    return { changes, result: null };
  }, { importId: id, version: plan.version, stagedChanges: staged });
  const count = <T>(items: readonly T[], key: (t: T) => string) => Object.fromEntries([...groupBy(items, key)].map(([k, v]) => [k, v.length]));
  return {
    nodes: count(dataset.nodes, (n) => n.kind),
    relationships: count(plan.rels, (r) => r.type) as ImportSummary['relationships'],
    graphVersion: changeSet.seq,
    changeSet,
    changeCount: changeSet.changeCount,
  };
}
