import type { Direction } from '../../entity/entity.loaders';
import type { EntityRel } from '../../entity/entity.types';
import type { RelType } from '../../model/graph-model';
import type { Context } from '../context';
import type { Entity } from '../types/entity.type';
import { toObject } from '../types/entity.mapper';
import { Evidence } from '../types/evidence.type';

/** A node's relationships of one type and direction, as API relationship objects. */
export async function linksOf<T>(ctx: Context, id: string, type: RelType, direction: Direction, View: new (r: EntityRel) => T): Promise<T[]> {
  return (await ctx.loaders.links(id, type, direction)).map((r) => new View(r));
}

/** The node at one end of a relationship (batched and, usually, already primed). */
export async function endpoint<T extends Entity>(ctx: Context, id: string, Type: abstract new (...a: never[]) => T): Promise<T> {
  const node = toObject(await ctx.loaders.node.load(id), Type);
  if (!node) throw new Error(`relationship end '${id}' is missing or of an unexpected kind`);
  return node;
}

export async function evidenceFor(ctx: Context, ids: readonly string[]): Promise<Evidence[]> {
  return (await ctx.loaders.nodes(ids)).map((n) => toObject(n, Evidence)).filter((e): e is Evidence => e !== null);
}
