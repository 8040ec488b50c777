import type { Neo4jClient, Tx } from '../db/neo4j-client';
import {
  changeSetId, stateText, type ChangeRow, type ChangeSetMeta, type ChangeSetSummary,
} from './change.types';
import { toNumber } from '../db/values';
import { ImportInProgressError, StagedImportLostError, refuseWhileStaged, settleStagedImports } from './staging';

export const CHANGE_BATCH_SIZE = 10_000;

/** What a change set's body sees: its number, its instant, and whether any entity was ever retired. */
export interface ChangeSetContext {
  seq: number;
  atMs: number;
  /** Retirements before this change set (ids added again then continue their version numbers from the log). */
  retiredBefore: number;
}

/** A staged import whose change set this is (README, "Staged import"): its changes already recorded, its marker. */
export interface Publication {
  importId: string;
  /** The graph version its checks were made against: its change set must be the next one. */
  version: number;
  /** How many changes the staging batches recorded (numbered 0 … n-1 in this change set). */
  stagedChanges: number;
}

/**
 * Runs `body` as one change set (CHANGES.md) in ONE write transaction: first the graph lock (which numbers the set,
 * dates it strictly after the previous one and serializes all writers), then the body's writes, then the log: its
 * changes and the :ChangeSet. Whatever throws rolls everything back, so nothing is ever half applied.
 *
 * While an import is staged the change set is refused (ImportInProgressError): the import was checked against the
 * graph as it was. A stale one (its process gone) is abandoned here and the change set tried once more.
 */
export async function runChangeSet<T>(
  client: Neo4jClient,
  meta: ChangeSetMeta,
  body: (tx: Tx, ctx: ChangeSetContext) => Promise<{ changes: ChangeRow[]; result: T }>,
  publication?: Publication,
): Promise<{ changeSet: ChangeSetSummary; result: T }> {
  const attempt = () => client.writeTx(async (tx) => {
    const ctx = await beginChangeSet(tx, publication);
    const { changes, result } = await body(tx, ctx);
    const changeSet = await endChangeSet(tx, ctx, meta, changes, publication);
    return { changeSet, result };
  });
  try {
    return await attempt();
  } catch (e) {
    if (!(e instanceof ImportInProgressError) || !e.stale || publication) throw e;
    await settleStagedImports(client);
    return attempt();
  }
}

async function beginChangeSet(tx: Tx, publication: Publication | undefined): Promise<ChangeSetContext> {
  const lock = (await tx.run('import/lock-graph')).records[0];
  refuseWhileStaged(lock.get('staged') as Record<string, unknown>[], publication?.importId);
  const seq = toNumber(lock.get('version'));
  if (publication) {
    // its marker still live (not abandoned by someone who found it stale), and nothing written since its checks
    if ((await tx.run('staging/heartbeat', { id: publication.importId })).records.length === 0) throw new StagedImportLostError(publication.importId);
    if (seq !== publication.version + 1) throw new Error(`staged import ${publication.importId} was checked at graph version ${publication.version}, but the graph is at ${seq - 1}`);
  }
  const atMs = toNumber((await tx.run('import/change-set-instant')).records[0].get('atMs'));
  return { seq, atMs, retiredBefore: toNumber(lock.get('retired')) };
}

async function endChangeSet(
  tx: Tx, ctx: ChangeSetContext, meta: ChangeSetMeta, changes: ChangeRow[], publication: Publication | undefined,
): Promise<ChangeSetSummary> {
  const first = publication?.stagedChanges ?? 0;
  await recordChanges(tx, ctx.seq, changes, first, null);
  const retired = changes.filter((c) => c.op === 'RETIRE').length;
  if (retired > 0) await tx.run('changes/count-retired', { count: retired });
  const id = changeSetId(ctx.seq);
  const changeCount = first + changes.length;
  await tx.run('changes/create-change-set', {
    seq: ctx.seq, id, atMs: ctx.atMs, actor: meta.actor, reason: meta.reason, source: meta.source, changeCount,
  });
  // the staged rows become visible in this commit
  if (publication) await tx.run('staging/delete-marker', { id: publication.importId });
  return { id, seq: ctx.seq, atMs: ctx.atMs, changeCount };
}

/** Records changes numbered from `firstIdx`; `staged`: the staged import writing them ahead of its change set. */
export async function recordChanges(tx: Tx, seq: number, changes: readonly ChangeRow[], firstIdx: number, staged: string | null): Promise<void> {
  for (let i = 0; i < changes.length; i += CHANGE_BATCH_SIZE) {
    const rows = changes.slice(i, i + CHANGE_BATCH_SIZE).map((c, j) => ({
      idx: firstIdx + i + j, entityId: c.entityId, kind: c.kind, op: c.op, after: stateText(c.after), version: c.version,
    }));
    await tx.run('changes/create-changes', { seq, rows, staged });
  }
}

/** The last version the log gave each id (for ids added again after being retired); absent ids never existed. */
export async function lastVersions(tx: Tx, ids: string[]): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (let i = 0; i < ids.length; i += CHANGE_BATCH_SIZE) {
    const result = await tx.run('changes/last-versions', { ids: ids.slice(i, i + CHANGE_BATCH_SIZE) });
    for (const r of result.records) out.set(r.get('id'), toNumber(r.get('version')));
  }
  return out;
}
