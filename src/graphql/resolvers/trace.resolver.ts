import { GraphQLError } from 'graphql';
import { Authorized, Arg, Ctx, FieldResolver, ID, Int, Query, Resolver, Root } from 'type-graphql';
import { access } from '../../auth/access.table';
import type { PathKind } from '../../trace/engine/counts';
import { NoSuchPathError } from '../../trace/engine/path-listing';
import type { TracedPath } from '../../trace/engine/path-numbering';
import { at, type Context } from '../context';
import { decodeCursor, encodeCursor, pageSize } from '../cursor';
import { badInput, notFound } from '../errors';
import { DateTimeScalar } from '../scalars/datetime.scalar';
import { DateScalar } from '../scalars/date.scalar';
import { Graph, graphNode, graphRelationship, toGraph } from '../types/graph.type';
import { Impact, ImpactResult } from '../types/impact.type';
import { Item } from '../types/item.type';
import { pageInfo } from '../types/page-info.type';
import { ScreenConnection, ScreenResult } from '../types/screen.type';
import { Trace, TracePath, TracePathConnection } from '../types/trace.type';
import type { Connection } from '../types/connection.type';
import { endpoint } from './relationship-fields';

/**
 * A path cursor is "<graph version>:<path number>" (API-CORE.md), or "<graph version>:<the path's node ids as JSON>"
 * where the item's paths have no count (TOO_COMPLEX: listed by walking, resumed after the path itself). Numbers are
 * positions in an order that a change set can change, and a path may be gone, so a cursor issued on another graph
 * version is refused with STALE_CURSOR rather than silently pointing at another path.
 */
type PathPosition = { index: bigint } | { nodes: string[] } | null;

function pathPosition(kind: PathKind, after: string | null | undefined, versionTag: string): PathPosition {
  const text = decodeCursor(`path.${kind}`, after);
  if (text === null) return null;
  const colon = text.indexOf(':');
  const [version, rest] = colon < 0 ? [null, ''] : [text.slice(0, colon), text.slice(colon + 1)];
  let position: PathPosition = null;
  if (/^\d+$/.test(rest)) position = { index: BigInt(rest) };
  else if (rest.startsWith('[')) {
    let nodes: unknown = null;
    try {
      nodes = JSON.parse(rest);
    } catch {
      // not a path: refused below
    }
    if (Array.isArray(nodes) && nodes.length > 0 && nodes.every((n) => typeof n === 'string')) position = { nodes };
  }
  if (version === null || position === null) throw badInput('not a cursor of this list', 'after');
  if (version !== versionTag) {
    throw new GraphQLError('this cursor was issued on another version of the graph (a change set was recorded since): start again without `after`', {
      extensions: { code: 'STALE_CURSOR', argumentName: 'after' },
    });
  }
  return position;
}

const pathCursor = (kind: PathKind, versionTag: string, at: bigint | string[]) =>
  encodeCursor(`path.${kind}`, `${versionTag}:${typeof at === 'bigint' ? at : JSON.stringify(at)}`);

/** Index of the first row whose id sorts after `id` (rows are in id order). */
function firstAfter(rows: readonly { itemId: string }[], id: string): number {
  let lo = 0;
  let hi = rows.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (rows[mid].itemId <= id) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Both kinds when `possible` is absent; otherwise one. */
function pathKinds(possible: boolean | null | undefined): PathKind[] {
  return possible === undefined || possible === null ? ['direct', 'possible'] : possible ? ['possible'] : ['direct'];
}

@Resolver(() => Trace)
export class TraceResolver {
  @Authorized(access('Query', 'trace'))
  @Query(() => Trace, { description: 'By which paths DPRK labor could have touched this item (product or component)' })
  async trace(
    @Arg('itemId', () => ID) itemId: string,
    @Ctx() ctx: Context,
    @Arg('asOf', () => DateScalar, { nullable: true, description: 'latest day the goods could have been made' }) asOf?: string,
    @Arg('knownAt', () => DateTimeScalar, { nullable: true, description: 'the graph as recorded at this instant (CHANGES.md); absent: now' }) knownAt?: number,
  ): Promise<Trace> {
    const result = await ctx.trace.trace(itemId, asOf, ctx.budget, knownAt);
    if (!result) throw notFound('item', itemId, 'itemId');
    return Object.assign(new Trace(result), { seq: result.recordedSeq });
  }

  @FieldResolver(() => Item)
  async item(@Root() t: Trace, @Ctx() ctx: Context) {
    return endpoint(await at(ctx, t), t.result.itemId, Item);
  }

  @Authorized(access('Trace', 'paths'))
  @FieldResolver(() => TracePathConnection, { description: 'the paths in a stable order, paged by cursor' })
  paths(
    @Root() t: Trace,
    @Arg('first', () => Int, { nullable: true }) first?: number,
    @Arg('after', () => String, { nullable: true }) after?: string,
    @Arg('possible', () => Boolean, { nullable: true, defaultValue: false, description: 'list possible paths instead of direct ones' }) possible?: boolean,
  ): Connection<TracePath, bigint | null> {
    const kind: PathKind = possible ? 'possible' : 'direct';
    const size = pageSize(first);
    const position = pathPosition(kind, after, t.result.versionTag);
    const graph = t.result.graph;
    const toNode = (p: TracedPath) => Object.assign(new TracePath(), {
      nodes: p.nodes.map((id) => graphNode(graph, id, t.result.itemId, t.seq)),
      // rebutted as on this path: for the traced item (a rebuttal scoped to it counts)
      relationships: p.hops.flatMap((h) => h.rows.map((r) => graphRelationship(r, t.result.itemId))),
      rebutted: p.rebutted,
    });
    if (t.result.counts === null || (position !== null && 'nodes' in position)) {
      // no count to descend with (or a cursor that is a path): walk the paths in the same order
      let listed: ReturnType<typeof t.result.listPaths>;
      try {
        listed = t.result.listPaths(kind, size, position && 'nodes' in position ? position.nodes : null, position && 'index' in position ? position.index + 1n : 0n);
      } catch (e) {
        if (e instanceof NoSuchPathError) throw badInput('not a path of this list', 'after');
        throw e;
      }
      const edges = listed.paths.map((p) => ({ cursor: pathCursor(kind, t.result.versionTag, p.nodes), node: toNode(p) }));
      return { totalCount: t.result.counts?.[kind].all ?? null, edges, pageInfo: pageInfo(edges.map((e) => e.cursor), listed.more, position !== null) };
    }
    const total = t.result.total(kind);
    const start = (position?.index ?? -1n) + 1n;
    const end = start + BigInt(size) < total ? start + BigInt(size) : total;
    const edges = [];
    for (let i = start; i < end; i++) edges.push({ cursor: pathCursor(kind, t.result.versionTag, i), node: toNode(t.result.path(kind, i)) });
    return { totalCount: total, edges, pageInfo: pageInfo(edges.map((e) => e.cursor), end < total, start > 0n) };
  }

  @Authorized(access('Trace', 'subgraph'))
  @FieldResolver(() => Graph, { description: 'union of the nodes and relationships of all paths, direct and possible' })
  subgraph(
    @Root() t: Trace,
    @Arg('possible', () => Boolean, { nullable: true, description: 'true: possible paths only; false: direct paths only; absent: both' }) possible?: boolean,
  ): Graph {
    const s = t.result.subgraph(pathKinds(possible));
    return toGraph(t.result.graph, s.nodes, s.rows, t.result.itemId, t.seq);
  }

  @FieldResolver(() => Int, { description: 'distinct DPRK sources (workers, agencies, factories in the DPRK) that start a direct path' })
  sourceCount(@Root() t: Trace): number {
    return t.result.laborFacts().sources.length;
  }

  @FieldResolver(() => Int, { description: 'distinct factories where the labor segment of a direct path ends: where DPRK labor worked' })
  siteCount(@Root() t: Trace): number {
    return t.result.laborFacts().sites.length;
  }

  @Authorized(access('Query', 'screen'))
  @Query(() => ScreenConnection, { description: 'Every Product whose exposure is not NONE, in id order' })
  async screen(
    @Ctx() ctx: Context,
    @Arg('asOf', () => DateScalar, { nullable: true }) asOf?: string,
    @Arg('first', () => Int, { nullable: true }) first?: number,
    @Arg('after', () => String, { nullable: true }) after?: string,
    @Arg('knownAt', () => DateTimeScalar, { nullable: true, description: 'the graph as recorded at this instant (CHANGES.md); absent: now' }) knownAt?: number,
  ): Promise<Connection<ScreenResult>> {
    const requested = first === null || first === undefined ? null : pageSize(first);
    const afterId = decodeCursor('screen', after);
    const rows = await ctx.trace.screen(asOf, ctx.budget, knownAt);
    // Without `first`, the whole list: it is bounded by the catalogue and scripts compare it whole.
    const size = requested ?? rows.length;
    const from = afterId === null ? 0 : firstAfter(rows, afterId);
    const page = rows.slice(from, from + size);
    const edges = page.map((r) => ({ cursor: encodeCursor('screen', r.itemId), node: new ScreenResult(r) }));
    return {
      totalCount: rows.length,
      edges,
      pageInfo: pageInfo(edges.map((e) => e.cursor), from + size < rows.length, from > 0),
    };
  }

  @Authorized(access('Query', 'impact'))
  @Query(() => Impact, { description: 'Which items a node (factory, worker cohort, agency, company, item) could have touched' })
  async impact(
    @Arg('nodeId', () => ID) nodeId: string,
    @Ctx() ctx: Context,
    @Arg('asOf', () => DateScalar, { nullable: true }) asOf?: string,
    @Arg('knownAt', () => DateTimeScalar, { nullable: true, description: 'the graph as recorded at this instant (CHANGES.md); absent: now' }) knownAt?: number,
  ): Promise<Impact> {
    const result = await ctx.trace.impact(nodeId, asOf, ctx.budget, knownAt);
    if (!result) throw notFound('node', nodeId, 'nodeId');
    const kindOf = (id: string) => result.graph.kindOf(id);
    return Object.assign(new Impact(), {
      node: graphNode(result.graph, nodeId, nodeId, result.recordedSeq),
      products: result.rows.filter((r) => kindOf(r.itemId) === 'Product').map((r) => Object.assign(new ImpactResult(r), { seq: result.recordedSeq })),
      components: result.rows.filter((r) => kindOf(r.itemId) === 'Component').map((r) => Object.assign(new ImpactResult(r), { seq: result.recordedSeq })),
      traced: { nodeId, through: result.through, graph: result.graph, engine: result.engine, without: result.without, recordedSeq: result.recordedSeq },
    });
  }
}

@Resolver(() => ScreenResult)
export class ScreenResultResolver {
  @FieldResolver(() => Item)
  async item(@Root() r: ScreenResult, @Ctx() ctx: Context) {
    return endpoint(await at(ctx, r), r.itemId, Item);
  }

  @FieldResolver(() => Int, { description: 'as Trace.sourceCount; computed per row only when asked for' })
  sourceCount(@Root() r: ScreenResult): number {
    return r.row.engine.laborFacts(r.itemId).sources.length;
  }

  @FieldResolver(() => Int, { description: 'as Trace.siteCount; computed per row only when asked for' })
  siteCount(@Root() r: ScreenResult): number {
    return r.row.engine.laborFacts(r.itemId).sites.length;
  }
}

@Resolver(() => Impact)
export class ImpactResolver {
  @FieldResolver(() => Graph, { description: 'union of the nodes and relationships of the paths to products that pass through the node' })
  subgraph(
    @Root() impact: Impact,
    @Arg('possible', () => Boolean, { nullable: true, description: 'true: possible paths only; false: direct paths only; absent: both' }) possible?: boolean,
  ): Graph {
    const { nodeId, through, graph, engine, without, recordedSeq } = impact.traced;
    const s = engine.subgraphThrough(through, without, pathKinds(possible));
    return toGraph(graph, s.nodes, s.rows, nodeId, recordedSeq);
  }
}

@Resolver(() => ImpactResult)
export class ImpactResultResolver {
  @FieldResolver(() => Item)
  async item(@Root() r: ImpactResult, @Ctx() ctx: Context) {
    return endpoint(await at(ctx, r), r.itemId, Item);
  }
}
