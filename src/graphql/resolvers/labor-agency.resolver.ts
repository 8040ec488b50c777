import { Authorized, Arg, Ctx, FieldResolver, ID, Int, Query, Resolver, Root } from 'type-graphql';
import { access } from '../../auth/access.table';
import type { Context } from '../context';
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
  agency(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<LaborAgency | null> {
    return entityById(ctx, id, LaborAgency);
  }

  @Authorized(access('Query', 'agencies'))
  @Query(() => LaborAgencyConnection)
  agencies(
    @Ctx() ctx: Context,
    @Arg('filter', () => EntityFilter, { nullable: true }) filter?: EntityFilter,
    @Arg('first', () => Int, { nullable: true }) first?: number,
    @Arg('after', () => String, { nullable: true }) after?: string,
  ) {
    return entityConnection(ctx, 'agencies', LaborAgency, filter, first, after);
  }

  @Authorized(access('LaborAgency', 'workers'))
  @FieldResolver(() => [Recruitment], { description: 'Workers this agency recruited or dispatched' })
  workers(@Root() a: LaborAgency, @Ctx() ctx: Context) {
    return linksOf(ctx, a.id, 'RECRUITED_BY', 'in', Recruitment);
  }

  @FieldResolver(() => [LaborSupply], { description: 'Factories this agency supplied workers to' })
  factories(@Root() a: LaborAgency, @Ctx() ctx: Context) {
    return linksOf(ctx, a.id, 'SUPPLIES_LABOR_TO', 'out', LaborSupply);
  }

  @FieldResolver(() => [Dispatch], { description: 'Agencies this agency sent its workers on through' })
  dispatchesTo(@Root() a: LaborAgency, @Ctx() ctx: Context) {
    return linksOf(ctx, a.id, 'DISPATCHES_TO', 'out', Dispatch);
  }

  @FieldResolver(() => [Dispatch], { description: 'Agencies that sent their workers on through this one' })
  dispatchedFrom(@Root() a: LaborAgency, @Ctx() ctx: Context) {
    return linksOf(ctx, a.id, 'DISPATCHES_TO', 'in', Dispatch);
  }

  @Authorized(access('LaborAgency', 'evidence'))
  @FieldResolver(() => [Evidence])
  evidence(@Root() a: LaborAgency, @Ctx() ctx: Context) {
    return evidenceFor(ctx, a.evidenceIds);
  }
}
