import { GraphQLError } from 'graphql';
import { Arg, Authorized, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { access } from '../../auth/access.table';
import { fieldPath, finishChangeInput, parseChangeInput, type InputRow } from '../../changes/change-input';
import { kindOfLabels, type NodeKind } from '../../model/graph-model';
import type { DatasetError } from '../../dataset/dataset.types';
import { ChangeConflictError, ImportConflictError, writeDatasetChange } from '../../import/import.service';
import type { Context } from '../context';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, decodeCursor, encodeCursor, pageSize } from '../cursor';
import { badInput } from '../errors';
import { DateTimeScalar } from '../scalars/datetime.scalar';
import { Change, ChangeSet, ChangeSetConnection } from '../types/change.type';
import { ChangeSetInput, ROW_INPUTS } from '../types/change-input.types';
import { pageInfo } from '../types/page-info.type';

/** A refused change set: every problem, each at its input path; the first one's path in `extensions.field`. */
class ChangeSetInputError extends Error {
  constructor(readonly errors: DatasetError[]) {
    super('invalid change set');
  }
}

function refusal(code: string, errors: { field: string; message: string }[]): GraphQLError {
  const shown = errors.slice(0, 20).map((e) => `${e.field}: ${e.message}`).join('; ');
  return new GraphQLError(`change set refused, nothing was written: ${shown}${errors.length > 20 ? `; … (${errors.length} in all)` : ''}`, {
    extensions: { code, field: errors[0]?.field, errors },
  });
}

@Resolver(() => ChangeSet)
export class ChangeResolver {
  @Authorized(access('Mutation', 'applyChanges'))
  @Mutation(() => ChangeSet, { description: 'Records one change set atomically (CHANGES.md): validated as a CSV import, or refused whole' })
  async applyChanges(@Arg('input', () => ChangeSetInput) input: ChangeSetInput, @Ctx() ctx: Context): Promise<ChangeSet> {
    if (input.replace && ctx.principal.role !== 'admin') {
      throw new GraphQLError('replacing the whole graph needs the admin role', { extensions: { code: 'FORBIDDEN', field: 'input.replace' } });
    }
    if (input.reason.trim() === '') throw refusal('BAD_USER_INPUT', [{ field: 'input.reason', message: 'a change set needs a reason' }]);
    const lists = Object.fromEntries([...ROW_INPUTS.keys()].map((name) => [name, input[name] as InputRow[] | null | undefined]));
    const parsed = parseChangeInput({ lists, retire: input.retire });
    const at = (errors: DatasetError[]) => errors.map((e) => ({ field: fieldPath(parsed.files, e), message: e.message }));
    let dataset: Parameters<typeof writeDatasetChange>[1]['dataset'];
    if (input.replace) {
      const result = finishChangeInput(parsed, new Map());
      if (!result.ok) throw refusal('BAD_USER_INPUT', at(result.errors));
      dataset = result.dataset;
    } else {
      dataset = async (tx) => {
        const ids = parsed.validator.referencedOutside();
        const stored = new Map<string, NodeKind>();
        if (ids.length > 0) {
          for (const r of (await tx.run('changes/kinds-of', { ids })).records) stored.set(r.get('id'), kindOfLabels(r.get('labels')));
        }
        const result = finishChangeInput(parsed, stored);
        if (!result.ok) throw new ChangeSetInputError(result.errors);
        return result.dataset;
      };
    }
    try {
      const summary = await writeDatasetChange(ctx.client, {
        dataset, retire: parsed.retire, expected: parsed.expected, replace: input.replace === true,
        meta: { actor: ctx.principal.actor, reason: input.reason.trim(), source: 'api' },
      });
      const [set] = (await ctx.trace.history.changeSetsBySeq([summary.changeSet.seq])).values();
      return new ChangeSet(set);
    } catch (e) {
      if (e instanceof ChangeSetInputError) throw refusal('BAD_USER_INPUT', at(e.errors));
      if (e instanceof ChangeConflictError) throw refusal(e.code, at(e.errors));
      if (e instanceof ImportConflictError) throw refusal('BAD_USER_INPUT', at(e.errors));
      throw e;
    }
  }

  @Authorized(access('Query', 'changeSets'))
  @Query(() => ChangeSetConnection, { description: 'Change sets, newest first: all, or those that changed one entity, since an instant' })
  async changeSets(
    @Ctx() ctx: Context,
    @Arg('entityId', () => ID, { nullable: true }) entityId?: string,
    @Arg('since', () => DateTimeScalar, { nullable: true }) since?: number,
    @Arg('first', () => Int, { nullable: true }) first?: number,
    @Arg('after', () => String, { nullable: true }) after?: string,
  ) {
    const size = pageSize(first);
    const cursor = decodeCursor('changeSets', after);
    const beforeSeq = cursor === null ? null : Number(cursor);
    const page = await ctx.trace.history.changeSets(entityId ?? null, since ?? null, size, beforeSeq);
    const edges = page.sets.map((s) => ({ cursor: encodeCursor('changeSets', String(s.seq)), node: new ChangeSet(s) }));
    return { totalCount: page.totalCount, edges, pageInfo: pageInfo(edges.map((e) => e.cursor), page.hasNextPage, cursor !== null) };
  }

  @FieldResolver(() => [Change], { description: 'its changes in order; a page of them (changeCount says how many in all)' })
  async changes(
    @Root() set: ChangeSet,
    @Ctx() ctx: Context,
    @Arg('first', () => Int, { nullable: true, description: `default ${DEFAULT_PAGE_SIZE}, at most ${MAX_PAGE_SIZE}` }) first?: number,
    @Arg('offset', () => Int, { nullable: true, defaultValue: 0 }) offset?: number,
    @Arg('entityId', () => ID, { nullable: true, description: "only this entity's change" }) entityId?: string,
  ): Promise<Change[]> {
    if (offset !== undefined && (offset < 0 || !Number.isInteger(offset))) throw badInput('must be 0 or more', 'offset');
    const rows = await ctx.trace.history.changesOf(set.seq, entityId ?? null, offset ?? 0, pageSize(first));
    return rows.map((c) => new Change(c));
  }
}
