import path from 'node:path';
import {
  execute, getNamedType, isNonNullType, isObjectType, parse, type GraphQLError, type GraphQLField, type GraphQLObjectType, type GraphQLSchema,
} from 'graphql';
import {
  ACCESS, TYPE_FLOORS, accessEntries, requiredRole, ruleFor, ruleRange, strictest, type Rule,
} from '../../src/auth/access.table';
import { ROLES, roleAtLeast, type Principal, type Role } from '../../src/auth/principal';
import type { Neo4jClient } from '../../src/db/neo4j-client';
import { EntityService } from '../../src/entity/entity.service';
import { createContext } from '../../src/graphql/context';
import { graphqlSchema } from '../../src/graphql/schema';
import { importList } from '../../src/lists/list-import.service';
import { decideMatch, listMatchesPage } from '../../src/lists/list.store';
import { DEFAULT_MATCH_THRESHOLD } from '../../src/lists/name-matcher';
import { TraceService } from '../../src/trace/trace.service';
import { datasetDir, importDir, resetGraph, testClient } from '../helpers/neo4j';

/**
 * The role × operation table of ACCESS.md, walked whole: every entry of src/auth/access.table.ts (every Query field,
 * every field of every object type) × every role is executed against the demo data and must be answered, or refused
 * with FORBIDDEN at the path of the first field on the way that needs more than the role. The table itself must
 * classify exactly the fields the schema has.
 */

const SEED = path.join(__dirname, '..', '..', 'seed');

/** How the walk reaches an object of each type: steps from Query; `kind` is the reached object's kind. */
interface Reach {
  steps: string[];
  kind?: string;
}

const r = (steps: string, kind?: string): Reach => ({ steps: steps.split(' / ').filter(Boolean), kind });

const REACH: Record<string, Reach[]> = {
  Query: [r('')],
  Item: [r('item(id: "P-JACKET-01")')],
  Factory: [r('factory(id: "F-HUNCHUN-CUT")')],
  Company: [r('company(id: "CO-DANDONG-GARMENT")')],
  LaborAgency: [r('agency(id: "AG-SEAGULL")')],
  Worker: [r('worker(id: "W-KP-COHORT-01")')],
  Evidence: [r('evidence(id: "EV-001")', 'media report'), r('evidence(id: "EV-005")', 'testimony')],
  Shipment: [r('shipment(id: "SH-2024-0001")')],
  ExtraProperty: [r('worker(id: "W-TEST-EXTRA") / extra')],
  PageInfo: [r('items(first: 2) / pageInfo')],
  BomLine: [r('item(id: "P-JACKET-01") / components')],
  Production: [r('item(id: "P-JACKET-01") / madeAt')],
  Subcontract: [r('factory(id: "F-DANDONG-SEW") / subcontractors')],
  Supply: [r('company(id: "CO-ORBISON") / suppliers')],
  Sourcing: [r('item(id: "C-ANTENNA") / sourcedFrom')],
  LaborSupply: [r('factory(id: "F-YARN-MILL") / agencies')],
  Dispatch: [r('agency(id: "AG-KP-HAEYANG") / dispatchesTo')],
  Employment: [r('factory(id: "F-HUNCHUN-CUT") / workers')],
  Recruitment: [r('agency(id: "AG-SEAGULL") / workers')],
  Trace: [r('trace(itemId: "P-JACKET-01")')],
  ScreenResult: [r('screen(first: 3) / edges / node')],
  ShipmentScreenResult: [r('screenShipments(first: 3) / edges / node')],
  TracePath: [r('trace(itemId: "P-JACKET-01") / paths(first: 2) / edges / node')],
  Graph: [r('trace(itemId: "P-JACKET-01") / subgraph')],
  GraphNode: [r('impact(nodeId: "F-YARN-MILL") / node', 'Factory'), r('impact(nodeId: "W-KP-COHORT-01") / node', 'Worker')],
  GraphRelationship: [r('trace(itemId: "P-JACKET-01") / subgraph / relationships')],
  Impact: [r('impact(nodeId: "F-YARN-MILL")')],
  ImpactResult: [r('impact(nodeId: "F-YARN-MILL") / products')],
  ItemConnection: [r('items(first: 2)')],
  ItemEdge: [r('items(first: 2) / edges')],
  FactoryConnection: [r('factories(first: 2)')],
  FactoryEdge: [r('factories(first: 2) / edges')],
  CompanyConnection: [r('companies(first: 2)')],
  CompanyEdge: [r('companies(first: 2) / edges')],
  LaborAgencyConnection: [r('agencies(first: 2)')],
  LaborAgencyEdge: [r('agencies(first: 2) / edges')],
  WorkerConnection: [r('workers(first: 2)')],
  WorkerEdge: [r('workers(first: 2) / edges')],
  EvidenceConnection: [r('evidences(first: 2)')],
  EvidenceEdge: [r('evidences(first: 2) / edges')],
  ShipmentConnection: [r('shipments(first: 2)')],
  ShipmentEdge: [r('shipments(first: 2) / edges')],
  ScreenConnection: [r('screen(first: 2)')],
  ScreenEdge: [r('screen(first: 2) / edges')],
  ShipmentScreenConnection: [r('screenShipments(first: 2)')],
  ShipmentScreenEdge: [r('screenShipments(first: 2) / edges')],
  TracePathConnection: [r('trace(itemId: "P-JACKET-01") / paths(first: 2)')],
  TracePathEdge: [r('trace(itemId: "P-JACKET-01") / paths(first: 2) / edges')],
  ChangeSetConnection: [r('changeSets(first: 2)')],
  ChangeSetEdge: [r('changeSets(first: 2) / edges')],
  ChangeSet: [r('changeSets(first: 2) / edges / node'), r('item(id: "P-JACKET-01") / history')],
  // the seed's import: a worker's and an evidence row's states are personal data (investigator)
  Change: [r('item(id: "P-JACKET-01") / history / changes(entityId: "P-JACKET-01")', 'Product'),
    r('worker(id: "W-KP-COHORT-01") / history / changes(entityId: "W-KP-COHORT-01")', 'Worker')],
  Rebuttal: [r('factory(id: "F-TILE-AO") / workers / rebuttals')],
  // the shipped SDN version imported and the demo agency's match confirmed (beforeAll)
  ListMatchConnection: [r('listMatches(status: null, first: 5)')],
  ListMatchEdge: [r('listMatches(status: null, first: 5) / edges')],
  ListMatch: [r('listMatches(status: null, first: 5) / edges / node')],
  Listing: [r('trace(itemId: "P-CEMENT-BAG") / subgraph / nodes / listings')],
  ExposureChangeConnection: [r('exposureChanges(since: "2000-01-01T00:00:00Z", first: 3)')],
  ExposureChangeEdge: [r('exposureChanges(since: "2000-01-01T00:00:00Z", first: 3) / edges')],
  ExposureChange: [r('exposureChanges(since: "2000-01-01T00:00:00Z", first: 3) / edges / node')],
};

/** Arguments for fields that require some (the walk selects each field alone). */
const ARGS: Record<string, string> = {
  'Query.item': 'id: "P-JACKET-01"', 'Query.factory': 'id: "F-DANDONG-SEW"', 'Query.company': 'id: "CO-BLUEPEAK"',
  'Query.agency': 'id: "AG-SEAGULL"', 'Query.worker': 'id: "W-KP-COHORT-01"', 'Query.evidence': 'id: "EV-001"',
  'Query.shipment': 'id: "SH-2024-0001"', 'Query.trace': 'itemId: "P-JACKET-01"', 'Query.impact': 'nodeId: "F-YARN-MILL"',
  'Query.supplyChain': 'companyId: "CO-ORBISON"', 'Query.whereUsed': 'itemId: "C-NYLON-YARN"',
  'Query.items': 'first: 2', 'Query.factories': 'first: 2', 'Query.companies': 'first: 2', 'Query.agencies': 'first: 2',
  'Query.workers': 'first: 2', 'Query.evidences': 'first: 2', 'Query.shipments': 'first: 2', 'Query.screen': 'first: 2',
  'Query.screenShipments': 'first: 2', 'Trace.paths': 'first: 2',
  // mutations are walked for the roles below their rule only: refused before anything is checked or written
  'Mutation.applyChanges': 'input: { reason: "walk", products: [{ id: "P-WALK", name: "Walk" }] }',
  'Mutation.proposeRebuttal': 'input: { relationshipId: "r-none", prong: NOT_PRESENT, evidence: ["EV-001"] }',
  'Mutation.decideRebuttal': 'id: "rb-none", decision: ACCEPTED',
  'Mutation.decideMatch': 'id: "lm-none", decision: CONFIRMED',
  'Query.exposureChanges': 'since: "2000-01-01T00:00:00Z", first: 3',
};

const fieldName = (step: string) => step.replace(/\(.*$/, '');

let client: Neo4jClient;
let entities: EntityService;
let trace: TraceService;
let schema: GraphQLSchema;

async function run(query: string, principal: Principal | undefined): Promise<{ data?: unknown; errors?: readonly GraphQLError[] }> {
  // the server's context for one request, with the principal under test (none: what the server never lets through)
  const contextValue: Record<string, unknown> = { ...createContext({ client, entities, trace }), principal };
  if (!principal) delete contextValue.principal;
  return execute({ schema, document: parse(query), contextValue }) as Promise<{ data?: unknown; errors?: readonly GraphQLError[] }>;
}

/** The object type each step leads to, checked against the schema. */
function typeAfter(steps: string[]): GraphQLObjectType {
  let type = schema.getQueryType()!;
  for (const step of steps) {
    const field = type.getFields()[fieldName(step)];
    if (!field) throw new Error(`reach step '${step}' is not a field of ${type.name}`);
    const next = getNamedType(field.type);
    if (!isObjectType(next)) throw new Error(`reach step '${step}' of ${type.name} is not an object`);
    type = next;
  }
  return type;
}

function selection(type: GraphQLObjectType, field: GraphQLField<unknown, unknown>): string {
  const args = ARGS[`${type.name}.${field.name}`];
  const required = field.args.filter((a) => isNonNullType(a.type) && a.defaultValue === undefined);
  if (required.length > 0 && !args) throw new Error(`${type.name}.${field.name} needs arguments: add them to ARGS in this test`);
  return `${field.name}${args ? `(${args})` : ''}${isObjectType(getNamedType(field.type)) ? ' { __typename }' : ''}`;
}

function queryFor(steps: string[], leaf: string): string {
  return steps.reduceRight((inner, step) => `${step} { ${inner} }`, leaf);
}

/** The objects the steps reach in `data` (lists flattened). */
function reached(data: unknown, steps: string[]): Record<string, unknown>[] {
  let objects: unknown[] = [data];
  for (const step of steps.map(fieldName)) {
    objects = objects.flatMap((o) => (o && typeof o === 'object' && step in o ? [(o as Record<string, unknown>)[step]] : []))
      .flatMap((v) => (Array.isArray(v) ? v : [v]));
  }
  return objects.filter((o): o is Record<string, unknown> => !!o && typeof o === 'object');
}

/** What the walk expects of one role: the string path of the FORBIDDEN error, or null for an answer. */
function expected(steps: string[], type: string, field: string, rule: Rule, kind: string | undefined, role: Role): string[] | null {
  let on = 'Query';
  for (let i = 0; i < steps.length; i++) {
    const stepRule = ruleFor(on, fieldName(steps[i]))!;
    if (!roleAtLeast(role, requiredRole(stepRule, undefined))) return steps.slice(0, i + 1).map(fieldName);
    on = typeAfter(steps.slice(0, i + 1)).name;
  }
  expect(on).toBe(type);
  return roleAtLeast(role, requiredRole(rule, { kind })) ? null : [...steps.map(fieldName), field];
}

beforeAll(async () => {
  client = await testClient();
  await resetGraph(client);
  await importDir(client, SEED);
  // one worker with a free-form x_* column, so that ExtraProperty fields are read for real
  await importDir(client, datasetDir({ 'workers.csv': 'id,nationality,name,headcount,evidence,x_note\nW-TEST-EXTRA,CN,A. Person,1,,met at the gate\n' }));
  // a list version and one decided match, so that ListMatch and Listing objects exist to be read
  const lists = await importList(client, { format: 'ofac-sdn', source: path.join(SEED, 'lists', 'ofac-sdn-2021-09-17'), label: null, actor: 'walk', threshold: DEFAULT_MATCH_THRESHOLD });
  const page = await listMatchesPage(client, 'PENDING', 100, null);
  const demo = page.matches.find((m) => m.entityId === 'AG-CHOLHYON');
  if (!demo || lists.matching.pending === 0) throw new Error('the demo list match is missing (seed/README.md, P-CEMENT-BAG)');
  await decideMatch(client, { actor: 'walk', reason: 'confirm the demo match', source: 'api' }, demo.id, 'CONFIRMED', null);
  entities = new EntityService(client);
  trace = new TraceService(client);
  schema = graphqlSchema();
});
afterAll(async () => {
  await resetGraph(client);
  await client.close();
});

describe('the access table classifies the schema', () => {
  it('has an entry for every field of every object type (Query and Mutation included), and none the schema lacks', () => {
    const schemaFields = new Set<string>();
    for (const type of Object.values(schema.getTypeMap())) {
      if (!isObjectType(type) || type.name.startsWith('__')) continue;
      for (const field of Object.keys(type.getFields())) schemaFields.add(`${type.name}.${field}`);
    }
    const tableFields = new Set(accessEntries().map((e) => `${e.type}.${e.field}`));
    expect([...schemaFields].filter((f) => !tableFields.has(f)).sort()).toEqual([]);
    expect([...tableFields].filter((f) => !schemaFields.has(f)).sort()).toEqual([]);
  });

  it('never lets a weaker role reach a type that holds data of a stronger one (TYPE_FLOORS)', () => {
    // the weakest role that can reach each type: over all paths from Query, the strictest rule on the path
    const reach = new Map<string, Role>([['Query', 'viewer']]);
    if (schema.getMutationType()) reach.set(schema.getMutationType()!.name, 'viewer');
    for (let changed = true; changed;) {
      changed = false;
      for (const [typeName, role] of [...reach]) {
        const type = schema.getType(typeName) as GraphQLObjectType;
        for (const field of Object.values(type.getFields())) {
          const next = getNamedType(field.type);
          if (!isObjectType(next)) continue;
          const via = strictest(role, ruleRange(ruleFor(typeName, field.name)!).least);
          const known = reach.get(next.name);
          if (known === undefined || (via !== known && roleAtLeast(known, via))) {
            reach.set(next.name, via);
            changed = true;
          }
        }
      }
    }
    const problems: string[] = [];
    for (const [type, floor] of Object.entries(TYPE_FLOORS)) {
      if (!schema.getType(type)) problems.push(`${type} is not in the schema`);
      const weakest = reach.get(type);
      if (weakest !== undefined && !roleAtLeast(weakest, floor)) problems.push(`${type} holds ${floor} data but a ${weakest} reaches it`);
    }
    expect(problems).toEqual([]);
    expect(reach.get('Worker')).toBe('analyst');
  });

  it('knows how to reach every object type for the walk', () => {
    const types = Object.values(schema.getTypeMap()).filter((t) => isObjectType(t) && !t.name.startsWith('__') && t.name !== 'Mutation').map((t) => t.name);
    expect(types.filter((t) => !REACH[t]).sort()).toEqual([]);
    for (const [type, reaches] of Object.entries(REACH)) for (const { steps } of reaches) expect(typeAfter(steps).name).toBe(type);
  });
});

describe('the role × operation walk over the demo data', () => {
  it('refuses every Query field without a principal: UNAUTHENTICATED at the field', async () => {
    const problems: string[] = [];
    for (const field of Object.values(schema.getQueryType()!.getFields())) {
      const { errors } = await run(`{ ${selection(schema.getQueryType()!, field)} }`, undefined);
      const got = (errors ?? []).map((e) => `${e.extensions.code} ${e.path?.join('.')}`);
      if (got.join() !== `UNAUTHENTICATED ${field.name}`) problems.push(`Query.${field.name}: ${got.join('; ') || 'answered'}`);
    }
    expect(problems).toEqual([]);
  });

  const types = Object.keys(ACCESS).filter((t) => t !== 'Mutation');
  it.each(types)('%s: every field × every role is answered or FORBIDDEN at its path', async (typeName) => {
    const type = schema.getType(typeName) as GraphQLObjectType;
    const fields = Object.entries(ACCESS[typeName as keyof typeof ACCESS] as Record<string, Rule>);
    const problems: string[] = [];
    const walkRole = async (role: Role, { steps, kind }: Reach) => {
      const principal = { actor: `walk-${role}`, role };
      const label = (field: string) => `${typeName}.${field}${kind ? ` (${kind})` : ''} as ${role}`;
      const allowed: string[] = [];
      for (const [field, rule] of fields) {
        const want = expected(steps, typeName, field, rule, kind, role);
        if (want === null) {
          allowed.push(field);
          continue;
        }
        // a refused field alone in its request: an error in a non-null field stops its siblings
        const query = `{ ${queryFor(steps, selection(type, type.getFields()[field]))} }`;
        const { errors } = await run(query, principal);
        const got = (errors ?? []).map((e) => `${e.extensions.code} ${(e.path ?? []).filter((p) => typeof p === 'string').join('.')}`);
        const wantText = `FORBIDDEN ${want.join('.')}`;
        if (got.length === 0 || got.some((g) => g !== wantText)) problems.push(`${label(field)}: expected ${wantText}, got ${got.join('; ') || 'an answer'}`);
      }
      if (allowed.length === 0) return;
      // the answered fields together, each of them present on every object reached
      const query = `{ ${queryFor(steps, allowed.map((f) => selection(type, type.getFields()[f])).join(' '))} }`;
      const { data, errors } = await run(query, principal);
      for (const e of errors ?? []) problems.push(`${label(String(e.path?.at(-1)))}: expected an answer, got ${e.extensions.code ?? ''} ${e.message} at ${e.path?.join('.')}`);
      const objects = reached(data, steps);
      if (objects.length === 0) problems.push(`${typeName} as ${role}: the walk reached no ${typeName} (${query})`);
      for (const f of allowed) if (!objects.every((o) => f in o)) problems.push(`${label(f)}: not answered (${query})`);
    };
    await Promise.all(REACH[typeName].flatMap((reach) => ROLES.map((role) => walkRole(role, reach))));
    expect(problems).toEqual([]);
  });

  it('walks Mutation fields: a role below the rule is FORBIDDEN before anything is written', async () => {
    const mutation = schema.getMutationType();
    const entries = accessEntries().filter((e) => e.type === (mutation?.name ?? 'Mutation'));
    if (!mutation) {
      expect(entries).toEqual([]);
      return;
    }
    const problems: string[] = [];
    for (const { field, rule } of entries) {
      const args = ARGS[`${mutation.name}.${field}`];
      const def = mutation.getFields()[field];
      if (def.args.some((a) => isNonNullType(a.type)) && !args) {
        problems.push(`Mutation.${field}: add valid arguments to ARGS in this test`);
        continue;
      }
      const sel = `${field}${args ? `(${args})` : ''}${isObjectType(getNamedType(def.type)) ? ' { __typename }' : ''}`;
      for (const role of ROLES.filter((role) => !roleAtLeast(role, ruleRange(rule).least))) {
        const { errors } = await run(`mutation { ${sel} }`, { actor: 'walk', role });
        const got = (errors ?? []).map((e) => `${e.extensions.code} ${e.path?.join('.')}`);
        if (got.join() !== `FORBIDDEN ${field}`) problems.push(`Mutation.${field} as ${role}: ${got.join('; ') || 'answered'}`);
      }
    }
    expect(problems).toEqual([]);
  });
});

describe('what the table means for people', () => {
  const as = (role: Role): Principal => ({ actor: role, role });

  it('an analyst sees testimony exists but not its content; an investigator reads it', async () => {
    const q = '{ evidences(first: 20) { edges { node { id kind title } } } }';
    const analyst = await run(q, as('analyst'));
    // EV-005 and EV-014 are testimony; title is non-null, so the first refusal nulls the list (GraphQL's rule)
    expect(analyst.errors!.length).toBeGreaterThan(0);
    for (const e of analyst.errors!) {
      expect(e.extensions.code).toBe('FORBIDDEN');
      expect(['evidences.edges.4.node.title', 'evidences.edges.13.node.title']).toContain(e.path!.join('.'));
    }
    const ids = await run('{ evidences(first: 20) { edges { node { id kind } } } }', as('analyst'));
    expect(ids.errors).toBeUndefined();
    const investigator = await run(q, as('investigator'));
    expect(investigator.errors).toBeUndefined();
    expect(JSON.stringify(investigator.data)).toContain('Former worker testimony');
  });

  it('worker names in trace paths are personal: analysts get FORBIDDEN at each worker node name, not at others', async () => {
    const q = '{ trace(itemId: "P-JACKET-01") { paths(first: 5) { edges { node { nodes { kind name } } } } } }';
    const analyst = await run(q, as('analyst'));
    expect(analyst.errors!.length).toBeGreaterThan(0);
    for (const e of analyst.errors!) {
      expect(e.extensions.code).toBe('FORBIDDEN');
      expect(e.path!.filter((p) => typeof p === 'string')).toEqual(['trace', 'paths', 'edges', 'node', 'nodes', 'name']);
    }
    const paths = (analyst.data as any).trace.paths.edges.map((e: any) => e.node.nodes);
    expect(paths.flat().filter((n: any) => n.kind === 'Factory').every((n: any) => typeof n.name === 'string')).toBe(true);
    expect(paths.flat().filter((n: any) => n.kind === 'Worker').every((n: any) => n.name === null)).toBe(true);
    expect((await run(q, as('investigator'))).errors).toBeUndefined();
  });

  it('a viewer gets exposure and counts, and FORBIDDEN exactly where it asks for more; the rest is answered', async () => {
    const counts = await run('{ trace(itemId: "P-JACKET-01") { exposure pathCount } }', as('viewer'));
    expect(counts).toEqual({ data: { trace: { exposure: 'DIRECT', pathCount: '3' } } });
    const { data, errors } = await run('{ screen(first: 1) { totalCount } item(id: "P-JACKET-01") { name evidence { id } } }', as('viewer'));
    expect(errors!.map((e) => [e.extensions.code, e.path])).toEqual([['FORBIDDEN', ['item', 'evidence']]]);
    expect(data).toEqual({ screen: { totalCount: expect.any(Number) }, item: null });
    const paths = await run('{ trace(itemId: "P-JACKET-01") { exposure paths(first: 1) { totalCount } } }', as('viewer'));
    expect(paths.errors!.map((e) => [e.extensions.code, e.path])).toEqual([['FORBIDDEN', ['trace', 'paths']]]);
  });
});
