import { GraphQLError } from 'graphql';
import { Arg, Authorized, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { access } from '../../auth/access.table';
import { MatchDecisionError, decideMatch, listMatchesPage } from '../../lists/list.store';
import { isSource } from '../../trace/engine/taint-graph';
import type { Context } from '../context';
import { decodeCursor, encodeCursor, pageSize } from '../cursor';
import { GraphNode } from '../types/graph.type';
import { ListMatch, ListMatchConnection, Listing, MatchDecision, MatchStatus } from '../types/list-match.type';
import { pageInfo } from '../types/page-info.type';
import type { Connection } from '../types/connection.type';

@Resolver(() => ListMatch)
export class ListMatchResolver {
  @Authorized(access('Query', 'listMatches'))
  @Query(() => ListMatchConnection, { description: 'The list match candidates, in id order: the review queue (PENDING), or the decided ones' })
  async listMatches(
    @Ctx() ctx: Context,
    @Arg('status', () => MatchStatus, { nullable: true, defaultValue: MatchStatus.PENDING, description: 'null: every status' }) status: MatchStatus | null,
    @Arg('first', () => Int, { nullable: true }) first?: number,
    @Arg('after', () => String, { nullable: true }) after?: string,
  ): Promise<Connection<ListMatch>> {
    const size = pageSize(first);
    const afterId = decodeCursor('listMatch', after);
    const page = await listMatchesPage(ctx.client, status ?? null, size, afterId);
    const edges = page.matches.map((m) => ({ cursor: encodeCursor('listMatch', m.id), node: new ListMatch(m) }));
    return { totalCount: page.total, edges, pageInfo: pageInfo(edges.map((e) => e.cursor), page.hasNextPage, afterId !== null) };
  }

  @Authorized(access('Mutation', 'decideMatch'))
  @Mutation(() => ListMatch, { description: 'Confirms or rejects a pending list match, as a change set of its own (CHANGES.md)' })
  async decideMatch(
    @Arg('id', () => ID) id: string,
    @Arg('decision', () => MatchDecision) decision: MatchDecision,
    @Ctx() ctx: Context,
    @Arg('note', () => String, { nullable: true }) note?: string,
  ): Promise<ListMatch> {
    try {
      const verb = decision === MatchDecision.CONFIRMED ? 'confirm' : 'reject';
      const { match } = await decideMatch(ctx.client, { actor: ctx.principal.actor, reason: `${verb} list match ${id}`, source: 'api' }, id, decision, note ?? null);
      return new ListMatch(match);
    } catch (e) {
      if (e instanceof MatchDecisionError) throw new GraphQLError(e.message, { extensions: { code: e.code, field: e.field } });
      throw e;
    }
  }

  @FieldResolver(() => GraphNode, { description: 'the company, labor agency or factory of the graph' })
  async entity(@Root() m: ListMatch, @Ctx() ctx: Context): Promise<GraphNode> {
    const node = await ctx.loaders.node.load(m.entityId);
    const kind = node?.kind ?? 'Unknown';
    const text = (v: unknown) => (typeof v === 'string' ? v : null);
    const byRow = node !== undefined && node !== null && isSource({
      id: node.id, kind: node.kind, nationality: text(node.props.nationality), country: text(node.props.country), dprkLinked: node.props.dprk_linked === true,
    });
    // as the trace loaders see it: a confirmed DPRK match makes an agency a source too
    const byList = kind === 'LaborAgency' && (await ctx.listings.load(m.entityId)).some((l) => l.dprk);
    return Object.assign(new GraphNode(), {
      id: m.entityId, kind, name: text(node?.props.name), source: byRow || byList, traced: false,
    });
  }
}

@Resolver(() => GraphNode)
export class GraphNodeListingsResolver {
  @Authorized(access('GraphNode', 'listings'))
  @FieldResolver(() => [Listing], { description: 'the list entries a person confirmed this node to be (LISTS.md)' })
  async listings(@Root() n: GraphNode, @Ctx() ctx: Context): Promise<Listing[]> {
    const matches = n.seq === undefined ? await ctx.listings.load(n.id) : (await ctx.trace.history.recordedGraph(n.seq)).listingsOf(n.id);
    return matches.map((m) => new Listing(m));
  }
}
