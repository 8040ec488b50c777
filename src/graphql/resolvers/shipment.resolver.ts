import { Authorized, Arg, Ctx, FieldResolver, ID, Int, Query, Resolver, Root } from 'type-graphql';
import { access } from '../../auth/access.table';
import type { Context } from '../context';
import { Company } from '../types/company.type';
import { ConnectionType } from '../types/connection.type';
import { Evidence } from '../types/evidence.type';
import { Item } from '../types/item.type';
import { Shipment } from '../types/shipment.type';
import { entityById, entityConnection } from './entity-query';
import { endpoint, evidenceFor } from './relationship-fields';

const ShipmentConnection = ConnectionType('Shipment', Shipment);

@Resolver(() => Shipment)
export class ShipmentResolver {
  @Authorized(access('Query', 'shipment'))
  @Query(() => Shipment, { nullable: true, description: 'A customs entry by id' })
  shipment(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<Shipment | null> {
    return entityById(ctx, id, Shipment);
  }

  @Authorized(access('Query', 'shipments'))
  @Query(() => ShipmentConnection, { description: 'Customs entries in id order' })
  shipments(
    @Ctx() ctx: Context,
    @Arg('first', () => Int, { nullable: true }) first?: number,
    @Arg('after', () => String, { nullable: true }) after?: string,
  ) {
    return entityConnection(ctx, 'shipments', Shipment, null, first, after);
  }

  @FieldResolver(() => Item, { description: 'The item shipped' })
  async item(@Root() s: Shipment, @Ctx() ctx: Context) {
    const [link] = await ctx.loaders.links(s.id, 'SHIPMENT_OF', 'out');
    if (!link) throw new Error(`shipment '${s.id}' has no item`);
    return endpoint(ctx, link.target, Item);
  }

  @FieldResolver(() => Company, { nullable: true, description: 'The importer of record' })
  async importer(@Root() s: Shipment, @Ctx() ctx: Context) {
    const [link] = await ctx.loaders.links(s.id, 'IMPORTED_BY', 'out');
    return link ? endpoint(ctx, link.target, Company) : null;
  }

  @Authorized(access('Shipment', 'evidence'))
  @FieldResolver(() => [Evidence])
  evidence(@Root() s: Shipment, @Ctx() ctx: Context) {
    return evidenceFor(ctx, s.evidenceIds);
  }
}
