import { Authorized, Arg, Ctx, FieldResolver, ID, Int, Query, Resolver, Root } from 'type-graphql';
import { access } from '../../auth/access.table';
import { DateTimeScalar } from '../scalars/datetime.scalar';
import { at, type Context } from '../context';
import { Company } from '../types/company.type';
import { ConnectionType } from '../types/connection.type';
import { EntityFilter } from '../types/entity-filter.input';
import { Evidence } from '../types/evidence.type';
import { Factory } from '../types/factory.type';
import { Employment, LaborSupply, Production, Subcontract } from '../types/relationship.types';
import { entityById, entityConnection } from './entity-query';
import { endpoint, evidenceFor, linksOf } from './relationship-fields';

const FactoryConnection = ConnectionType('Factory', Factory);

@Resolver(() => Factory)
export class FactoryResolver {
  @Authorized(access('Query', 'factory'))
  @Query(() => Factory, { nullable: true })
  factory(@Arg('id', () => ID) id: string, @Ctx() ctx: Context, @Arg('knownAt', () => DateTimeScalar, { nullable: true, description: 'as recorded at this instant (CHANGES.md); absent: now' }) knownAt?: number): Promise<Factory | null> {
    return entityById(ctx, id, Factory, knownAt);
  }

  @Authorized(access('Query', 'factories'))
  @Query(() => FactoryConnection)
  factories(
    @Ctx() ctx: Context,
    @Arg('filter', () => EntityFilter, { nullable: true }) filter?: EntityFilter,
    @Arg('first', () => Int, { nullable: true }) first?: number,
    @Arg('after', () => String, { nullable: true }) after?: string,
    @Arg('knownAt', () => DateTimeScalar, { nullable: true, description: 'as recorded at this instant (CHANGES.md); absent: now' }) knownAt?: number,
  ) {
    return entityConnection(ctx, 'factories', Factory, filter, first, after, knownAt);
  }

  @FieldResolver(() => Company, { nullable: true, description: 'The company operating the factory' })
  async operator(@Root() f: Factory, @Ctx() context: Context) { const ctx = await at(context, f);
    const [op] = await ctx.loaders.links(f.id, 'OPERATES', 'in');
    return op ? endpoint(ctx, op.source, Company) : null;
  }

  @Authorized(access('Factory', 'workers'))
  @FieldResolver(() => [Employment], { description: 'Workers (cohorts) employed here, with intervals' })
  async workers(@Root() f: Factory, @Ctx() context: Context) { const ctx = await at(context, f);
    return linksOf(ctx, f.id, 'EMPLOYED_AT', 'in', Employment);
  }

  @FieldResolver(() => [LaborSupply], { description: 'Labor agencies that supplied workers here, with intervals' })
  async agencies(@Root() f: Factory, @Ctx() context: Context) { const ctx = await at(context, f);
    return linksOf(ctx, f.id, 'SUPPLIES_LABOR_TO', 'in', LaborSupply);
  }

  @FieldResolver(() => [Subcontract], { description: 'Factories this one subcontracted work to' })
  async subcontractors(@Root() f: Factory, @Ctx() context: Context) { const ctx = await at(context, f);
    return linksOf(ctx, f.id, 'SUBCONTRACTOR_OF', 'in', Subcontract);
  }

  @FieldResolver(() => [Subcontract], { description: 'Factories this one worked for as a subcontractor' })
  async principals(@Root() f: Factory, @Ctx() context: Context) { const ctx = await at(context, f);
    return linksOf(ctx, f.id, 'SUBCONTRACTOR_OF', 'out', Subcontract);
  }

  @FieldResolver(() => [Production], { description: 'Items made or processed here' })
  async produces(@Root() f: Factory, @Ctx() context: Context) { const ctx = await at(context, f);
    return linksOf(ctx, f.id, 'PRODUCED', 'out', Production);
  }

  @Authorized(access('Factory', 'evidence'))
  @FieldResolver(() => [Evidence])
  async evidence(@Root() f: Factory, @Ctx() context: Context) { const ctx = await at(context, f);
    return evidenceFor(ctx, f.evidenceIds);
  }
}
