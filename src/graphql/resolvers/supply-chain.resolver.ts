import { Authorized, Arg, Ctx, ID, Int, Query, Resolver, registerEnumType } from 'type-graphql';
import { access } from '../../auth/access.table';
import { SupplyChainService } from '../../trace/supply-chain.service';
import { DateTimeScalar } from '../scalars/datetime.scalar';
import type { Context } from '../context';
import { badInput, notFound } from '../errors';
import { Graph, toGraph } from '../types/graph.type';
import { toObject } from '../types/entity.mapper';
import { Item } from '../types/item.type';

export enum SupplyDirection {
  UPSTREAM = 'UPSTREAM',
  DOWNSTREAM = 'DOWNSTREAM',
}
registerEnumType(SupplyDirection, { name: 'SupplyDirection', description: 'UPSTREAM: suppliers, their suppliers, ...; DOWNSTREAM: customers' });

const MAX_TIERS = 50;

@Resolver()
export class SupplyChainResolver {
  @Authorized(access('Query', 'supplyChain'))
  @Query(() => Graph, { description: 'The n-tier supplier map around a company: companies and SUPPLIES relationships' })
  async supplyChain(
    @Arg('companyId', () => ID) companyId: string,
    @Ctx() ctx: Context,
    @Arg('direction', () => SupplyDirection, { defaultValue: SupplyDirection.UPSTREAM }) direction: SupplyDirection,
    @Arg('maxTiers', () => Int, { defaultValue: 10 }) maxTiers: number,
    @Arg('knownAt', () => DateTimeScalar, { nullable: true, description: 'as recorded at this instant (CHANGES.md); absent: now' }) knownAt?: number,
  ): Promise<Graph> {
    if (maxTiers < 1 || maxTiers > MAX_TIERS) throw badInput(`must be between 1 and ${MAX_TIERS}`, 'maxTiers');
    const recorded = await ctx.trace.recordedSnapshot(knownAt);
    const graph = recorded
      ? SupplyChainService.supplyChainIn(recorded.graph, companyId, direction, maxTiers)
      : await new SupplyChainService(ctx.client).supplyChain(companyId, direction, maxTiers);
    if (!graph) throw notFound('company', companyId, 'companyId');
    return toGraph(graph, [...graph.nodes.keys()].sort(), graph.rows());
  }

  @Authorized(access('Query', 'whereUsed'))
  @Query(() => [Item], { description: 'Every item and product that contains this item, directly or through sub-assemblies, in id order' })
  async whereUsed(
    @Arg('itemId', () => ID) itemId: string,
    @Ctx() ctx: Context,
    @Arg('knownAt', () => DateTimeScalar, { nullable: true, description: 'as recorded at this instant (CHANGES.md); absent: now' }) knownAt?: number,
  ): Promise<Item[]> {
    const seq = knownAt === undefined || knownAt === null ? null : await ctx.trace.recordedSeq(knownAt);
    const nodes = seq === null
      ? await new SupplyChainService(ctx.client).whereUsed(itemId)
      : SupplyChainService.whereUsedIn(await ctx.trace.history.recordedGraph(seq), itemId);
    if (!nodes) throw notFound('item', itemId, 'itemId');
    return nodes.map((n) => toObject(n, Item)!);
  }
}
