import { knownAtContext, type Context } from '../context';
import { decodeCursor, encodeCursor, pageSize } from '../cursor';
import { notFound } from '../errors';
import type { Collection, EntityFilter } from '../../entity/entity.service';
import { pageInfo } from '../types/page-info.type';
import type { Connection } from '../types/connection.type';
import type { Entity } from '../types/entity.type';
import { toObject } from '../types/entity.mapper';

type EntityClass<T extends Entity> = abstract new (...a: never[]) => T;

/** One entity by id, or null when there is none of that kind. */
export async function entityById<T extends Entity>(ctx: Context, id: string, Type: EntityClass<T>, knownAtMs?: number | null): Promise<T | null> {
  const c = await knownAtContext(ctx, knownAtMs);
  return toObject(await c.loaders.node.load(id), Type);
}

export async function requireEntity<T extends Entity>(ctx: Context, id: string, Type: EntityClass<T>, what: string, argumentName: string): Promise<T> {
  const found = await entityById(ctx, id, Type);
  if (!found) throw notFound(what, id, argumentName);
  return found;
}

/** One page of a collection as a Relay connection, in id order with keyset cursors. */
export async function entityConnection<T extends Entity>(
  ctx: Context, collection: Collection, Type: EntityClass<T>,
  filter: EntityFilter | null | undefined, first: number | null | undefined, after: string | null | undefined,
  knownAtMs?: number | null,
): Promise<Connection<T>> {
  const c = await knownAtContext(ctx, knownAtMs);
  const size = pageSize(first);
  const afterId = decodeCursor(collection, after);
  const normalized: EntityFilter = { ...(filter ?? {}) };
  if (normalized.country) normalized.country = normalized.country.toUpperCase();
  if (normalized.nationality) normalized.nationality = normalized.nationality.toUpperCase();
  const page = await c.entities.page(collection, normalized, size, afterId);
  for (const n of page.nodes) c.loaders.node.prime(n.id, n);
  const edges = page.nodes.map((n) => ({ cursor: encodeCursor(collection, n.id), node: toObject(n, Type)! }));
  return { totalCount: page.totalCount, edges, pageInfo: pageInfo(edges.map((e) => e.cursor), page.hasNextPage, afterId !== null) };
}
