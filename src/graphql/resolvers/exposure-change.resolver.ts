import { Arg, Authorized, Ctx, FieldResolver, Int, Query, Resolver, Root } from 'type-graphql';
import { access } from '../../auth/access.table';
import { at, type Context } from '../context';
import { decodeCursor, encodeCursor, pageSize } from '../cursor';
import { DateScalar } from '../scalars/date.scalar';
import { DateTimeScalar } from '../scalars/datetime.scalar';
import { ChangeSet } from '../types/change.type';
import type { Connection } from '../types/connection.type';
import { ExposureChange, ExposureChangeConnection } from '../types/exposure-change.type';
import { Item } from '../types/item.type';
import { pageInfo } from '../types/page-info.type';
import { endpoint } from './relationship-fields';

@Resolver(() => ExposureChange)
export class ExposureChangeResolver {
  @Authorized(access('Query', 'exposureChanges'))
  @Query(() => ExposureChangeConnection, {
    description: 'Products whose exposure or counts differ between the graph known at `since` and now (LISTS.md, "Re-screening"), in id order',
  })
  async exposureChanges(
    @Arg('since', () => DateTimeScalar) since: number,
    @Ctx() ctx: Context,
    @Arg('asOf', () => DateScalar, { nullable: true, description: 'the production day both screens are for; absent: no cut-off' }) asOf?: string,
    @Arg('first', () => Int, { nullable: true }) first?: number,
    @Arg('after', () => String, { nullable: true }) after?: string,
  ): Promise<Connection<ExposureChange>> {
    const size = pageSize(first);
    const afterId = decodeCursor('exposureChange', after);
    const all = await ctx.trace.exposureChanges(since, asOf, ctx.budget);
    const from = afterId === null ? 0 : all.findIndex((d) => d.itemId > afterId) < 0 ? all.length : all.findIndex((d) => d.itemId > afterId);
    const page = all.slice(from, from + size);
    const edges = page.map((d) => ({ cursor: encodeCursor('exposureChange', d.itemId), node: new ExposureChange(d) }));
    return { totalCount: all.length, edges, pageInfo: pageInfo(edges.map((e) => e.cursor), from + page.length < all.length, from > 0) };
  }

  @FieldResolver(() => Item, { description: 'the product; one retired since `since` as it was then' })
  async item(@Root() c: ExposureChange, @Ctx() ctx: Context) {
    const current = await ctx.loaders.node.load(c.itemId);
    return endpoint(current || c.sinceSeq === undefined ? ctx : await at(ctx, { seq: c.sinceSeq }), c.itemId, Item);
  }

  @Authorized(access('ExposureChange', 'causes'))
  @FieldResolver(() => [ChangeSet], { description: 'the change sets (data, list decisions) in between that touched what its paths can pass through, oldest first' })
  async causes(@Root() c: ExposureChange, @Ctx() ctx: Context): Promise<ChangeSet[]> {
    const sets = await ctx.trace.history.changeSetsBySeq(c.causeSeqs);
    return c.causeSeqs.flatMap((seq) => (sets.has(seq) ? [new ChangeSet(sets.get(seq)!)] : []));
  }
}
