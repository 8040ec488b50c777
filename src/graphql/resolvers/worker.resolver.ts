import { Authorized, Arg, Ctx, FieldResolver, ID, Int, Query, Resolver, Root } from 'type-graphql';
import { access } from '../../auth/access.table';
import { DateTimeScalar } from '../scalars/datetime.scalar';
import { at, type Context } from '../context';
import { ConnectionType } from '../types/connection.type';
import { WorkerFilter } from '../types/entity-filter.input';
import { Evidence } from '../types/evidence.type';
import { Employment, Recruitment } from '../types/relationship.types';
import { Worker } from '../types/worker.type';
import { entityById, entityConnection } from './entity-query';
import { evidenceFor, linksOf } from './relationship-fields';

const WorkerConnection = ConnectionType('Worker', Worker);

@Resolver(() => Worker)
export class WorkerResolver {
  @Authorized(access('Query', 'worker'))
  @Query(() => Worker, { nullable: true })
  worker(@Arg('id', () => ID) id: string, @Ctx() ctx: Context, @Arg('knownAt', () => DateTimeScalar, { nullable: true, description: 'as recorded at this instant (CHANGES.md); absent: now' }) knownAt?: number): Promise<Worker | null> {
    return entityById(ctx, id, Worker, knownAt);
  }

  @Authorized(access('Query', 'workers'))
  @Query(() => WorkerConnection)
  workers(
    @Ctx() ctx: Context,
    @Arg('filter', () => WorkerFilter, { nullable: true }) filter?: WorkerFilter,
    @Arg('first', () => Int, { nullable: true }) first?: number,
    @Arg('after', () => String, { nullable: true }) after?: string,
    @Arg('knownAt', () => DateTimeScalar, { nullable: true, description: 'as recorded at this instant (CHANGES.md); absent: now' }) knownAt?: number,
  ) {
    return entityConnection(ctx, 'workers', Worker, filter, first, after, knownAt);
  }

  @FieldResolver(() => [Employment], { description: 'Where the worker (cohort) worked, with intervals' })
  async employments(@Root() w: Worker, @Ctx() context: Context) { const ctx = await at(context, w);
    return linksOf(ctx, w.id, 'EMPLOYED_AT', 'out', Employment);
  }

  @FieldResolver(() => [Recruitment], { description: 'Agencies that recruited or dispatched the worker' })
  async agencies(@Root() w: Worker, @Ctx() context: Context) { const ctx = await at(context, w);
    return linksOf(ctx, w.id, 'RECRUITED_BY', 'out', Recruitment);
  }

  @Authorized(access('Worker', 'evidence'))
  @FieldResolver(() => [Evidence])
  async evidence(@Root() w: Worker, @Ctx() context: Context) { const ctx = await at(context, w);
    return evidenceFor(ctx, w.evidenceIds);
  }
}
