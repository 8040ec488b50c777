import { Authorized, Arg, Ctx, FieldResolver, ID, Int, Query, Resolver, Root } from 'type-graphql';
import { access } from '../../auth/access.table';
import { DateTimeScalar } from '../scalars/datetime.scalar';
import { at, type Context } from '../context';
import { ConnectionType } from '../types/connection.type';
import { ItemFilter } from '../types/entity-filter.input';
import { Evidence } from '../types/evidence.type';
import { Item } from '../types/item.type';
import { BomLine, Production, Sourcing } from '../types/relationship.types';
import { Shipment } from '../types/shipment.type';
import { entityById, entityConnection } from './entity-query';
import { endpoint, evidenceFor, linksOf } from './relationship-fields';

const ItemConnection = ConnectionType('Item', Item);

@Resolver(() => Item)
export class ItemResolver {
  @Authorized(access('Query', 'item'))
  @Query(() => Item, { nullable: true, description: 'A product or component by id' })
  item(@Arg('id', () => ID) id: string, @Ctx() ctx: Context, @Arg('knownAt', () => DateTimeScalar, { nullable: true, description: 'as recorded at this instant (CHANGES.md); absent: now' }) knownAt?: number): Promise<Item | null> {
    return entityById(ctx, id, Item, knownAt);
  }

  @Authorized(access('Query', 'items'))
  @Query(() => ItemConnection, { description: 'Products and components in id order' })
  items(
    @Ctx() ctx: Context,
    @Arg('filter', () => ItemFilter, { nullable: true }) filter?: ItemFilter,
    @Arg('first', () => Int, { nullable: true }) first?: number,
    @Arg('after', () => String, { nullable: true }) after?: string,
    @Arg('knownAt', () => DateTimeScalar, { nullable: true, description: 'as recorded at this instant (CHANGES.md); absent: now' }) knownAt?: number,
  ) {
    return entityConnection(ctx, 'items', Item, filter, first, after, knownAt);
  }

  @FieldResolver(() => [BomLine], { description: 'Bill-of-materials lines of this item (its direct components)' })
  async components(@Root() item: Item, @Ctx() context: Context) { const ctx = await at(context, item);
    return linksOf(ctx, item.id, 'COMPONENT_OF', 'in', BomLine);
  }

  @FieldResolver(() => [BomLine], { description: 'Bill-of-materials lines that use this item (its direct parents)' })
  async usedIn(@Root() item: Item, @Ctx() context: Context) { const ctx = await at(context, item);
    return linksOf(ctx, item.id, 'COMPONENT_OF', 'out', BomLine);
  }

  @FieldResolver(() => [Production], { description: 'Where and when the item was made or processed' })
  async madeAt(@Root() item: Item, @Ctx() context: Context) { const ctx = await at(context, item);
    return linksOf(ctx, item.id, 'PRODUCED', 'in', Production);
  }

  @FieldResolver(() => [Sourcing], { description: 'Companies the item is bought from' })
  async sourcedFrom(@Root() item: Item, @Ctx() context: Context) { const ctx = await at(context, item);
    return linksOf(ctx, item.id, 'SOURCED_FROM', 'in', Sourcing);
  }

  @Authorized(access('Item', 'shipments'))
  @FieldResolver(() => [Shipment], { description: 'Customs entries of this item, in id order' })
  async shipments(@Root() item: Item, @Ctx() context: Context) { const ctx = await at(context, item);
    const links = await ctx.loaders.links(item.id, 'SHIPMENT_OF', 'in');
    return Promise.all(links.map((l) => endpoint(ctx, l.source, Shipment)));
  }

  @Authorized(access('Item', 'evidence'))
  @FieldResolver(() => [Evidence])
  async evidence(@Root() item: Item, @Ctx() context: Context) { const ctx = await at(context, item);
    return evidenceFor(ctx, item.evidenceIds);
  }
}
