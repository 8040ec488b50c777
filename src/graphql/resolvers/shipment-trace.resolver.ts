import { Authorized, Arg, Ctx, FieldResolver, Int, Query, Resolver, Root } from 'type-graphql';
import { access } from '../../auth/access.table';
import { shipmentAsOf } from '../../trace/trace.service';
import type { Context } from '../context';
import { decodeCursor, encodeCursor, pageSize } from '../cursor';
import { DateScalar } from '../scalars/date.scalar';
import type { Connection } from '../types/connection.type';
import { pageInfo } from '../types/page-info.type';
import { Shipment } from '../types/shipment.type';
import { ShipmentScreenConnection, ShipmentScreenResult } from '../types/shipment-screen.type';
import { Trace } from '../types/trace.type';
import { endpoint } from './relationship-fields';

/** A shipment's position in entry-date order, as its cursor says it. */
const position = (r: { entryDate: string; shipmentId: string }) => `${r.entryDate}|${r.shipmentId}`;

/** Tracing customs entries: one shipment, or every exposed one entered in a window. */
@Resolver(() => Shipment)
export class ShipmentTraceResolver {
  @FieldResolver(() => Trace, { description: 'the item traced with asOf = producedTo, else entryDate' })
  async trace(@Root() s: Shipment, @Ctx() ctx: Context): Promise<Trace> {
    const [link] = await ctx.loaders.links(s.id, 'SHIPMENT_OF', 'out');
    const result = link ? await ctx.trace.trace(link.target, shipmentAsOf(s), ctx.budget) : null;
    if (!result) throw new Error(`shipment '${s.id}' has no item to trace`);
    return new Trace(result);
  }

  @Authorized(access('Query', 'screenShipments'))
  @Query(() => ShipmentScreenConnection, {
    description: 'Shipments whose entryDate lies in [from, to] and whose exposure is not NONE, in entry-date order (then id)',
  })
  async screenShipments(
    @Ctx() ctx: Context,
    @Arg('from', () => DateScalar, { nullable: true }) from?: string,
    @Arg('to', () => DateScalar, { nullable: true }) to?: string,
    @Arg('first', () => Int, { nullable: true }) first?: number,
    @Arg('after', () => String, { nullable: true }) after?: string,
  ): Promise<Connection<ShipmentScreenResult>> {
    const requested = first === null || first === undefined ? null : pageSize(first);
    const afterPosition = decodeCursor('shipments', after);
    const rows = await ctx.trace.screenShipments(from, to, ctx.budget);
    const size = requested ?? rows.length;
    const start = afterPosition === null ? 0 : rows.findIndex((r) => position(r) > afterPosition);
    const begin = start === -1 ? rows.length : start;
    const page = rows.slice(begin, begin + size);
    const edges = page.map((r) => ({ cursor: encodeCursor('shipments', position(r)), node: new ShipmentScreenResult(r) }));
    return { totalCount: rows.length, edges, pageInfo: pageInfo(edges.map((e) => e.cursor), begin + size < rows.length, begin > 0) };
  }
}

@Resolver(() => ShipmentScreenResult)
export class ShipmentScreenResultResolver {
  @FieldResolver(() => Shipment)
  shipment(@Root() r: ShipmentScreenResult, @Ctx() ctx: Context) {
    return endpoint(ctx, r.row.shipmentId, Shipment);
  }
}
