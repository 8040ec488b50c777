import { intSetting } from '../config';
import type { Neo4jClient, Tx } from '../db/neo4j-client';
import { REL_TYPES, type RelType } from '../model/graph-model';
import { toNumber } from '../db/values';

/**
 * Staged imports (README, "Staged import"): an import written in many transactions stays invisible until one
 * small change set publishes it. Its rows carry `_staged = <import id>` and every reader hides a row whose mark
 * names a marker (:StagedImport) that still exists; publication deletes the marker in the change set's commit.
 * This module keeps the markers' life cycle apart from the import itself, because every writer consults it: a
 * change set is refused while an import is staged (its checks were made against the graph the import saw), and a
 * marker whose import stopped sending heartbeats is abandoned: its rows deleted, then the marker.
 */

export const STAGING_BATCH_SIZE = 10_000;
/** Staging and clearing transactions run side by side: Neo4j then uses more than one core (bench/README.md). */
export const STAGING_CONCURRENCY = 3;

/** Runs `work` on every item, at most `n` at a time; the first failure is thrown once the running ones settle. */
export async function inParallel<T>(items: readonly T[], n: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  let failure: { error: unknown } | null = null;
  const worker = async () => {
    while (failure === null && next < items.length) {
      const item = items[next++];
      try {
        await work(item);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(n, items.length) }, worker));
  if (failure !== null) throw (failure as { error: unknown }).error;
}

/** How long a staged import may go without a heartbeat (one per batch) before others may abandon it. */
export function stagedLeaseMs(env: NodeJS.ProcessEnv = process.env): number {
  return intSetting(env, 'LABORTRACE_STAGED_LEASE_MS', 300_000, 0, Number.MAX_SAFE_INTEGER);
}

export interface StagedImportInfo {
  id: string;
  /** The graph version it was checked against (its change set will be the next). */
  version: number;
  startedAtMs: number;
  heartbeatMs: number;
  actor: string | null;
  abandoned: boolean;
  /** The database's clock when this was read (heartbeats are written by that clock, not the reader's). */
  seenAtMs: number;
}

export function stagedImportInfo(r: Record<string, unknown>): StagedImportInfo {
  return {
    id: String(r.id), version: toNumber(r.version), startedAtMs: toNumber(r.startedAtMs), heartbeatMs: toNumber(r.heartbeatMs),
    actor: (r.actor as string | null) ?? null, abandoned: r.abandoned !== null && r.abandoned !== undefined,
    seenAtMs: toNumber(r.seenAtMs),
  };
}

/** Stale: abandoned, or silent for longer than the lease (its process died, or lost the database). */
export function isStale(s: StagedImportInfo, leaseMs: number = stagedLeaseMs()): boolean {
  return s.abandoned || s.seenAtMs - s.heartbeatMs > leaseMs;
}

/** A change set was refused: a staged import is being written (or waits to be cleaned up, when stale). */
export class ImportInProgressError extends Error {
  constructor(readonly staged: StagedImportInfo, readonly stale: boolean) {
    super(stale
      ? `a staged import (${staged.id}, started ${iso(staged.startedAtMs)}${staged.actor ? ` by ${staged.actor}` : ''}) stopped at ${iso(staged.heartbeatMs)} and is being removed; try again`
      : `an import (${staged.id}, started ${iso(staged.startedAtMs)}${staged.actor ? ` by ${staged.actor}` : ''}) is being staged; `
        + 'change sets wait until it is published. Try again later');
  }
}

const iso = (ms: number) => new Date(ms).toISOString();

/** The import stopped being allowed to write: its marker was abandoned (by someone who found it stale) or deleted. */
export class StagedImportLostError extends Error {
  constructor(readonly id: string) {
    super(`staged import ${id} was abandoned (no heartbeat within LABORTRACE_STAGED_LEASE_MS?); nothing of it is visible`);
  }
}

/** The rows of one batch of a staged import: what deleting them (abandoned) or clearing their marks (published) names. */
export interface MarkedRows {
  nodes: string[];
  relationships: { id: string; source: string; target: string }[];
  /** the entity ids of its changes */
  changes: string[];
}

/** Deletes (abandoned) or clears the marks of (published) one batch's rows, relationships first, changes last. */
async function settleRows(tx: Tx, id: string, mode: 'delete' | 'clear', rows: MarkedRows): Promise<void> {
  await tx.run(`staging/${mode}-relationships`, { id, rows: rows.relationships });
  await tx.run(`staging/${mode}-nodes`, { id, ids: rows.nodes });
  await tx.run(`staging/${mode}-changes`, { id, ids: rows.changes });
}

interface StagedChange { entityId: string; kind: string; after: string | null }

const REL_KINDS: ReadonlySet<string> = new Set<RelType>(REL_TYPES);

/** A batch of staged changes as the rows they name (a relationship's ends from the state its change recorded). */
function markedRowsOf(batch: StagedChange[]): MarkedRows {
  return {
    nodes: batch.filter((c) => !REL_KINDS.has(c.kind)).map((c) => c.entityId),
    relationships: batch.filter((c) => REL_KINDS.has(c.kind) && c.after !== null).map((c) => {
      const state = JSON.parse(c.after!) as { source: string; target: string };
      return { id: c.entityId, source: state.source, target: state.target };
    }),
    changes: [...new Set(batch.map((c) => c.entityId))],
  };
}

/**
 * Walks a staged import's changes batch by batch, each batch in its own transaction, deleting (abandoned) or
 * clearing (published) what they name and then the changes' marks, so an interruption leaves a consistent rest
 * that the next settle finishes. Returns how many changes it walked.
 */
async function sweep(client: Neo4jClient, id: string, mode: 'delete' | 'clear'): Promise<number> {
  let total = 0;
  for (;;) {
    const n = await client.writeTx(async (tx) => {
      const batch = (await tx.run('staging/staged-changes', { id, limit: STAGING_BATCH_SIZE })).records
        .map((r) => r.toObject() as unknown as StagedChange);
      if (batch.length > 0) await settleRows(tx, id, mode, markedRowsOf(batch));
      return batch.length;
    });
    if (n === 0) return total;
    total += n;
  }
}

/**
 * Abandons a staged import: no batch of it writes after this, its rows are deleted batch by batch, then its marker.
 * Safe to repeat and to run from several processes at once.
 */
export async function abandonStagedImport(client: Neo4jClient, id: string): Promise<number> {
  await client.writeTx((tx) => tx.run('staging/mark-abandoned', { id }));
  const deleted = await sweep(client, id, 'delete');
  await client.writeTx((tx) => tx.run('staging/delete-marker', { id }));
  return deleted;
}

/**
 * The importer's own clearing after publication: it knows its batches, so they are cleared side by side without
 * searching for marks (what an interrupted clearing leaves, the next settle's sweep finds).
 */
export async function clearMarks(client: Neo4jClient, id: string, batches: readonly MarkedRows[]): Promise<void> {
  await inParallel(batches, STAGING_CONCURRENCY, (b) => client.writeTx((tx) => settleRows(tx, id, 'clear', b)));
}

/**
 * Refuses a writer while a staged import other than `except` (the one it publishes) holds a marker: `staged` is
 * the markers as import/lock-graph and staging/open list them.
 */
export function refuseWhileStaged(staged: readonly Record<string, unknown>[], except?: string): void {
  const other = staged.map(stagedImportInfo).find((s) => s.id !== except);
  if (other) throw new ImportInProgressError(other, isStale(other));
}

export interface SettleReport { abandoned: string[]; cleared: string[]; alive: StagedImportInfo[] }

/**
 * Settles what staged imports left: abandons those that are stale (deleting their rows), finishes clearing the
 * marks of published ones, and reports those still alive. Run at `serve` and `import` start, and by a change set
 * refused by a stale import.
 */
export async function settleStagedImports(
  client: Neo4jClient, options: { leaseMs?: number; log?: (message: string) => void } = {},
): Promise<SettleReport> {
  const leaseMs = options.leaseMs ?? stagedLeaseMs();
  const found = await client.read<Record<string, unknown>>('staging/leftovers');
  const report: SettleReport = { abandoned: [], cleared: [], alive: [] };
  for (const r of found) {
    if (!r.marked) {
      const n = await sweep(client, String(r.id), 'clear');
      options.log?.(`cleared the marks of published import ${r.id} (${n} change(s))`);
      report.cleared.push(String(r.id));
      continue;
    }
    const s = stagedImportInfo(r);
    if (!isStale(s, leaseMs)) {
      report.alive.push(s);
      continue;
    }
    const n = await abandonStagedImport(client, s.id);
    options.log?.(`removed staged import ${s.id} (started ${iso(s.startedAtMs)}, last heartbeat ${iso(s.heartbeatMs)}): ${n} row(s) deleted`);
    report.abandoned.push(s.id);
  }
  return report;
}
