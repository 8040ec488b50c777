import { Ctx, FieldResolver, ID, Resolver, Root } from 'type-graphql';
import type { Context } from '../context';
import { GraphNode } from '../types/graph.type';

/** The node's own properties that tracing does not keep in memory, batched through the request's node loader. */
@Resolver(() => GraphNode)
export class GraphNodeResolver {
  @FieldResolver(() => String, {
    nullable: true,
    description: 'ISO 3166-1 alpha-2: the country of a factory, company or agency, the nationality of a worker; null for other kinds',
  })
  async country(@Root() n: GraphNode, @Ctx() ctx: Context): Promise<string | null> {
    const node = await ctx.loaders.node.load(n.id);
    const value = node?.kind === 'Worker' ? node.props.nationality : node?.props.country;
    return typeof value === 'string' ? value : null;
  }

  @FieldResolver(() => [ID], { description: "ids of the Evidence supporting the node itself (the row's evidence column)" })
  async evidenceIds(@Root() n: GraphNode, @Ctx() ctx: Context): Promise<string[]> {
    const node = await ctx.loaders.node.load(n.id);
    const value = node?.props.evidence;
    return Array.isArray(value) ? value : [];
  }
}
