import { isDate, isDateTime } from 'neo4j-driver';
import { kindOfLabels, type NodeKind, type RelType } from '../model/graph-model';

export type PlainValue = string | number | boolean | string[] | null;

/** A node as the API sees it: its kind and plain properties (Neo4j dates become ISO strings). */
export interface EntityNode {
  id: string;
  kind: NodeKind;
  props: Record<string, PlainValue>;
  /** Set when read as recorded at a knowledge time (CHANGES.md): the change set it was recorded up to. */
  seq?: number;
}

/** A relationship seen from one of its nodes. */
export interface EntityRel {
  /** The public relationship id (the stored `id`; relationshipId(key) for relationships stored before ids existed). */
  id: string;
  key: string;
  type: RelType;
  source: string;
  target: string;
  props: Record<string, PlainValue>;
  /** Set when read as recorded at a knowledge time: the change set it was recorded up to. */
  seq?: number;
}

export function plainProps(props: Record<string, unknown>): Record<string, PlainValue> {
  const out: Record<string, PlainValue> = {};
  for (const [k, v] of Object.entries(props)) {
    out[k] = v !== null && typeof v === 'object' && (isDate(v) || isDateTime(v)) ? String(v) : (v as PlainValue);
  }
  return out;
}

export function toEntityNode(labels: string[], props: Record<string, unknown>): EntityNode {
  return { id: props.id as string, kind: kindOfLabels(labels), props: plainProps(props) };
}
