import type { Neo4jClient, Tx } from '../db/neo4j-client';
import {
  changeSetId, stateText, type ChangeRow, type ChangeSetMeta, type ChangeSetSummary,
} from './change.types';

export const CHANGE_BATCH_SIZE = 10_000;

/** What a change set's body sees: its number, its instant, and whether any entity was ever retired. */
export interface ChangeSetContext {
  seq: number;
  atMs: number;
  /** Retirements before this change set (ids added again then continue their version numbers from the log). */
  retiredBefore: number;
}

/**
 * Runs `body` as one change set (CHANGES.md) in ONE write transaction: first the graph lock (which numbers the set,
 * dates it strictly after the previous one and serializes all writers), then the body's writes, then the log: its
 * changes and the :ChangeSet. Whatever throws rolls everything back, so nothing is ever half applied.
 */
export async function runChangeSet<T>(
  client: Neo4jClient,
  meta: ChangeSetMeta,
  body: (tx: Tx, ctx: ChangeSetContext) => Promise<{ changes: ChangeRow[]; result: T }>,
): Promise<{ changeSet: ChangeSetSummary; result: T }> {
  return client.writeTx(async (tx) => {
    const lock = (await tx.run('import/lock-graph')).records[0];
    const atMs = toNumber((await tx.run('import/change-set-instant')).records[0].get('atMs'));
    const ctx: ChangeSetContext = { seq: toNumber(lock.get('version')), atMs, retiredBefore: toNumber(lock.get('retired')) };
    const { changes, result } = await body(tx, ctx);
    await recordChanges(tx, ctx.seq, changes);
    const retired = changes.filter((c) => c.op === 'RETIRE').length;
    if (retired > 0) await tx.run('changes/count-retired', { count: retired });
    const id = changeSetId(ctx.seq);
    await tx.run('changes/create-change-set', {
      seq: ctx.seq, id, atMs: ctx.atMs, actor: meta.actor, reason: meta.reason, source: meta.source, changeCount: changes.length,
    });
    return { changeSet: { id, seq: ctx.seq, atMs: ctx.atMs, changeCount: changes.length }, result };
  });
}

async function recordChanges(tx: Tx, seq: number, changes: ChangeRow[]): Promise<void> {
  for (let i = 0; i < changes.length; i += CHANGE_BATCH_SIZE) {
    const rows = changes.slice(i, i + CHANGE_BATCH_SIZE).map((c, j) => ({
      idx: i + j, entityId: c.entityId, kind: c.kind, op: c.op, after: stateText(c.after), version: c.version,
    }));
    await tx.run('changes/create-changes', { seq, rows });
  }
}

export function toNumber(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (v && typeof (v as { toNumber?: unknown }).toNumber === 'function') return (v as { toNumber(): number }).toNumber();
  return Number(v ?? 0);
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
