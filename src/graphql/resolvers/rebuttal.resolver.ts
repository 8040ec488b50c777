import { GraphQLError } from 'graphql';
import { Arg, Authorized, Ctx, FieldResolver, ID, Mutation, Resolver, Root } from 'type-graphql';
import { access } from '../../auth/access.table';
import { LOCAL_PRINCIPAL } from '../../auth/principal';
import { RebuttalError, decideRebuttal, proposeRebuttal } from '../../changes/rebuttal.store';
import type { Context } from '../context';
import { Evidence } from '../types/evidence.type';
import { GraphRelationship } from '../types/graph.type';
import { Rebuttal, RebuttalDecision, RebuttalInput } from '../types/rebuttal.type';
import { evidenceFor } from './relationship-fields';

function rebuttalError(e: unknown): unknown {
  if (!(e instanceof RebuttalError)) return e;
  return new GraphQLError(e.message, { extensions: { code: e.code, ...(e.field ? { field: e.field } : {}) } });
}

@Resolver(() => Rebuttal)
export class RebuttalResolver {
  @Authorized(access('Mutation', 'proposeRebuttal'))
  @Mutation(() => Rebuttal, { description: "Proposes a rebuttal of a labor relationship (CAATSA's prongs, with evidence); it counts once accepted" })
  async proposeRebuttal(@Arg('input', () => RebuttalInput) input: RebuttalInput, @Ctx() ctx: Context): Promise<Rebuttal> {
    try {
      const { rebuttal } = await proposeRebuttal(ctx.client, { actor: ctx.principal.actor, reason: `propose rebuttal of ${input.relationshipId}`, source: 'api' }, input);
      return new Rebuttal(rebuttal);
    } catch (e) {
      throw rebuttalError(e);
    }
  }

  @Authorized(access('Mutation', 'decideRebuttal'))
  @Mutation(() => Rebuttal, { description: 'Accepts or rejects a proposed rebuttal; not by whoever proposed it (except in local mode)' })
  async decideRebuttal(
    @Arg('id', () => ID) id: string,
    @Arg('decision', () => RebuttalDecision) decision: RebuttalDecision,
    @Ctx() ctx: Context,
    @Arg('note', () => String, { nullable: true }) note?: string,
  ): Promise<Rebuttal> {
    try {
      const meta = { actor: ctx.principal.actor, reason: `${decision === RebuttalDecision.ACCEPTED ? 'accept' : 'reject'} rebuttal ${id}`, source: 'api' as const };
      const { rebuttal } = await decideRebuttal(ctx.client, meta, id, decision, note ?? null, ctx.principal === LOCAL_PRINCIPAL);
      return new Rebuttal(rebuttal);
    } catch (e) {
      throw rebuttalError(e);
    }
  }

  @FieldResolver(() => GraphRelationship, { description: 'the labor relationship it rebuts (retiring a relationship retires its rebuttals)' })
  async relationship(@Root() r: Rebuttal, @Ctx() ctx: Context): Promise<GraphRelationship> {
    const [rel] = await ctx.trace.history.relationshipRows([r.relationshipId]);
    if (!rel) throw new Error(`rebuttal '${r.id}' names relationship '${r.relationshipId}', which is not in the graph`);
    return new GraphRelationship(rel);
  }

  @Authorized(access('Rebuttal', 'evidence'))
  @FieldResolver(() => [Evidence])
  evidence(@Root() r: Rebuttal, @Ctx() ctx: Context) {
    return evidenceFor(ctx, r.evidenceIds);
  }
}

@Resolver(() => GraphRelationship)
export class GraphRelationshipRebuttalResolver {
  @Authorized(access('GraphRelationship', 'rebuttals'))
  @FieldResolver(() => [Rebuttal], { description: 'every rebuttal of this relationship, any status (only ACCEPTED ones count)' })
  async rebuttals(@Root() r: GraphRelationship, @Ctx() ctx: Context): Promise<Rebuttal[]> {
    return (await ctx.rebuttals.load(r.id)).map((b) => new Rebuttal(b));
  }
}
