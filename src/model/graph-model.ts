/**
 * The labels and relationship types of the graph: the only ones any Cypher statement may name.
 * Every relationship is stored in the direction DPRK labor's taint flows (TRACE-SEMANTICS.md), except OPERATES,
 * which DATA-FORMAT.md fixes as (:Company)-[:OPERATES]->(:Factory).
 */
export const NODE_KINDS = ['Product', 'Component', 'Factory', 'Company', 'LaborAgency', 'Worker', 'Evidence'] as const;
export type NodeKind = (typeof NODE_KINDS)[number];

export const REL_TYPES = [
  'EMPLOYED_AT', //      (:Worker)-[]->(:Factory)                 employment.csv     timed   L1
  'RECRUITED_BY', //     (:Worker)-[]->(:LaborAgency)             recruitment.csv            L2
  'SUPPLIES_LABOR_TO', // (:LaborAgency)-[]->(:Factory)           labor_supply.csv   timed   L3
  'SUBCONTRACTOR_OF', // (:Factory sub)-[]->(:Factory principal)  subcontracts.csv   timed   S
  'PRODUCED', //         (:Factory)-[]->(:Item)                   production.csv     timed   P
  'COMPONENT_OF', //     (:Item child)-[]->(:Item parent)         bom.csv                    B
  'OPERATES', //         (:Company)-[]->(:Factory)                factories.operator_id      C1 (reversed)
  'SUPPLIES', //         (:Company supplier)-[]->(:Company customer) supply.csv              C2
  'SOURCED_FROM', //     (:Company)-[]->(:Item)                   sourcing.csv               C3
] as const;
export type RelType = (typeof REL_TYPES)[number];

export const TIMED_REL_TYPES: ReadonlySet<RelType> = new Set(['EMPLOYED_AT', 'SUPPLIES_LABOR_TO', 'SUBCONTRACTOR_OF', 'PRODUCED']);
/** Labor edges: the only ones evidence can rebut. */
export const LABOR_REL_TYPES: ReadonlySet<RelType> = new Set(['EMPLOYED_AT', 'RECRUITED_BY', 'SUPPLIES_LABOR_TO']);

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
 * A relationship's identity: its type, endpoints and (for timed types) interval. Rows with the same endpoints and
 * different intervals are different relationships; the same row imported twice is the same one.
 */
export function relationshipKey(type: RelType, source: string, target: string, from?: string | null, to?: string | null): string {
  const base = `${type}:${source}->${target}`;
  return TIMED_REL_TYPES.has(type) ? `${base}@${from ?? ''}..${to ?? ''}` : base;
}
