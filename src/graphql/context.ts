import DataLoader from 'dataloader';
import type { ChangeSetRecord } from '../changes/history.service';
import { rebuttalsOf, type RebuttalRecord } from '../changes/rebuttal.store';
import { confirmedMatches, type ListMatchRecord } from '../lists/list.store';
import { LOCAL_PRINCIPAL, type Authenticator, type Principal } from '../auth/principal';
import type { Neo4jClient } from '../db/neo4j-client';
import { EntityLoaders } from '../entity/entity.loaders';
import type { EntityReader, EntityService } from '../entity/entity.service';
import type { WorkBudget } from '../trace/engine/work-budget';
import type { TraceService } from '../trace/trace.service';

/** What the request log and the metrics record of one request; the server's plugins fill it in. */
export interface RequestRecord {
  /** The operation's name once resolved; undefined when the request never got that far. */
  operationName?: string;
  /** 'ok', or the `extensions.code` of the first error. */
  outcome?: string;
  actor?: string;
}

/** What every resolver gets: services shared by the server, the caller and loaders made fresh for each request. */
export interface Context {
  client: Neo4jClient;
  entities: EntityReader;
  loaders: EntityLoaders;
  trace: TraceService;
  /** Who is asking (ACCESS.md): local mode's admin, or the key's or JWT's actor and role. */
  principal: Principal;
  /** The request's deadline (epoch ms); Neo4j transactions and resolver steps stop there with TIMEOUT. */
  deadline: number;
  request: RequestRecord;
  /** The tracing work this request may do, shared by every trace, screen and impact it asks for. */
  budget: WorkBudget;
  /** Every rebuttal of a relationship, any status, by relationship id (batched per request). */
  rebuttals: DataLoader<string, RebuttalRecord[]>;
  /** The change sets that changed an entity, oldest first, by entity id (batched per request). */
  histories: DataLoader<string, ChangeSetRecord[]>;
  /** The confirmed list matches of a node, by its id (GraphNode.listings; batched per request). */
  listings: DataLoader<string, ListMatchRecord[]>;
  /** Loaders over the graph as recorded up to a change set (knownAt), made on first use in this request. */
  recordedLoaders: Map<number, Promise<EntityLoaders>>;
}

/**
 * The context to resolve a field of `root` in: objects read at a knowledge time carry the change set they were
 * recorded up to (`seq`), and everything below them is read from the graph as recorded then.
 */
export async function at(ctx: Context, root: { seq?: number } | null | undefined): Promise<Context> {
  const seq = root?.seq;
  return seq === undefined ? ctx : { ...ctx, loaders: await loadersAt(ctx, seq) };
}

export function loadersAt(ctx: Context, seq: number): Promise<EntityLoaders> {
  let found = ctx.recordedLoaders.get(seq);
  if (!found) {
    found = ctx.trace.history.recordedGraph(seq).then((g) => new EntityLoaders(g));
    ctx.recordedLoaders.set(seq, found);
  }
  return found;
}

/** The context for a query with `knownAt` (epoch ms): the recorded graph's loaders, or ctx itself when that is now. */
export async function knownAtContext(ctx: Context, knownAtMs: number | null | undefined): Promise<Context> {
  const seq = await ctx.trace.recordedSeq(knownAtMs);
  return seq === null ? ctx : { ...ctx, loaders: await loadersAt(ctx, seq), entities: await ctx.trace.history.recordedGraph(seq) };
}

export interface Services {
  client: Neo4jClient;
  entities: EntityService;
  trace: TraceService;
  authenticator: Authenticator;
}

/** Every request is local mode's admin: for tests and callers without credentials configured. */
export function localAuthenticator(): Authenticator {
  return {
    localMode: async () => true,
    authenticate: async () => LOCAL_PRINCIPAL,
  };
}

export function createContext(
  services: Omit<Services, 'authenticator'>,
  principal: Principal = LOCAL_PRINCIPAL,
  deadline = Number.POSITIVE_INFINITY,
  request: RequestRecord = {},
): Context {
  return {
    client: services.client, entities: services.entities, trace: services.trace,
    loaders: new EntityLoaders(services.entities), principal, deadline, request, budget: services.trace.newBudget(),
    rebuttals: new DataLoader(async (ids) => {
      const found = await rebuttalsOf(services.client, ids);
      return ids.map((id) => found.get(id) ?? []);
    }),
    recordedLoaders: new Map(),
    histories: new DataLoader(async (ids) => {
      const found = await services.trace.history.histories(ids);
      return ids.map((id) => found.get(id) ?? []);
    }),
    listings: new DataLoader(async (ids) => {
      const found = await confirmedMatches(services.client, ids);
      return ids.map((id) => found.get(id) ?? []);
    }),
  };
}
