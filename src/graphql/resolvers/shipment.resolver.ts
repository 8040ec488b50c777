import { Authorized, Arg, Ctx, FieldResolver, ID, Int, Query, Resolver, Root } from 'type-graphql';
import { access } from '../../auth/access.table';
import { DateTimeScalar } from '../scalars/datetime.scalar';
import { at, type Context } from '../context';
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
  shipment(@Arg('id', () => ID) id: string, @Ctx() ctx: Context, @Arg('knownAt', () => DateTimeScalar, { nullable: true, description: 'as recorded at this instant (CHANGES.md); absent: now' }) knownAt?: number): Promise<Shipment | null> {
    return entityById(ctx, id, Shipment, knownAt);
  }

  @Authorized(access('Query', 'shipments'))
  @Query(() => ShipmentConnection, { description: 'Customs entries in id order' })
  shipments(
    @Ctx() ctx: Context,
    @Arg('first', () => Int, { nullable: true }) first?: number,
    @Arg('after', () => String, { nullable: true }) after?: string,
    @Arg('knownAt', () => DateTimeScalar, { nullable: true, description: 'as recorded at this instant (CHANGES.md); absent: now' }) knownAt?: number,
  ) {
    return entityConnection(ctx, 'shipments', Shipment, null, first, after, knownAt);
  }

  @FieldResolver(() => Item, { description: 'The item shipped' })
  async item(@Root() s: Shipment, @Ctx() context: Context) { const ctx = await at(context, s);
    const [link] = await ctx.loaders.links(s.id, 'SHIPMENT_OF', 'out');
    if (!link) throw new Error(`shipment '${s.id}' has no item`);
    return endpoint(ctx, link.target, Item);
  }

  @FieldResolver(() => Company, { nullable: true, description: 'The importer of record' })
  async importer(@Root() s: Shipment, @Ctx() context: Context) { const ctx = await at(context, s);
    const [link] = await ctx.loaders.links(s.id, 'IMPORTED_BY', 'out');
    return link ? endpoint(ctx, link.target, Company) : null;
  }

  @Authorized(access('Shipment', 'evidence'))
  @FieldResolver(() => [Evidence])
  async evidence(@Root() s: Shipment, @Ctx() context: Context) { const ctx = await at(context, s);
    return evidenceFor(ctx, s.evidenceIds);
  }
}
