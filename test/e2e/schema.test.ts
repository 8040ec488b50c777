import { readFileSync } from 'node:fs';
import path from 'node:path';
import { buildSchema, isEnumType, isObjectType, type GraphQLEnumType, type GraphQLObjectType } from 'graphql';
import { printSdl } from '../../src/graphql/schema';

describe('schema/schema.graphql', () => {
  it('is the SDL the code emits (run `npm run schema` after changing a type)', () => {
    const committed = readFileSync(path.join(__dirname, '..', '..', 'schema', 'schema.graphql'), 'utf8');
    expect(printSdl()).toBe(committed);
  });

  it('has the names and types API-CORE.md fixes', () => {
    const schema = buildSchema(printSdl());
    const typeOf = (type: string, field: string) => {
      const t = schema.getType(type) as GraphQLObjectType;
      const f = t.getFields()[field];
      return `${f.args.map((a) => `${a.name}:${a.type}${a.defaultValue !== undefined ? `=${a.defaultValue}` : ''}`).sort().join(',')}->${f.type}`;
    };
    // API-CORE.md, with CHANGES.md's knownAt
    expect(typeOf('Query', 'trace')).toBe('asOf:Date,itemId:ID!,knownAt:DateTime->Trace!');
    expect(typeOf('Query', 'screen')).toBe('after:String,asOf:Date,first:Int,knownAt:DateTime->ScreenConnection!');
    expect(typeOf('Trace', 'exposure')).toBe('->Exposure!');
    expect(typeOf('Trace', 'paths')).toBe('after:String,first:Int,possible:Boolean=false->TracePathConnection!');
    expect(typeOf('Trace', 'subgraph')).toMatch(/->Graph!$/);
    expect(typeOf('TracePath', 'nodes')).toBe('->[GraphNode!]!');
    expect(typeOf('TracePath', 'relationships')).toBe('->[GraphRelationship!]!');
    expect(typeOf('TracePath', 'rebutted')).toBe('->Boolean!');
    expect(typeOf('GraphNode', 'kind')).toBe('->String!');
    expect(typeOf('GraphRelationship', 'source')).toBe('->ID!');
    expect(typeOf('ScreenConnection', 'totalCount')).toBe('->Int!');
    expect(typeOf('ScreenResult', 'item')).toBe('->Item!');
    expect(typeOf('Item', 'name')).toBe('->String!');
    expect(typeOf('Trace', 'sourceCount')).toBe('->Int!');
    expect(typeOf('Trace', 'siteCount')).toBe('->Int!');
    expect(typeOf('Query', 'shipment')).toBe('id:ID!,knownAt:DateTime->Shipment');
    expect(typeOf('Query', 'screenShipments')).toBe('after:String,first:Int,from:Date,to:Date->ShipmentScreenConnection!');
    expect(typeOf('Shipment', 'trace')).toBe('->Trace!');
    expect(typeOf('Shipment', 'item')).toBe('->Item!');
    expect(typeOf('Shipment', 'importer')).toBe('->Company');
    expect(typeOf('Shipment', 'entryDate')).toBe('->Date');
    expect(typeOf('Shipment', 'producedTo')).toBe('->Date');
    expect(typeOf('ShipmentScreenResult', 'shipment')).toBe('->Shipment!');
    expect(typeOf('ShipmentScreenResult', 'exposure')).toBe('->Exposure!');
    expect(typeOf('GraphNode', 'id')).toBe('->ID!');
    expect(typeOf('GraphRelationship', 'id')).toBe('->ID!');
    expect(typeOf('GraphRelationship', 'type')).toBe('->String!');
    expect(typeOf('GraphRelationship', 'target')).toBe('->ID!');
  });

  /**
   * API-CORE.md's GraphQL block and CHANGES.md's, every type of them (Edge and PageInfo types, enums and GraphNode.id included): each
   * field must exist with exactly this type and these arguments (the API may add fields and optional arguments,
   * never rename or retype these), and each enum must have exactly these values. Item and Company are "at least".
   */
  const API_CORE = `
    scalar Date
    scalar BigInt
    enum Exposure { DIRECT POSSIBLE NONE }
    enum CountStatus { EXACT TOO_COMPLEX }
    type Query {
      trace(itemId: ID!, asOf: Date): Trace!
      screen(asOf: Date, first: Int, after: String): ScreenConnection!
      shipment(id: ID!): Shipment
      screenShipments(from: Date, to: Date, first: Int, after: String): ShipmentScreenConnection!
      changeSets(entityId: ID, since: DateTime, first: Int, after: String): ChangeSetConnection!
    }
    scalar DateTime
    type Mutation {
      applyChanges(input: ChangeSetInput!): ChangeSet!
      proposeRebuttal(input: RebuttalInput!): Rebuttal!
      decideRebuttal(id: ID!, decision: RebuttalDecision!, note: String): Rebuttal!
    }
    input ChangeSetInput { reason: String! }
    input RebuttalInput { relationshipId: ID! }
    type ChangeSetConnection { edges: [ChangeSetEdge!]! }
    type ChangeSetEdge { node: ChangeSet! }
    type ChangeSet { id: ID! at: DateTime! actor: String! reason: String! source: String! changes: [Change!]! }
    type Change { op: ChangeOp! entityId: ID! kind: String! before: String after: String }
    enum ChangeOp { ADD UPDATE RETIRE }
    enum RebuttalProng { NOT_PRESENT NOT_FORCED }
    enum RebuttalDecision { ACCEPTED REJECTED }
    enum RebuttalStatus { PROPOSED ACCEPTED REJECTED }
    type Evidence { id: ID! }
    type Rebuttal {
      id: ID! relationship: GraphRelationship! prong: RebuttalProng! status: RebuttalStatus! evidence: [Evidence!]!
      note: String proposedBy: String! proposedAt: DateTime! decidedBy: String decidedAt: DateTime
    }
    type Item { id: ID! name: String! }
    type Company { id: ID! }
    type Shipment {
      id: ID! entryNumber: String entryDate: Date producedFrom: Date producedTo: Date
      item: Item! importer: Company declaredOrigin: String trace: Trace!
    }
    type Trace {
      item: Item! exposure: Exposure! countStatus: CountStatus! pathCount: BigInt possiblePathCount: BigInt
      openPathCount: BigInt sourceCount: Int! siteCount: Int!
      paths(first: Int, after: String, possible: Boolean = false): TracePathConnection!
      subgraph: Graph!
    }
    type PageInfo { hasNextPage: Boolean! endCursor: String }
    type TracePathConnection { totalCount: BigInt edges: [TracePathEdge!]! pageInfo: PageInfo! }
    type TracePathEdge { cursor: String! node: TracePath! }
    type TracePath { nodes: [GraphNode!]! relationships: [GraphRelationship!]! rebutted: Boolean! }
    type Graph { nodes: [GraphNode!]! relationships: [GraphRelationship!]! }
    type GraphNode { id: ID! kind: String! name: String }
    type GraphRelationship { id: ID! type: String! source: ID! target: ID! rebuttals: [Rebuttal!]! }
    type ScreenConnection { totalCount: Int! edges: [ScreenEdge!]! pageInfo: PageInfo! }
    type ScreenEdge { cursor: String! node: ScreenResult! }
    type ScreenResult { item: Item! exposure: Exposure! countStatus: CountStatus! pathCount: BigInt possiblePathCount: BigInt }
    type ShipmentScreenConnection { edges: [ShipmentScreenEdge!]! pageInfo: PageInfo! }
    type ShipmentScreenEdge { node: ShipmentScreenResult! }
    type ShipmentScreenResult { shipment: Shipment! exposure: Exposure! pathCount: BigInt possiblePathCount: BigInt }
  `;
  const spec = buildSchema(API_CORE);
  const real = buildSchema(printSdl());
  const specTypes = Object.values(spec.getTypeMap()).filter((t) => !t.name.startsWith('__') && (isObjectType(t) || isEnumType(t)));

  it('covers every type of the API-CORE block', () => {
    expect(specTypes.map((t) => t.name).sort()).toEqual(expect.arrayContaining(['PageInfo', 'ScreenEdge', 'TracePathEdge', 'Exposure', 'CountStatus', 'GraphNode']));
  });

  it.each(specTypes.filter(isEnumType).map((t) => [t.name, t] as const))('enum %s has exactly the values API-CORE.md names', (name, t) => {
    const r = real.getType(name);
    expect(r && isEnumType(r)).toBe(true);
    expect((r as GraphQLEnumType).getValues().map((v) => v.name).sort()).toEqual((t as GraphQLEnumType).getValues().map((v) => v.name).sort());
  });

  const signature = (f: ReturnType<GraphQLObjectType['getFields']>[string]) =>
    `${f.args.map((a) => `${a.name}:${a.type}${a.defaultValue !== undefined ? `=${a.defaultValue}` : ''}`).sort().join(',')}->${f.type}`;
  const fieldRows = specTypes.filter(isObjectType).flatMap((t) => Object.values(t.getFields()).map((f) => [`${t.name}.${f.name}`, signature(f)] as const));

  it.each(fieldRows)('%s is %s', (where, want) => {
    const [typeName, fieldName] = where.split('.');
    const t = real.getType(typeName);
    expect(t && isObjectType(t)).toBe(true);
    const f = (t as GraphQLObjectType).getFields()[fieldName];
    expect(f).toBeDefined();
    // arguments the API adds beyond the contract must be optional; the contract's own must match exactly
    const contractArgs = new Set((spec.getType(typeName) as GraphQLObjectType).getFields()[fieldName].args.map((a) => a.name));
    const extra = f.args.filter((a) => !contractArgs.has(a.name));
    for (const a of extra) expect([where, a.name, String(a.type).endsWith('!') && a.defaultValue === undefined]).toEqual([where, a.name, false]);
    expect(signature({ ...f, args: f.args.filter((a) => contractArgs.has(a.name)) })).toBe(want);
  });
});

