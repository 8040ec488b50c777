import { withoutDeadline, type Neo4jClient } from '../db/neo4j-client';
import { toNumber } from '../db/values';
import type { ChangeKind, ChangeOp, ChangeSource } from './change.types';
import { RecordedGraph, acceptedRebuttals, type LogEntry } from './recorded-graph';
import { TaintGraph, type TaintRow } from '../trace/engine/taint-graph';
import type { RelType } from '../model/graph-model';
import { plainProps } from '../entity/entity.types';

export interface ChangeSetRecord {
  id: string;
  seq: number;
  atMs: number;
  actor: string;
  reason: string;
  source: ChangeSource;
  changeCount: number;
}

export interface ChangeRecord {
  idx: number;
  op: ChangeOp;
  entityId: string;
  kind: ChangeKind;
  before: string | null;
  after: string | null;
  version: number;
}

function changeSet(raw: Record<string, unknown>): ChangeSetRecord {
  return {
    id: raw.id as string, seq: toNumber(raw.seq), atMs: toNumber(raw.atMs), actor: raw.actor as string,
    reason: raw.reason as string, source: raw.source as ChangeSource, changeCount: toNumber(raw.changeCount),
  };
}

/** How many recorded graphs (knownAt) stay in memory, least recently used first out. */
const MAX_RECORDED_GRAPHS = 4;

/**
 * Reads the change log (README, "Changes and history"): change sets, their changes with the state before and after,
 * entity histories, and the graph as recorded at a knowledge time. Recorded graphs are rebuilt by replaying the log
 * up to the change set in force at `knownAt`, and cached by that change set's number (the log never changes below
 * it, so a cached one is never stale).
 */
export class HistoryService {
  private readonly recorded = new Map<string, Promise<RecordedGraph>>();

  constructor(private readonly client: Neo4jClient) {}

  /** The last committed change set at or before an instant (0: before anything was recorded). */
  async seqAt(atMs: number): Promise<number> {
    const [{ seq }] = await this.client.read<{ seq: number }>('changes/seq-at', { atMs });
    return toNumber(seq);
  }

  /**
   * The change set in force at an instant, for good: the same answer whenever it is asked again. A change set
   * committed after the instant's last one proves that any change set still being written comes later still
   * (instants increase with the lock order). Otherwise the instant is at or after the last committed change set,
   * and a change set may be in flight with an earlier instant: wait for it (changes/await-writers), then read
   * again. An instant in the future is answered as the graph now, and can change once that time has come.
   */
  async settledSeqAt(atMs: number): Promise<{ seq: number; latest: { version: number; epoch: string | null } }> {
    const [seq, latest] = await Promise.all([this.seqAt(atMs), this.latest()]);
    if (seq < latest.version) return { seq, latest };
    await this.client.writeTx((tx) => tx.run('changes/await-writers'));
    const [seq2, latest2] = await Promise.all([this.seqAt(atMs), this.latest()]);
    return { seq: seq2, latest: latest2 };
  }

  async latestSeq(): Promise<number> {
    return (await this.latest()).version;
  }

  /** The current graph version and the store's epoch. */
  async latest(): Promise<{ version: number; epoch: string | null }> {
    const [{ version, epoch }] = await this.client.read<{ version: number; epoch: string | null }>('admin/graph-version');
    return { version: toNumber(version), epoch };
  }

  async changeSets(entityId: string | null, sinceMs: number | null, first: number, beforeSeq: number | null): Promise<{ sets: ChangeSetRecord[]; hasNextPage: boolean; totalCount: number }> {
    return this.client.readTx(async (tx) => {
      const rows = (await tx.run('changes/change-sets', { entityId, sinceMs, beforeSeq, limit: first + 1 })).records;
      const total = toNumber((await tx.run('changes/count-change-sets', { entityId, sinceMs })).records[0].get('total'));
      return { sets: rows.slice(0, first).map((r) => changeSet(r.get('set'))), hasNextPage: rows.length > first, totalCount: total };
    });
  }

  async changeSetsBySeq(seqs: readonly number[]): Promise<Map<number, ChangeSetRecord>> {
    const rows = await this.client.read<{ set: Record<string, unknown> }>('changes/change-sets-by-seq', { seqs });
    return new Map(rows.map((r) => {
      const s = changeSet(r.set);
      return [s.seq, s];
    }));
  }

  async changesOf(seq: number, entityId: string | null, offset: number, limit: number): Promise<ChangeRecord[]> {
    const rows = await this.client.read<Record<string, unknown>>('changes/changes-of-set', { seq, entityId, offset, limit });
    return rows.map((r) => ({
      idx: toNumber(r.idx), op: r.op as ChangeOp, entityId: r.entityId as string, kind: r.kind as ChangeKind,
      before: (r.before as string | null) ?? null, after: (r.after as string | null) ?? null, version: toNumber(r.version),
    }));
  }

  /** The change sets that changed each entity, oldest first. */
  async histories(ids: readonly string[]): Promise<Map<string, ChangeSetRecord[]>> {
    const rows = await this.client.read<{ id: string; set: Record<string, unknown> }>('changes/entity-history', { ids });
    const out = new Map<string, ChangeSetRecord[]>(ids.map((id) => [id, []]));
    for (const r of rows) out.get(r.id)!.push(changeSet(r.set));
    return out;
  }

  /**
   * The graph as recorded up to change set `seq` of the store with `epoch` (read when not given): cached by both, so
   * that a wiped store, whose change sets are numbered from 1 again, never gets another store's graph.
   */
  async recordedGraph(seq: number, epoch?: string | null): Promise<RecordedGraph> {
    const key = `${epoch === undefined ? (await this.latest()).epoch : epoch}:${seq}`;
    let found = this.recorded.get(key);
    if (found) {
      this.recorded.delete(key);
    } else {
      // shared by every request that waits for it, so it runs without the deadline of the one that started it
      found = withoutDeadline(() => this.replay(seq));
      found.catch(() => this.recorded.delete(key));
      if (this.recorded.size >= MAX_RECORDED_GRAPHS) this.recorded.delete(this.recorded.keys().next().value!);
    }
    this.recorded.set(key, found);
    return found;
  }

  private async replay(seq: number): Promise<RecordedGraph> {
    const graph = new RecordedGraph(seq);
    await this.client.readTx(async (tx) => {
      for await (const e of tx.stream<LogEntry>('changes/log-until', { seq })) graph.apply(e);
    });
    return graph;
  }

  /** Current relationships by id as tracing sees them (with their accepted rebuttals), in the order asked. */
  async relationshipRows(ids: readonly string[]): Promise<TaintRow[]> {
    const g = new TaintGraph();
    await this.client.readTx(async (tx) => {
      for (const r of (await tx.run('changes/relationship-states', { ids })).records) {
        const p = plainProps(r.get('props'));
        const extras = Object.entries(p).filter(([k]) => k.startsWith('x_')).map(([k, v]) => [k, String(v)]);
        g.addRow({
          id: p.id as string, key: p.key as string, type: r.get('type') as RelType, source: r.get('source'), target: r.get('target'),
          from: (p.from as string | undefined) ?? null, to: (p.to as string | undefined) ?? null, evidence: (p.evidence as string[] | undefined) ?? [],
          placement: (p.placement as string | undefined) ?? null, extras: extras.length > 0 ? Object.fromEntries(extras) : null,
        });
      }
      for (const [relId, list] of await acceptedRebuttals(tx, [...ids])) g.setRebuttals(relId, list);
    });
    const byId = new Map(g.rows().map((r) => [r.id, r]));
    return ids.flatMap((id) => byId.get(id) ?? []);
  }

  /** The changes after `fromSeq` up to `toSeq` in log order (a cached graph catching up), or null when more than `max`. */
  async logBetween(fromSeq: number, toSeq: number, max: number): Promise<(LogEntry & { seq: number })[] | null> {
    return this.client.readTx(async (tx) => {
      const count = toNumber((await tx.run('changes/count-log-between', { fromSeq, toSeq })).records[0].get('changes'));
      if (count > max) return null;
      const out: (LogEntry & { seq: number })[] = [];
      for await (const e of tx.stream<LogEntry & { seq: number }>('changes/log-between', { fromSeq, toSeq })) out.push({ ...e, seq: toNumber(e.seq) });
      return out;
    });
  }
}
