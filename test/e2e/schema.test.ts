import { readFileSync } from 'node:fs';
import path from 'node:path';
import { buildSchema, type GraphQLObjectType } from 'graphql';
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
    expect(typeOf('Query', 'trace')).toBe('asOf:Date,itemId:ID!->Trace!');
    expect(typeOf('Query', 'screen')).toBe('after:String,asOf:Date,first:Int->ScreenConnection!');
    expect(typeOf('Trace', 'pathCount')).toBe('->BigInt!');
    expect(typeOf('Trace', 'possiblePathCount')).toBe('->BigInt!');
    expect(typeOf('Trace', 'openPathCount')).toBe('->BigInt!');
    expect(typeOf('Trace', 'exposure')).toBe('->Exposure!');
    expect(typeOf('Trace', 'paths')).toBe('after:String,first:Int,possible:Boolean=false->TracePathConnection!');
    expect(typeOf('Trace', 'subgraph')).toMatch(/->Graph!$/);
    expect(typeOf('TracePathConnection', 'totalCount')).toBe('->BigInt!');
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
    expect(typeOf('Query', 'shipment')).toBe('id:ID!->Shipment');
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
});
