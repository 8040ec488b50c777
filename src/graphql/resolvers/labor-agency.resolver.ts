import { Authorized, Arg, Ctx, FieldResolver, ID, Int, Query, Resolver, Root } from 'type-graphql';
import { access } from '../../auth/access.table';
import { DateTimeScalar } from '../scalars/datetime.scalar';
import { at, type Context } from '../context';
import { ConnectionType } from '../types/connection.type';
import { EntityFilter } from '../types/entity-filter.input';
import { Evidence } from '../types/evidence.type';
import { LaborAgency } from '../types/labor-agency.type';
import { Dispatch, LaborSupply, Recruitment } from '../types/relationship.types';
import { entityById, entityConnection } from './entity-query';
import { evidenceFor, linksOf } from './relationship-fields';

const LaborAgencyConnection = ConnectionType('LaborAgency', LaborAgency);

@Resolver(() => LaborAgency)
export class LaborAgencyResolver {
  @Authorized(access('Query', 'agency'))
  @Query(() => LaborAgency, { nullable: true })
  agency(@Arg('id', () => ID) id: string, @Ctx() ctx: Context, @Arg('knownAt', () => DateTimeScalar, { nullable: true, description: 'as recorded at this instant (CHANGES.md); absent: now' }) knownAt?: number): Promise<LaborAgency | null> {
    return entityById(ctx, id, LaborAgency, knownAt);
  }

  @Authorized(access('Query', 'agencies'))
  @Query(() => LaborAgencyConnection)
  agencies(
    @Ctx() ctx: Context,
    @Arg('filter', () => EntityFilter, { nullable: true }) filter?: EntityFilter,
    @Arg('first', () => Int, { nullable: true }) first?: number,
    @Arg('after', () => String, { nullable: true }) after?: string,
    @Arg('knownAt', () => DateTimeScalar, { nullable: true, description: 'as recorded at this instant (CHANGES.md); absent: now' }) knownAt?: number,
  ) {
    return entityConnection(ctx, 'agencies', LaborAgency, filter, first, after, knownAt);
  }

  @Authorized(access('LaborAgency', 'workers'))
  @FieldResolver(() => [Recruitment], { description: 'Workers this agency recruited or dispatched' })
  async workers(@Root() a: LaborAgency, @Ctx() context: Context) { const ctx = await at(context, a);
    return linksOf(ctx, a.id, 'RECRUITED_BY', 'in', Recruitment);
  }

  @FieldResolver(() => [LaborSupply], { description: 'Factories this agency supplied workers to' })
  async factories(@Root() a: LaborAgency, @Ctx() context: Context) { const ctx = await at(context, a);
    return linksOf(ctx, a.id, 'SUPPLIES_LABOR_TO', 'out', LaborSupply);
  }

  @FieldResolver(() => [Dispatch], { description: 'Agencies this agency sent its workers on through' })
  async dispatchesTo(@Root() a: LaborAgency, @Ctx() context: Context) { const ctx = await at(context, a);
    return linksOf(ctx, a.id, 'DISPATCHES_TO', 'out', Dispatch);
  }

  @FieldResolver(() => [Dispatch], { description: 'Agencies that sent their workers on through this one' })
  async dispatchedFrom(@Root() a: LaborAgency, @Ctx() context: Context) { const ctx = await at(context, a);
    return linksOf(ctx, a.id, 'DISPATCHES_TO', 'in', Dispatch);
  }

  @Authorized(access('LaborAgency', 'evidence'))
  @FieldResolver(() => [Evidence])
  async evidence(@Root() a: LaborAgency, @Ctx() context: Context) { const ctx = await at(context, a);
    return evidenceFor(ctx, a.evidenceIds);
  }
}
