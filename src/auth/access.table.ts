import { ROLES, roleAtLeast, type Role } from './principal';

/**
 * The role × operation table of ACCESS.md, as the one place the API's access rules live.
 *
 * Every field of every object type of the schema (Query, Mutation and every object type) has an entry: the role
 * the field itself requires. A caller reaches a field only through the fields above it, so what a field effectively
 * needs is the strictest rule on its path; most fields below a gate are `viewer` (nothing beyond the gate).
 * `test/e2e/access.e2e.test.ts` walks this table for every role and fails when the schema has a field without an
 * entry (or the table an entry the schema does not have).
 *
 * Enforcement: a field whose entry is above viewer, or conditional, carries type-graphql's `@Authorized(entry)`,
 * and the auth checker (auth-checker.ts) applies the entry of the field's schema coordinate (`Type.field`). Every
 * Query field is decorated too, so that a request without a principal is refused at the root.
 *
 * Decisions where ACCESS.md leaves room:
 * - shipments (`shipment(s)`, `screenShipments`, `Item.shipments`) are analyst: customs entries name importers and
 *   quantities an importer keeps confidential;
 * - every list of evidence (`evidence`, `evidences`, each `evidence` and `rebuttals` field) is analyst;
 * - worker cohorts are analyst wherever they are reached: `worker(s)`, `Factory.workers`, `LaborAgency.workers`,
 *   `Employment.worker`, `Recruitment.worker`;
 * - personal data is investigator: `Worker.name`, `Worker.extra` (free-form x_* columns of a person's row) and
 *   `GraphNode.name` when the node is a Worker (trace paths and subgraphs draw worker nodes);
 * - testimony: an Evidence row whose kind is `testimony` is FORBIDDEN below investigator on every field except `id`
 *   and `kind` (ids are public through `evidenceIds` anyway, and the kind says why the rest is withheld). `title` is
 *   non-null, so its error also nulls the enclosing list item as GraphQL requires; the error is at the field's path.
 */

/** A rule that depends on the object the field is read from. */
export interface ConditionalRule {
  /** required always */
  role: Role;
  /** required instead when `when(root)` holds */
  stricter: Role;
  when: (root: unknown) => boolean;
  because: string;
}

export type Rule = Role | ConditionalRule;

const kindOf = (root: unknown): string => String((root as { kind?: unknown } | null)?.kind ?? '').toLowerCase();

/** Evidence content fields: analysts see documents, investigators also testimony. */
const TESTIMONY: ConditionalRule = {
  role: 'viewer', stricter: 'investigator', when: (root) => kindOf(root) === 'testimony', because: 'testimony is personal data',
};
/** A drawn node's name: a Worker node names a person. */
const PERSON_NODE_NAME: ConditionalRule = {
  role: 'viewer', stricter: 'investigator', when: (root) => kindOf(root) === 'worker', because: "a worker's name is personal data",
};
/** Evidence listed under an evidence row: a list of evidence (analyst), and testimony's own content (investigator). */
const TESTIMONY_EVIDENCE: ConditionalRule = { ...TESTIMONY, role: 'analyst' };

/** A change's states: a worker's or an evidence row's state holds personal data (names, testimony). */
const PERSONAL_STATE: ConditionalRule = {
  role: 'viewer', stricter: 'investigator', when: (root) => ['worker', 'evidence'].includes(kindOf(root)),
  because: "a worker's or an evidence row's recorded state can hold personal data",
};

const V = 'viewer';
const A = 'analyst';
const I = 'investigator';
const ADMIN = 'admin';
/** CHANGES.md on every entity type: its version (viewer) and the change sets behind it (analyst: who recorded what). */
const HISTORY = { version: V, history: A } as const;

/** `totalCount edges pageInfo` and `cursor node` of a Relay connection type made by ConnectionType(name, …). */
function connection(name: string, role: Role = V): Record<string, Record<string, Rule>> {
  return {
    [`${name}Connection`]: { totalCount: role, edges: role, pageInfo: role },
    [`${name}Edge`]: { cursor: role, node: role },
  };
}

function fields(role: Role, names: string): Record<string, Rule> {
  return Object.fromEntries(names.split(/\s+/).filter(Boolean).map((n) => [n, role]));
}

/** Relationship types: their own columns, both ends, and evidence (analyst). */
const RELATIONSHIP = 'id type extra';
const TIMED = `${RELATIONSHIP} from to`;

export const ACCESS = {
  Query: {
    ...fields(V, 'screen trace item items factory factories company companies agency agencies'),
    ...fields(A, 'impact supplyChain whereUsed evidence evidences worker workers shipment shipments screenShipments changeSets listMatches exposureChanges'),
  },
  Mutation: { applyChanges: I, proposeRebuttal: I, decideRebuttal: ADMIN, decideMatch: I },
  ChangeSet: fields(V, 'id at actor reason source changeCount changes'),
  Change: { ...fields(V, 'op entityId kind version'), before: PERSONAL_STATE, after: PERSONAL_STATE },
  Rebuttal: { ...fields(V, 'id prong status note itemIds proposedBy proposedAt decidedBy decidedAt decisionNote origin relationship'), ...HISTORY, evidence: A },

  // Entities and their relationships (viewer), except evidence, worker cohorts and shipments
  Item: { ...HISTORY, ...fields(V, 'id extra name kind sku hsCode brand material components usedIn madeAt sourcedFrom'), ...fields(A, 'shipments evidence') },
  Factory: { ...HISTORY, ...fields(V, 'id extra name country address lat lon osId operator agencies subcontractors principals produces'), ...fields(A, 'workers evidence') },
  Company: { ...HISTORY, ...fields(V, 'id extra name country factories suppliers customers items'), evidence: A },
  LaborAgency: { ...HISTORY, ...fields(V, 'id extra name country dprkLinkedFlag dprkLinked sanctioned factories dispatchesTo dispatchedFrom'), ...fields(A, 'workers evidence') },
  Worker: { ...HISTORY, ...fields(V, 'id nationality headcount dprkNational employments agencies'), evidence: A, name: I, extra: I },
  Evidence: { ...HISTORY, id: V, kind: V, title: TESTIMONY, url: TESTIMONY, published: TESTIMONY, confidence: TESTIMONY, extra: TESTIMONY, evidence: TESTIMONY_EVIDENCE },
  Shipment: { ...HISTORY, ...fields(V, 'id extra entryNumber entryDate producedFrom producedTo quantity declaredOrigin item importer trace'), evidence: A },
  ExtraProperty: fields(V, 'key value'),
  PageInfo: fields(V, 'hasNextPage hasPreviousPage startCursor endCursor'),

  BomLine: { ...HISTORY, ...fields(V, `${RELATIONSHIP} quantity parent component`), evidence: A },
  Production: { ...HISTORY, ...fields(V, `${TIMED} factory item`), evidence: A },
  Subcontract: { ...HISTORY, ...fields(V, `${TIMED} subcontractor principal`), evidence: A },
  Supply: { ...HISTORY, ...fields(V, `${TIMED} supplier customer`), evidence: A },
  Sourcing: { ...HISTORY, ...fields(V, `${TIMED} company item`), evidence: A },
  LaborSupply: { ...HISTORY, ...fields(V, `${TIMED} rebutted agency factory`), ...fields(A, 'evidence rebuttals') },
  Dispatch: { ...HISTORY, ...fields(V, `${TIMED} rebutted agency toAgency`), evidence: A },
  Employment: { ...HISTORY, ...fields(V, `${TIMED} rebutted factory`), ...fields(A, 'worker evidence rebuttals') },
  Recruitment: { ...HISTORY, ...fields(V, `${TIMED} rebutted agency placement`), ...fields(A, 'worker evidence rebuttals') },

  // Tracing: exposure and counts (viewer); paths and subgraphs (analyst)
  Trace: { ...fields(V, 'exposure countStatus pathCount possiblePathCount openPathCount openPossiblePathCount sourceCount siteCount item'), ...fields(A, 'paths subgraph') },
  ScreenResult: fields(V, 'exposure countStatus pathCount possiblePathCount openPathCount openPossiblePathCount sourceCount siteCount item'),
  ShipmentScreenResult: fields(V, 'exposure countStatus pathCount possiblePathCount openPathCount openPossiblePathCount shipment'),
  TracePath: fields(V, 'nodes relationships rebutted'),
  Graph: fields(V, 'nodes relationships'),
  GraphNode: { ...fields(V, 'id kind source traced country evidenceIds listings'), name: PERSON_NODE_NAME },

  // Watch lists (LISTS.md): the review queue (analyst), decisions (investigator, ACCESS.md), re-screening (analyst)
  ListMatch: fields(V, 'id entity list listVersion entryId entryName matchedName programs dprk score explanation status decidedBy decidedAt decisionNote'),
  Listing: fields(V, 'list listVersion entryId entryName programs dprk matchId'),
  ExposureChange: { ...fields(V, 'item before after beforePathCount afterPathCount beforePossiblePathCount afterPossiblePathCount'), causes: A },
  GraphRelationship: fields(V, 'id key type source target from to placement evidenceIds rebutted extra rebuttals'),
  Impact: fields(V, 'node products components subgraph'),
  ImpactResult: fields(V, 'pathCount possiblePathCount openPathCount openPossiblePathCount item'),

  ...connection('Item'), ...connection('Factory'), ...connection('Company'), ...connection('LaborAgency'),
  ...connection('Worker'), ...connection('Evidence'), ...connection('Shipment'), ...connection('Screen'),
  ...connection('ShipmentScreen'), ...connection('TracePath'), ...connection('ChangeSet'), ...connection('ListMatch'), ...connection('ExposureChange'),
} as const satisfies Record<string, Record<string, Rule>>;

/**
 * Types that hold data of a role: no path from Query may reach them with a weaker role (the table test checks this
 * over the schema, so a new field leading to, say, Worker from a viewer type fails until it is gated).
 */
export const TYPE_FLOORS: Readonly<Record<string, Role>> = {
  Worker: A, WorkerConnection: A, WorkerEdge: A, Employment: A, Recruitment: A,
  Evidence: A, EvidenceConnection: A, EvidenceEdge: A,
  Shipment: A, ShipmentConnection: A, ShipmentEdge: A, ShipmentScreenResult: A, ShipmentScreenConnection: A, ShipmentScreenEdge: A,
  ChangeSet: A, ChangeSetConnection: A, ChangeSetEdge: A, Change: A, Rebuttal: A,
  ListMatch: A, ListMatchConnection: A, ListMatchEdge: A, ExposureChange: A, ExposureChangeConnection: A, ExposureChangeEdge: A,
  TracePath: A, TracePathConnection: A, TracePathEdge: A, Graph: A, GraphNode: A, GraphRelationship: A, Impact: A, ImpactResult: A,
};

const TABLE: Readonly<Record<string, Readonly<Record<string, Rule>>>> = ACCESS;

/** The rule of a schema coordinate, or undefined when the table does not classify it. */
export function ruleFor(typeName: string, fieldName: string): Rule | undefined {
  return Object.prototype.hasOwnProperty.call(TABLE, typeName) && Object.prototype.hasOwnProperty.call(TABLE[typeName], fieldName)
    ? TABLE[typeName][fieldName]
    : undefined;
}

/** The rule for `@Authorized(access('Type', 'field'))`; a coordinate the table lacks fails when the schema loads. */
export function access(typeName: string, fieldName: string): Rule {
  const rule = ruleFor(typeName, fieldName);
  if (rule === undefined) throw new Error(`access table: no rule for ${typeName}.${fieldName} (src/auth/access.table.ts)`);
  return rule;
}

/** Every classified coordinate with its rule. */
export function accessEntries(): { type: string; field: string; rule: Rule }[] {
  return Object.entries(TABLE).flatMap(([type, f]) => Object.entries(f).map(([field, rule]) => ({ type, field, rule })));
}

/** The role a rule requires for one object. */
export function requiredRole(rule: Rule, root: unknown): Role {
  if (typeof rule === 'string') return rule;
  return rule.when(root) ? rule.stricter : rule.role;
}

/** The weakest and the strictest role a rule can require. */
export function ruleRange(rule: Rule): { least: Role; most: Role } {
  return typeof rule === 'string' ? { least: rule, most: rule } : { least: rule.role, most: rule.stricter };
}

export function strictest(a: Role, b: Role): Role {
  return roleAtLeast(a, b) ? a : b;
}

export { ROLES };
