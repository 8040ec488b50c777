import { isDate, isDateTime, isInt } from 'neo4j-driver';
import type { NodeKind, RelType } from '../model/graph-model';
import type { SourcePosition } from '../dataset/dataset.types';

/** CHANGES.md: what a change did to one entity. */
export type ChangeOp = 'ADD' | 'UPDATE' | 'RETIRE';
export type ChangeSource = 'api' | 'import';

/** The kind a change names: a node kind, a relationship type, a reviewed rebuttal, or a decided list match (LISTS.md). */
export type ChangeKind = NodeKind | RelType | 'Rebuttal' | 'ListMatch';

/**
 * An entity's recorded state as the change log keeps it (`Change.after`, JSON text): its plain stored properties
 * with Neo4j dates as ISO text, plus what identifies it: `kind` for a node; `type`, `source` and `target` for a
 * relationship. Keys are sorted and null values dropped, so equal states have equal text.
 */
export type EntityState = Record<string, StateValue>;
export type StateValue = string | number | boolean | string[] | null;

/** Internal properties the log does not record as state (the version is the log's own count). */
export const VERSION_PROPERTY = '_version';

export function plainValue(v: unknown): StateValue {
  if (v === null || v === undefined) return null;
  if (typeof v === 'object' && (isDate(v) || isDateTime(v))) return String(v);
  if (isInt(v)) return (v as { toNumber(): number }).toNumber();
  if (Array.isArray(v)) return v.map(String);
  return v as StateValue;
}

/** The canonical state: sorted keys, no null values, no internal properties (`_version`, a staged import's `_staged`). */
export function canonicalState(fields: Record<string, unknown>): EntityState {
  const out: EntityState = {};
  for (const k of Object.keys(fields).sort()) {
    if (k.startsWith('_')) continue;
    const v = plainValue(fields[k]);
    if (v !== null) out[k] = v;
  }
  return out;
}

export const stateText = (s: EntityState | null): string | null => (s === null ? null : JSON.stringify(s));

export function nodeState(kind: NodeKind, props: Record<string, unknown>): EntityState {
  return canonicalState({ ...props, kind });
}

export function relState(type: RelType, source: string, target: string, props: Record<string, unknown>): EntityState {
  return canonicalState({ ...props, type, source, target });
}

/** One change as the writer records it. */
export interface ChangeRow {
  entityId: string;
  kind: ChangeKind;
  op: ChangeOp;
  after: EntityState | null;
  /** The entity's version after the change (1 when added; a retired entity keeps its last version + 1). */
  version: number;
}

export interface ChangeSetMeta {
  actor: string;
  reason: string;
  source: ChangeSource;
}

/** A committed change set, as the writer returns it. */
export interface ChangeSetSummary {
  id: string;
  seq: number;
  atMs: number;
  changeCount: number;
}

export const changeSetId = (seq: number): string => `cs-${seq}`;
export function changeSetSeq(id: string): number | null {
  const m = /^cs-([1-9][0-9]{0,14})$/.exec(id);
  return m ? Number(m[1]) : null;
}

/** A row's position as a map key (expected versions are kept by the position of the row that carries them). */
export const positionKey = (at: SourcePosition): string => `${at.file}\u0000${at.line}`;

/** The column number of a row's `expectedVersion` in errors (dataset columns count from 1). */
export const EXPECTED_VERSION_COLUMN = 0;
