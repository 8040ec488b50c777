import { createHash } from 'node:crypto';
import type { Neo4jClient, Tx } from '../db/neo4j-client';
import { LABOR_REL_TYPES, kindOfLabels, type NodeKind, type RelType } from '../model/graph-model';
import type { RelRecord } from '../dataset/dataset.types';
import { CHANGE_BATCH_SIZE, runChangeSet, type ChangeSetContext } from './change-set';
import { toNumber } from '../db/values';
import {
  VERSION_PROPERTY, canonicalState, type ChangeRow, type ChangeSetMeta, type ChangeSetSummary, type EntityState,
} from './change.types';

/** CAATSA's two prongs (CHANGES.md): the DPRK nationals were not there, or they were not forced. */
export const REBUTTAL_PRONGS = ['NOT_PRESENT', 'NOT_FORCED'] as const;
export type RebuttalProngValue = (typeof REBUTTAL_PRONGS)[number];
export type RebuttalStatusValue = 'PROPOSED' | 'ACCEPTED' | 'REJECTED';

/** A reviewed rebuttal as stored on its :Rebuttal node and recorded in the log. */
export interface RebuttalRecord {
  id: string;
  relationshipId: string;
  prong: RebuttalProngValue;
  status: RebuttalStatusValue;
  evidence: string[];
  note: string | null;
  /** Scope: paths ending at these items only; null: every path. */
  itemIds: string[] | null;
  proposedBy: string;
  proposedAt: string;
  decidedBy: string | null;
  decidedAt: string | null;
  decisionNote: string | null;
  /** 'import': recorded by a labor file's `rebuttal` column; 'api': proposed through proposeRebuttal. */
  origin: 'import' | 'api';
  version: number;
}

export function rebuttalFromProps(props: Record<string, unknown>): RebuttalRecord {
  const list = (v: unknown) => (Array.isArray(v) ? v.map(String) : null);
  return {
    id: props.id as string,
    relationshipId: props.relationshipId as string,
    prong: props.prong as RebuttalProngValue,
    status: props.status as RebuttalStatusValue,
    evidence: list(props.evidence) ?? [],
    note: (props.note as string | undefined) ?? null,
    itemIds: list(props.itemIds),
    proposedBy: props.proposedBy as string,
    proposedAt: props.proposedAt as string,
    decidedBy: (props.decidedBy as string | undefined) ?? null,
    decidedAt: (props.decidedAt as string | undefined) ?? null,
    decisionNote: (props.decisionNote as string | undefined) ?? null,
    origin: (props.origin as 'import' | 'api' | undefined) ?? 'api',
    version: toNumber(props[VERSION_PROPERTY] ?? 1),
  };
}

function rebuttalProps(r: RebuttalRecord): Record<string, unknown> {
  const { version, ...rest } = r;
  return { ...canonicalState(rest), [VERSION_PROPERTY]: version };
}

export const rebuttalState = (r: RebuttalRecord): EntityState => canonicalState({ ...r, version: undefined });

/** The id of the rebuttal a labor row's `rebuttal` column records: the same row imported again is the same one. */
function importedRebuttalId(relationshipId: string, evidence: readonly string[]): string {
  const digest = createHash('sha256').update(`${relationshipId}\u0000${[...evidence].sort().join(';')}`).digest('hex');
  return `rb-import-${digest.slice(0, 16)}`;
}

async function writeRebuttals(tx: Tx, rows: RebuttalRecord[]): Promise<void> {
  for (let i = 0; i < rows.length; i += CHANGE_BATCH_SIZE) {
    await tx.run('changes/upsert-rebuttals', { rows: rows.slice(i, i + CHANGE_BATCH_SIZE).map((r) => ({ id: r.id, props: rebuttalProps(r) })) });
  }
}

/**
 * CHANGES.md: "The `rebuttal` column of a CSV import records accepted rebuttals by the importing actor". Each labor
 * row's column becomes one ACCEPTED rebuttal (prong NOT_PRESENT: the column cannot say which; README) proposed and
 * decided by the change set's actor; a row that no longer names it retires it. API rebuttals are left alone.
 */
export async function writeImportedRebuttals(
  tx: Tx, rels: readonly RelRecord[], meta: ChangeSetMeta, ctx: ChangeSetContext, changes: ChangeRow[],
): Promise<void> {
  const labor = rels.filter((r) => LABOR_REL_TYPES.has(r.type));
  if (labor.length === 0) return;
  const existing = new Map<string, RebuttalRecord>();
  for (let i = 0; i < labor.length; i += CHANGE_BATCH_SIZE) {
    const result = await tx.run('changes/imported-rebuttals', { ids: labor.slice(i, i + CHANGE_BATCH_SIZE).map((r) => r.id) });
    for (const rec of result.records) {
      const b = rebuttalFromProps(rec.get('props'));
      existing.set(b.id, b);
    }
  }
  const at = new Date(ctx.atMs).toISOString();
  const wanted = new Set<string>();
  const added: RebuttalRecord[] = [];
  for (const r of labor) {
    if (r.rebuttals.length === 0) continue;
    const id = importedRebuttalId(r.id, r.rebuttals);
    wanted.add(id);
    if (existing.has(id)) continue;
    const record: RebuttalRecord = {
      id, relationshipId: r.id, prong: 'NOT_PRESENT', status: 'ACCEPTED', evidence: [...r.rebuttals].sort(), note: null,
      itemIds: null, proposedBy: meta.actor, proposedAt: at, decidedBy: meta.actor, decidedAt: at, decisionNote: null,
      origin: 'import', version: 1,
    };
    added.push(record);
    changes.push({ entityId: id, kind: 'Rebuttal', op: 'ADD', after: rebuttalState(record), version: 1 });
  }
  const gone = [...existing.values()].filter((b) => !wanted.has(b.id));
  for (const b of gone) changes.push({ entityId: b.id, kind: 'Rebuttal', op: 'RETIRE', after: null, version: b.version + 1 });
  await writeRebuttals(tx, added);
  if (gone.length > 0) await tx.run('changes/delete-rebuttals', { ids: gone.map((b) => b.id) });
}

/**
 * Rebuttals of retired relationships are retired with them: they were about that relationship, and a relationship
 * added again later under the same id is a new fact that earlier reviews do not cover.
 */
export async function retireRebuttalsOf(tx: Tx, relationshipIds: string[], changes: ChangeRow[]): Promise<void> {
  const gone: RebuttalRecord[] = [];
  for (let i = 0; i < relationshipIds.length; i += CHANGE_BATCH_SIZE) {
    const result = await tx.run('changes/rebuttals-of', { ids: relationshipIds.slice(i, i + CHANGE_BATCH_SIZE) });
    for (const r of result.records) gone.push(rebuttalFromProps(r.get('props')));
  }
  if (gone.length === 0) return;
  for (const b of gone) changes.push({ entityId: b.id, kind: 'Rebuttal', op: 'RETIRE', after: null, version: b.version + 1 });
  for (let i = 0; i < gone.length; i += CHANGE_BATCH_SIZE) {
    await tx.run('changes/delete-rebuttals', { ids: gone.slice(i, i + CHANGE_BATCH_SIZE).map((b) => b.id) });
  }
}

/** A proposal or decision that cannot be recorded; `field` names the input path, `code` the GraphQL error code. */
export class RebuttalError extends Error {
  constructor(message: string, readonly code: 'BAD_USER_INPUT' | 'CONFLICT' | 'FORBIDDEN' | 'NOT_FOUND', readonly field?: string) {
    super(message);
  }
}

export interface RebuttalProposal {
  relationshipId: string;
  prong: RebuttalProngValue;
  evidence: string[];
  note?: string | null;
  itemIds?: string[] | null;
}

async function kindsOf(tx: Tx, ids: string[]): Promise<Map<string, NodeKind>> {
  const result = await tx.run('changes/kinds-of', { ids });
  return new Map(result.records.map((r) => [r.get('id') as string, kindOfLabels(r.get('labels'))]));
}

/** proposeRebuttal: checked against the stored graph and recorded as a change set of its own. */
export async function proposeRebuttal(
  client: Neo4jClient, meta: ChangeSetMeta, input: RebuttalProposal,
): Promise<{ rebuttal: RebuttalRecord; changeSet: ChangeSetSummary }> {
  if (input.evidence.length === 0) throw new RebuttalError('a rebuttal needs at least one evidence id', 'BAD_USER_INPUT', 'input.evidence');
  if (input.itemIds && input.itemIds.length === 0) {
    throw new RebuttalError('itemIds, when given, names at least one item (omit it for a rebuttal that holds for every path)', 'BAD_USER_INPUT', 'input.itemIds');
  }
  const { changeSet, result } = await runChangeSet(client, meta, async (tx, ctx) => {
    const rel = (await tx.run('changes/relationship-states', { ids: [input.relationshipId] })).records[0];
    if (!rel) throw new RebuttalError(`no relationship '${input.relationshipId}' in the graph`, 'BAD_USER_INPUT', 'input.relationshipId');
    const type = rel.get('type') as RelType;
    if (!LABOR_REL_TYPES.has(type)) {
      throw new RebuttalError(`'${input.relationshipId}' is a ${type} relationship; only labor relationships (employment, recruitment, dispatch, labor supply) can be rebutted`, 'BAD_USER_INPUT', 'input.relationshipId');
    }
    const kinds = await kindsOf(tx, [...input.evidence, ...(input.itemIds ?? [])]);
    input.evidence.forEach((id, i) => {
      if (kinds.get(id) !== 'Evidence') throw new RebuttalError(`'${id}' is ${kinds.has(id) ? `a ${kinds.get(id)}` : 'not in the graph'}, not evidence`, 'BAD_USER_INPUT', `input.evidence[${i}]`);
    });
    (input.itemIds ?? []).forEach((id, i) => {
      const k = kinds.get(id);
      if (k !== 'Product' && k !== 'Component') throw new RebuttalError(`'${id}' is ${k ? `a ${k}` : 'not in the graph'}, not an item`, 'BAD_USER_INPUT', `input.itemIds[${i}]`);
    });
    const record: RebuttalRecord = {
      id: `rb-${ctx.seq}`, relationshipId: input.relationshipId, prong: input.prong, status: 'PROPOSED',
      evidence: [...new Set(input.evidence)], note: input.note ?? null,
      itemIds: input.itemIds ? [...new Set(input.itemIds)].sort() : null,
      proposedBy: meta.actor, proposedAt: new Date(ctx.atMs).toISOString(), decidedBy: null, decidedAt: null, decisionNote: null,
      origin: 'api', version: 1,
    };
    await writeRebuttals(tx, [record]);
    return { changes: [{ entityId: record.id, kind: 'Rebuttal', op: 'ADD', after: rebuttalState(record), version: 1 }], result: record };
  });
  return { rebuttal: result, changeSet };
}

/**
 * decideRebuttal: only a PROPOSED rebuttal can be decided, and not by whoever proposed it (CHANGES.md, four eyes),
 * except in local mode where every actor is `local`.
 */
export async function decideRebuttal(
  client: Neo4jClient, meta: ChangeSetMeta, id: string, decision: 'ACCEPTED' | 'REJECTED', note: string | null, localMode: boolean,
): Promise<{ rebuttal: RebuttalRecord; changeSet: ChangeSetSummary }> {
  const { changeSet, result } = await runChangeSet(client, meta, async (tx, ctx) => {
    const found = (await tx.run('changes/rebuttals-by-id', { ids: [id] })).records[0];
    if (!found) throw new RebuttalError(`no rebuttal '${id}'`, 'NOT_FOUND', 'id');
    const current = rebuttalFromProps(found.get('props'));
    if (current.status !== 'PROPOSED') {
      throw new RebuttalError(`rebuttal '${id}' was already ${current.status.toLowerCase()} by ${current.decidedBy ?? 'an import'}`, 'CONFLICT', 'id');
    }
    if (!localMode && current.proposedBy === meta.actor) {
      throw new RebuttalError(`'${meta.actor}' proposed rebuttal '${id}' and cannot also decide it (four-eyes rule)`, 'FORBIDDEN', 'id');
    }
    const record: RebuttalRecord = {
      ...current, status: decision, decidedBy: meta.actor, decidedAt: new Date(ctx.atMs).toISOString(),
      decisionNote: note ?? null, version: current.version + 1,
    };
    await writeRebuttals(tx, [record]);
    return { changes: [{ entityId: id, kind: 'Rebuttal', op: 'UPDATE', after: rebuttalState(record), version: record.version }], result: record };
  });
  return { rebuttal: result, changeSet };
}

/** Every rebuttal of these relationships, any status. */
export async function rebuttalsOf(client: Neo4jClient, relationshipIds: readonly string[]): Promise<Map<string, RebuttalRecord[]>> {
  const rows = await client.read<{ id: string; props: Record<string, unknown> }>('changes/rebuttals-of', { ids: relationshipIds });
  const out = new Map<string, RebuttalRecord[]>(relationshipIds.map((id) => [id, []]));
  for (const r of rows) out.get(r.id)!.push(rebuttalFromProps(r.props));
  return out;
}

export async function rebuttalsById(client: Neo4jClient, ids: readonly string[]): Promise<Map<string, RebuttalRecord>> {
  const rows = await client.read<{ props: Record<string, unknown> }>('changes/rebuttals-by-id', { ids });
  return new Map(rows.map((r) => {
    const b = rebuttalFromProps(r.props);
    return [b.id, b];
  }));
}
