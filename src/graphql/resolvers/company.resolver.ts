import { Authorized, Arg, Ctx, FieldResolver, ID, Int, Query, Resolver, Root } from 'type-graphql';
import { access } from '../../auth/access.table';
import { DateTimeScalar } from '../scalars/datetime.scalar';
import { at, type Context } from '../context';
import { Company } from '../types/company.type';
import { ConnectionType } from '../types/connection.type';
import { EntityFilter } from '../types/entity-filter.input';
import { Evidence } from '../types/evidence.type';
import { Factory } from '../types/factory.type';
import { Sourcing, Supply } from '../types/relationship.types';
import { entityById, entityConnection } from './entity-query';
import { endpoint, evidenceFor, linksOf } from './relationship-fields';

const CompanyConnection = ConnectionType('Company', Company);

@Resolver(() => Company)
export class CompanyResolver {
  @Authorized(access('Query', 'company'))
  @Query(() => Company, { nullable: true })
  company(@Arg('id', () => ID) id: string, @Ctx() ctx: Context, @Arg('knownAt', () => DateTimeScalar, { nullable: true, description: 'as recorded at this instant (CHANGES.md); absent: now' }) knownAt?: number): Promise<Company | null> {
    return entityById(ctx, id, Company, knownAt);
  }

  @Authorized(access('Query', 'companies'))
  @Query(() => CompanyConnection)
  companies(
    @Ctx() ctx: Context,
    @Arg('filter', () => EntityFilter, { nullable: true }) filter?: EntityFilter,
    @Arg('first', () => Int, { nullable: true }) first?: number,
    @Arg('after', () => String, { nullable: true }) after?: string,
    @Arg('knownAt', () => DateTimeScalar, { nullable: true, description: 'as recorded at this instant (CHANGES.md); absent: now' }) knownAt?: number,
  ) {
    return entityConnection(ctx, 'companies', Company, filter, first, after, knownAt);
  }

  @FieldResolver(() => [Factory], { description: 'Factories this company operates' })
  async factories(@Root() c: Company, @Ctx() context: Context) { const ctx = await at(context, c);
    const links = await ctx.loaders.links(c.id, 'OPERATES', 'out');
    return Promise.all(links.map((l) => endpoint(ctx, l.target, Factory)));
  }

  @FieldResolver(() => [Supply], { description: 'Companies that supply this one' })
  async suppliers(@Root() c: Company, @Ctx() context: Context) { const ctx = await at(context, c);
    return linksOf(ctx, c.id, 'SUPPLIES', 'in', Supply);
  }

  @FieldResolver(() => [Supply], { description: 'Companies this one supplies' })
  async customers(@Root() c: Company, @Ctx() context: Context) { const ctx = await at(context, c);
    return linksOf(ctx, c.id, 'SUPPLIES', 'out', Supply);
  }

  @FieldResolver(() => [Sourcing], { description: 'Items bought from this company' })
  async items(@Root() c: Company, @Ctx() context: Context) { const ctx = await at(context, c);
    return linksOf(ctx, c.id, 'SOURCED_FROM', 'out', Sourcing);
  }

  @Authorized(access('Company', 'evidence'))
  @FieldResolver(() => [Evidence])
  async evidence(@Root() c: Company, @Ctx() context: Context) { const ctx = await at(context, c);
    return evidenceFor(ctx, c.evidenceIds);
  }
}
