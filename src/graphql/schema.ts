import 'reflect-metadata';
import { lexicographicSortSchema, printSchema, type GraphQLSchema } from 'graphql';
import { buildSchemaSync, type NonEmptyArray } from 'type-graphql';
import { authChecker } from '../auth/auth-checker';
import { CompanyResolver } from './resolvers/company.resolver';
import { EvidenceResolver } from './resolvers/evidence.resolver';
import { FactoryResolver } from './resolvers/factory.resolver';
import { GraphNodeResolver } from './resolvers/graph-node.resolver';
import { ItemResolver } from './resolvers/item.resolver';
import { LaborAgencyResolver } from './resolvers/labor-agency.resolver';
import { ShipmentResolver } from './resolvers/shipment.resolver';
import { ShipmentScreenResultResolver, ShipmentTraceResolver } from './resolvers/shipment-trace.resolver';
import * as relationshipResolvers from './resolvers/relationship.resolvers';
import { ImpactResolver, ImpactResultResolver, ScreenResultResolver, TraceResolver } from './resolvers/trace.resolver';
import { SupplyChainResolver } from './resolvers/supply-chain.resolver';
import { WorkerResolver } from './resolvers/worker.resolver';
import { ChangeResolver } from './resolvers/change.resolver';
import { HISTORY_RESOLVERS } from './resolvers/history.resolver';
import { GraphRelationshipRebuttalResolver, RebuttalResolver } from './resolvers/rebuttal.resolver';
import { GraphNodeListingsResolver, ListMatchResolver } from './resolvers/list-match.resolver';
import { ExposureChangeResolver } from './resolvers/exposure-change.resolver';

export const RESOLVERS = [
  ItemResolver, FactoryResolver, CompanyResolver, LaborAgencyResolver, WorkerResolver, EvidenceResolver, ShipmentResolver,
  TraceResolver, ScreenResultResolver, ImpactResolver, ImpactResultResolver, SupplyChainResolver, GraphNodeResolver,
  ShipmentTraceResolver, ShipmentScreenResultResolver, ChangeResolver, RebuttalResolver, GraphRelationshipRebuttalResolver,
  ListMatchResolver, GraphNodeListingsResolver, ExposureChangeResolver,
  ...HISTORY_RESOLVERS,
  ...Object.values(relationshipResolvers),
] as unknown as NonEmptyArray<Function>;

let schema: GraphQLSchema | undefined;

/** The executable schema, built once from the resolver classes; @Authorized fields go through the access table (src/auth). */
export function graphqlSchema(): GraphQLSchema {
  schema ??= buildSchemaSync({ resolvers: RESOLVERS, validate: false, emitSchemaFile: false, authChecker, authMode: 'error' });
  return schema;
}

/** The SDL committed as schema/schema.graphql. */
export function printSdl(): string {
  return printSchema(lexicographicSortSchema(graphqlSchema())) + '\n';
}
