import type { Neo4jClient } from '../db/neo4j-client';
import { EntityLoaders } from '../entity/entity.loaders';
import { EntityService } from '../entity/entity.service';
import type { TraceService } from '../trace/trace.service';

/** What every resolver gets: services shared by the server, loaders made fresh for each request. */
export interface Context {
  client: Neo4jClient;
  entities: EntityService;
  loaders: EntityLoaders;
  trace: TraceService;
}

export interface Services {
  client: Neo4jClient;
  entities: EntityService;
  trace: TraceService;
}

export function createContext(services: Services): Context {
  return { ...services, loaders: new EntityLoaders(services.entities) };
}
