import { Authorized, Arg, Ctx, FieldResolver, ID, Int, Query, Resolver, Root } from 'type-graphql';
import { access } from '../../auth/access.table';
import { DateTimeScalar } from '../scalars/datetime.scalar';
import { at, type Context } from '../context';
import { ConnectionType } from '../types/connection.type';
import { EntityFilter } from '../types/entity-filter.input';
import { Evidence } from '../types/evidence.type';
import { entityById, entityConnection } from './entity-query';
import { evidenceFor } from './relationship-fields';

const EvidenceConnection = ConnectionType('Evidence', Evidence);

@Resolver(() => Evidence)
export class EvidenceResolver {
  @Authorized(access('Query', 'evidence'))
  @Query(() => Evidence, { nullable: true })
  evidence(@Arg('id', () => ID) id: string, @Ctx() ctx: Context, @Arg('knownAt', () => DateTimeScalar, { nullable: true, description: 'as recorded at this instant (CHANGES.md); absent: now' }) knownAt?: number): Promise<Evidence | null> {
    return entityById(ctx, id, Evidence, knownAt);
  }

  @Authorized(access('Query', 'evidences'))
  @Query(() => EvidenceConnection, { description: 'Source documents in id order' })
  evidences(
    @Ctx() ctx: Context,
    @Arg('filter', () => EntityFilter, { nullable: true }) filter?: EntityFilter,
    @Arg('first', () => Int, { nullable: true }) first?: number,
    @Arg('after', () => String, { nullable: true }) after?: string,
    @Arg('knownAt', () => DateTimeScalar, { nullable: true, description: 'as recorded at this instant (CHANGES.md); absent: now' }) knownAt?: number,
  ) {
    return entityConnection(ctx, 'evidence', Evidence, filter, first, after, knownAt);
  }

  @Authorized(access('Evidence', 'evidence'))
  @FieldResolver(() => [Evidence], { name: 'evidence', description: 'Evidence supporting this document' })
  async supportingEvidence(@Root() e: Evidence, @Ctx() context: Context) { const ctx = await at(context, e);
    return evidenceFor(ctx, e.evidenceIds);
  }
}
