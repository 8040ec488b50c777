import { createHash } from 'node:crypto';
import neo4j from 'neo4j-driver';
import type { Neo4jClient } from '../db/neo4j-client';
import { runChangeSet } from '../changes/change-set';
import { canonicalState, VERSION_PROPERTY, type ChangeSetMeta, type ChangeSetSummary, type EntityState } from '../changes/change.types';
import { toNumber } from '../db/values';
import type { ListAlias, ListEntry } from './list-entry';
import { ListMatcher, type MatchSubject } from './name-matcher';

/**
 * Lists in the store (LISTS.md): each imported version (:ListVersion) with its entries (:ListEntry), and the match
 * candidates (:ListMatch) between the latest version of each list and the graph's companies, agencies and
 * factories. None of them is an :Entity, so exports and traces never read them as graph data; a confirmed DPRK
 * match makes an agency a source through the trace loaders (README, "Watch lists").
 *
 * Proposals are not change sets: they change no answer. A decision is one (CHANGES.md), recording the match's state
 * as a change of kind ListMatch, so that `knownAt` replays it and `exposureChanges` names it as a cause.
 */

export type MatchStatusValue = 'PENDING' | 'CONFIRMED' | 'REJECTED';

export interface ListMatchRecord {
  /** lm-<digest of list, entry and entity>: one candidate per pair, across versions. */
  id: string;
  list: string;
  listVersion: string;
  entryId: string;
  entryName: string;
  /** The entry's name or alias that matched. */
  matchedName: string;
  programs: string[];
  /** The entry is under a DPRK program: confirmed for an agency, the agency is a source. */
  dprk: boolean;
  entityId: string;
  entityKind: string;
  entityName: string;
  score: number;
  explanation: string;
  status: MatchStatusValue;
  /** A digest of the entry's names: a rejected candidate comes back only when they change. */
  namesKey: string;
  proposedAt: string;
  decidedBy: string | null;
  decidedAt: string | null;
  decisionNote: string | null;
  version: number;
}

export function matchFromProps(p: Record<string, unknown>): ListMatchRecord {
  const list = (v: unknown) => (Array.isArray(v) ? v.map(String) : []);
  const text = (v: unknown) => (v === undefined || v === null ? null : String(v));
  return {
    id: String(p.id), list: String(p.list), listVersion: String(p.listVersion), entryId: String(p.entryId), entryName: String(p.entryName),
    matchedName: String(p.matchedName ?? p.entryName), programs: list(p.programs), dprk: p.dprk === true, entityId: String(p.entityId),
    entityKind: String(p.entityKind), entityName: String(p.entityName ?? ''), score: Number(p.score), explanation: String(p.explanation),
    status: String(p.status) as MatchStatusValue, namesKey: String(p.namesKey), proposedAt: String(p.proposedAt),
    decidedBy: text(p.decidedBy), decidedAt: text(p.decidedAt), decisionNote: text(p.decisionNote),
    version: toNumber(p[VERSION_PROPERTY] ?? 1),
  };
}

function matchProps(m: ListMatchRecord): Record<string, unknown> {
  const { version, ...rest } = m;
  return { ...canonicalState(rest), [VERSION_PROPERTY]: version };
}

/** The state a decision records in the log. */
export const matchState = (m: ListMatchRecord): EntityState => canonicalState({ ...m, version: undefined });

export const matchId = (list: string, entryId: string, entityId: string): string =>
  `lm-${createHash('sha256').update(`${list}\u0000${entryId}\u0000${entityId}`).digest('hex').slice(0, 16)}`;

export const namesKeyOf = (e: Pick<ListEntry, 'name' | 'aliases'>): string =>
  createHash('sha256').update([e.name, ...e.aliases.map((a) => a.name).sort()].join('\n')).digest('hex').slice(0, 16);

/** The same label imported again with other content: a version label names one content. */
export class ListVersionConflictError extends Error {}

export interface ListImportResult {
  list: string;
  label: string;
  entryCount: number;
  /** false: this version was imported before with the same content, and nothing changed. */
  imported: boolean;
}

const BATCH = 5_000;

/** Imports one list version whole (one transaction), or finds it already there; the content digest tells. */
export async function importListVersion(
  client: Neo4jClient, list: string, label: string, entries: readonly ListEntry[], actor: string, atIso: string,
): Promise<ListImportResult> {
  const sha256 = createHash('sha256').update(JSON.stringify(entries.map(({ file: _f, line: _l, ...e }) => e))).digest('hex');
  return client.writeTx(async (tx) => {
    const found = (await tx.run('lists/version', { list, label })).records[0];
    if (found) {
      if (found.get('sha256') !== sha256) {
        throw new ListVersionConflictError(`${list} version '${label}' was imported on ${found.get('importedAt')} with other content; give this one another --version`);
      }
      return { list, label, entryCount: toNumber(found.get('entryCount')), imported: false };
    }
    await tx.run('lists/create-version', { list, label, sha256, entryCount: neo4j.int(entries.length), importedAt: atIso, actor });
    for (let i = 0; i < entries.length; i += BATCH) {
      const rows = entries.slice(i, i + BATCH).map((e) => ({
        entryId: e.entryId, name: e.name, aliases: e.aliases.map((a) => a.name), aliasKinds: e.aliases.map(aliasKind),
        programs: e.programs, countries: e.countries, dprk: e.dprk, type: e.type, linkedTo: e.linkedTo, remarks: e.remarks,
        namesKey: namesKeyOf(e),
      }));
      await tx.run('lists/create-entries', { list, label, rows });
    }
    return { list, label, entryCount: entries.length, imported: true };
  });
}

const aliasKind = (a: ListAlias): string => (a.weak ? `${a.kind}:weak` : a.kind);

function entryFromProps(p: Record<string, unknown>): ListEntry & { namesKey: string } {
  const strings = (v: unknown) => (Array.isArray(v) ? v.map(String) : []);
  const kinds = strings(p.aliasKinds);
  return {
    entryId: String(p.entryId), name: String(p.name),
    aliases: strings(p.aliases).map((name, i) => {
      const [kind, weak] = (kinds[i] ?? 'aka').split(':');
      return { name, kind: kind as ListAlias['kind'], ...(weak ? { weak: true } : {}) };
    }),
    type: String(p.type) as ListEntry['type'], programs: strings(p.programs), countries: strings(p.countries), dprk: p.dprk === true,
    linkedTo: strings(p.linkedTo), remarks: p.remarks === undefined || p.remarks === null ? null : String(p.remarks),
    file: '', line: 0, namesKey: String(p.namesKey),
  };
}

export interface ListVersionInfo {
  list: string;
  label: string;
  entryCount: number;
  importedAt: string;
  importedBy: string;
}

export async function listVersions(client: Neo4jClient): Promise<ListVersionInfo[]> {
  const rows = await client.read<{ list: string; label: string; entryCount: unknown; importedAt: string; importedBy: string }>('lists/versions');
  return rows.map((r) => ({ ...r, entryCount: toNumber(r.entryCount) }));
}

/** The latest imported version of each list (the one matching uses). */
export async function latestVersions(client: Neo4jClient): Promise<ListVersionInfo[]> {
  const seen = new Set<string>();
  return (await listVersions(client)).filter((v) => !seen.has(v.list) && seen.add(v.list));
}

export interface MatchRun {
  list: string;
  label: string;
  subjects: number;
  /** Candidates new to the queue (or back in it: rejected before, but the entry's names changed). */
  proposed: number;
  /** Pending candidates brought to this version (their score and explanation read again). */
  refreshed: number;
  /** Pending candidates of an earlier version that this one no longer supports: dropped (never decided). */
  dropped: number;
  /** Rejected candidates not proposed again (same entry, same names). */
  keptRejected: number;
  pending: number;
  seconds: number;
}

/**
 * Matches every company, agency and factory against the latest version of `list` and brings the review queue up
 * to date, in one write transaction. Decided candidates stay as decided; a rejected one comes back only when the
 * entry's names changed.
 */
export async function matchList(client: Neo4jClient, list: string, threshold: number, atIso: string): Promise<MatchRun | null> {
  const started = performance.now();
  const version = (await latestVersions(client)).find((v) => v.list === list);
  if (!version) return null;
  return client.writeTx(async (tx) => {
    const entries = (await tx.run('lists/entries', { list, label: version.label })).records.map((r) => entryFromProps(r.get('entry')));
    const byId = new Map(entries.map((e) => [e.entryId, e]));
    const subjects = (await tx.run('lists/subjects')).records.map((r) => ({
      id: r.get('id') as string, name: (r.get('name') as string | null) ?? '', country: (r.get('country') as string | null) ?? null, kind: r.get('kind') as string,
    }));
    const existing = new Map<string, ListMatchRecord>();
    for (const r of (await tx.run('lists/matches-of-list', { list })).records) {
      const m = matchFromProps(r.get('match'));
      existing.set(m.id, m);
    }
    const matcher = new ListMatcher(entries);
    const found = new Map<string, ListMatchRecord>();
    for (const s of subjects) {
      if (s.name === '') continue;
      for (const c of matcher.match(s as MatchSubject, threshold)) {
        const entry = byId.get(c.entryId)!;
        const id = matchId(list, c.entryId, s.id);
        found.set(id, {
          id, list, listVersion: version.label, entryId: c.entryId, entryName: entry.name, matchedName: c.matchedName, programs: entry.programs,
          dprk: entry.dprk, entityId: s.id, entityKind: s.kind, entityName: s.name, score: c.score, explanation: c.explanation,
          status: 'PENDING', namesKey: entry.namesKey, proposedAt: atIso, decidedBy: null, decidedAt: null, decisionNote: null, version: 1,
        });
      }
    }
    const writes: ListMatchRecord[] = [];
    let proposed = 0;
    let refreshed = 0;
    let keptRejected = 0;
    for (const [id, m] of found) {
      const prior = existing.get(id);
      if (!prior) {
        writes.push(m);
        proposed++;
      } else if (prior.status === 'PENDING') {
        writes.push({ ...m, proposedAt: prior.proposedAt, version: prior.version });
        refreshed++;
      } else if (prior.status === 'REJECTED' && prior.namesKey !== m.namesKey) {
        writes.push({ ...m, version: prior.version });
        proposed++;
      } else if (prior.status === 'REJECTED') {
        keptRejected++;
      }
    }
    const stale = [...existing.values()].filter((m) => m.status === 'PENDING' && !found.has(m.id)).map((m) => m.id);
    for (let i = 0; i < writes.length; i += BATCH) {
      await tx.run('lists/upsert-matches', { rows: writes.slice(i, i + BATCH).map((m) => ({ id: m.id, props: matchProps(m) })) });
    }
    if (stale.length > 0) await tx.run('lists/delete-matches', { ids: stale });
    return {
      list, label: version.label, subjects: subjects.length, proposed, refreshed, dropped: stale.length, keptRejected,
      pending: refreshed + proposed, seconds: Math.round((performance.now() - started) / 10) / 100,
    };
  });
}

export interface MatchPage {
  total: number;
  matches: ListMatchRecord[];
  hasNextPage: boolean;
}

export async function listMatchesPage(client: Neo4jClient, status: MatchStatusValue | null, first: number, after: string | null): Promise<MatchPage> {
  const [row] = await client.read<{ total: unknown; page: Record<string, unknown>[] }>('lists/matches-page', {
    status, after, limit: neo4j.int(first + 1),
  });
  const page = (row?.page ?? []).map(matchFromProps);
  return { total: toNumber(row?.total ?? 0), matches: page.slice(0, first), hasNextPage: page.length > first };
}

/** Confirmed matches by entity (listings; DPRK-linked agencies). */
export async function confirmedMatches(client: Neo4jClient, entityIds: readonly string[] | null): Promise<Map<string, ListMatchRecord[]>> {
  const rows = await client.read<{ match: Record<string, unknown> }>('lists/confirmed-matches', { ids: entityIds });
  const out = new Map<string, ListMatchRecord[]>();
  for (const r of rows) {
    const m = matchFromProps(r.match);
    const list = out.get(m.entityId) ?? [];
    list.push(m);
    out.set(m.entityId, list);
  }
  return out;
}

/** A decision that cannot be recorded; `code` is the GraphQL error code. */
export class MatchDecisionError extends Error {
  constructor(message: string, readonly code: 'NOT_FOUND' | 'CONFLICT', readonly field = 'id') {
    super(message);
  }
}

/**
 * decideMatch: a pending candidate confirmed or rejected, as a change set of its own (CHANGES.md), recording the
 * candidate's state after the decision.
 */
export async function decideMatch(
  client: Neo4jClient, meta: ChangeSetMeta, id: string, decision: 'CONFIRMED' | 'REJECTED', note: string | null,
): Promise<{ match: ListMatchRecord; changeSet: ChangeSetSummary }> {
  const { changeSet, result } = await runChangeSet(client, meta, async (tx, ctx) => {
    const found = (await tx.run('lists/match-by-id', { id })).records[0];
    if (!found) throw new MatchDecisionError(`no list match '${id}'`, 'NOT_FOUND');
    const current = matchFromProps(found.get('match'));
    if (current.status !== 'PENDING') {
      throw new MatchDecisionError(`list match '${id}' was already ${current.status.toLowerCase()} by ${current.decidedBy}`, 'CONFLICT');
    }
    const record: ListMatchRecord = {
      ...current, status: decision, decidedBy: meta.actor, decidedAt: new Date(ctx.atMs).toISOString(), decisionNote: note, version: current.version + 1,
    };
    await tx.run('lists/upsert-matches', { rows: [{ id, props: matchProps(record) }] });
    return { changes: [{ entityId: id, kind: 'ListMatch', op: 'UPDATE', after: matchState(record), version: record.version }], result: record };
  });
  return { match: result, changeSet };
}

export interface ListStatus {
  versions: ListVersionInfo[];
  counts: { list: string; status: MatchStatusValue; count: number }[];
}

export async function listStatus(client: Neo4jClient): Promise<ListStatus> {
  const counts = await client.read<{ list: string; status: MatchStatusValue; count: unknown }>('lists/count-by-status');
  return { versions: await listVersions(client), counts: counts.map((c) => ({ ...c, count: toNumber(c.count) })) };
}
