import { createHash } from 'node:crypto';

/**
 * The labels and relationship types of the graph: the only ones any Cypher statement may name.
 * Every taint relationship is stored in the direction DPRK labor's taint flows (TRACE-SEMANTICS.md), except OPERATES,
 * which DATA-FORMAT.md fixes as (:Company)-[:OPERATES]->(:Factory).
 */
export const NODE_KINDS = ['Product', 'Component', 'Factory', 'Company', 'LaborAgency', 'Worker', 'Evidence', 'Shipment'] as const;
export type NodeKind = (typeof NODE_KINDS)[number];

export const REL_TYPES = [
  'EMPLOYED_AT', //      (:Worker)-[]->(:Factory)                 employment.csv     timed   L1
  'RECRUITED_BY', //     (:Worker)-[]->(:LaborAgency)             recruitment.csv    timed   L2 (placement: a factory id)
  'DISPATCHES_TO', //    (:LaborAgency)-[]->(:LaborAgency)        dispatch.csv       timed   L4
  'SUPPLIES_LABOR_TO', // (:LaborAgency)-[]->(:Factory)           labor_supply.csv   timed   L3
  'SUBCONTRACTOR_OF', // (:Factory sub)-[]->(:Factory principal)  subcontracts.csv   timed   S
  'PRODUCED', //         (:Factory)-[]->(:Item)                   production.csv     timed   P
  'COMPONENT_OF', //     (:Item child)-[]->(:Item parent)         bom.csv                    B
  'OPERATES', //         (:Company)-[]->(:Factory)                factories.operator_id      C1 (reversed)
  'SUPPLIES', //         (:Company supplier)-[]->(:Company customer) supply.csv      timed   C2
  'SOURCED_FROM', //     (:Company)-[]->(:Item)                   sourcing.csv       timed   C3
  'SHIPMENT_OF', //      (:Shipment)-[]->(:Item)                  shipments.item_id          not a taint edge
  'IMPORTED_BY', //      (:Shipment)-[]->(:Company)               shipments.importer_id      not a taint edge
] as const;
export type RelType = (typeof REL_TYPES)[number];

/** The relationships tracing walks (TRACE-SEMANTICS.md, "The taint graph"). */
export const TAINT_REL_TYPES: ReadonlySet<RelType> = new Set([
  'EMPLOYED_AT', 'RECRUITED_BY', 'DISPATCHES_TO', 'SUPPLIES_LABOR_TO', 'SUBCONTRACTOR_OF', 'PRODUCED', 'COMPONENT_OF',
  'OPERATES', 'SUPPLIES', 'SOURCED_FROM',
]);
export const TIMED_REL_TYPES: ReadonlySet<RelType> = new Set([
  'EMPLOYED_AT', 'RECRUITED_BY', 'DISPATCHES_TO', 'SUPPLIES_LABOR_TO', 'SUBCONTRACTOR_OF', 'PRODUCED', 'SUPPLIES', 'SOURCED_FROM',
]);
/** Labor edges: the only ones evidence can rebut. */
export const LABOR_REL_TYPES: ReadonlySet<RelType> = new Set(['EMPLOYED_AT', 'RECRUITED_BY', 'DISPATCHES_TO', 'SUPPLIES_LABOR_TO']);

/** The extra label every node carries; its unique `id` makes ids unique across all kinds. */
export const ENTITY_LABEL = 'Entity';

export function labelsOf(kind: NodeKind): string[] {
  return kind === 'Product' || kind === 'Component' ? [ENTITY_LABEL, 'Item', kind] : [ENTITY_LABEL, kind];
}

export function kindOfLabels(labels: readonly string[]): NodeKind {
  for (const kind of NODE_KINDS) if (labels.includes(kind)) return kind;
  throw new Error(`node with labels ${labels.join(':')} has no labortrace kind`);
}

export const DPRK = 'KP';

/**
 * A relationship's natural key: its type, endpoints, placement (recruitment) and, for timed types, interval. Rows
 * with the same endpoints and different intervals are different relationships; the same row imported twice is the
 * same one. Intervals are the resolved days (a partial date is its first or last day).
 */
export function relationshipKey(
  type: RelType, source: string, target: string, from?: string | null, to?: string | null, placement?: string | null,
): string {
  const base = `${type}:${source}->${target}${placement ? `#${placement}` : ''}`;
  return TIMED_REL_TYPES.has(type) ? `${base}@${from ?? ''}..${to ?? ''}` : base;
}

/**
 * The public id of a relationship when its row gives none: opaque, made of letters, digits and '-' only (safe in
 * CSS selectors and URLs), derived from the natural key so that re-importing the same row gives the same id.
 * A row may give its own `id` (README, "Relationship ids"); then that id is its identity and a corrected interval
 * keeps it.
 */
export function relationshipId(key: string): string {
  return `r-${createHash('sha256').update(key).digest('hex').slice(0, 20)}`;
}

/** What a relationship id given in a dataset must look like: CSS- and URL-safe. */
export const RELATIONSHIP_ID_PATTERN = /^[A-Za-z][A-Za-z0-9_-]{0,127}$/;
