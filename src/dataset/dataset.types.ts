import type { NodeKind, RelType } from '../model/graph-model';

export interface SourcePosition {
  file: string;
  line: number;
  column?: number;
}

export interface DatasetError extends SourcePosition {
  message: string;
}

export function formatError(e: DatasetError): string {
  return `${e.file}:${e.line}:${e.column ?? 1}: ${e.message}`;
}

export type PropValue = string | number | boolean;

export interface NodeRecord {
  kind: NodeKind;
  id: string;
  /** Column values other than id and evidence, under their CSV column names (x_ columns included). */
  props: Record<string, PropValue>;
  evidence: string[];
  at: SourcePosition;
}

export interface RelRecord {
  type: RelType;
  /** The public, opaque id: the row's `id` column, or relationshipId(key). The identity an import upserts by. */
  id: string;
  /** relationshipKey(type, source, target, from, to, placement): the natural key. */
  key: string;
  source: string;
  target: string;
  /** Resolved calendar days (a partial date is its first day as `from`, its last as `to`). */
  from: string | null;
  to: string | null;
  /** Recruitment: the factory of the placement. */
  placement: string | null;
  props: Record<string, PropValue>;
  evidence: string[];
  /** Evidence ids rebutting this (labor) relationship. */
  rebuttals: string[];
  at: SourcePosition;
}

export interface Dataset {
  nodes: NodeRecord[];
  relationships: RelRecord[];
}
