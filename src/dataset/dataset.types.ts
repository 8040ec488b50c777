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
  /** relationshipKey(type, source, target, from, to): the relationship's identity and its public id. */
  key: string;
  source: string;
  target: string;
  from: string | null;
  to: string | null;
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
