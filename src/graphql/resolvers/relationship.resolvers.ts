import { Authorized, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { access } from '../../auth/access.table';
import { at, type Context } from '../context';
import { Company } from '../types/company.type';
import { Evidence } from '../types/evidence.type';
import { Rebuttal } from '../types/rebuttal.type';
import { Factory } from '../types/factory.type';
import { Item } from '../types/item.type';
import { LaborAgency } from '../types/labor-agency.type';
import {
  BomLine, Dispatch, Employment, LaborSupply, Production, Recruitment, Sourcing, Subcontract, Supply,
} from '../types/relationship.types';
import { Worker } from '../types/worker.type';
import { endpoint, evidenceFor } from './relationship-fields';

/** Both ends of every relationship type, named for what they are; relationships point the way taint flows. */

@Resolver(() => BomLine)
export class BomLineResolver {
  @FieldResolver(() => Item)
  async parent(@Root() r: BomLine, @Ctx() context: Context) { const ctx = await at(context, r); return endpoint(ctx, r.targetId, Item); }

  @FieldResolver(() => Item)
  async component(@Root() r: BomLine, @Ctx() context: Context) { const ctx = await at(context, r); return endpoint(ctx, r.sourceId, Item); }

  @Authorized(access('BomLine', 'evidence'))
  @FieldResolver(() => [Evidence])
  async evidence(@Root() r: BomLine, @Ctx() context: Context) { const ctx = await at(context, r); return evidenceFor(ctx, r.evidenceIds); }
}

@Resolver(() => Production)
export class ProductionResolver {
  @FieldResolver(() => Factory)
  async factory(@Root() r: Production, @Ctx() context: Context) { const ctx = await at(context, r); return endpoint(ctx, r.sourceId, Factory); }

  @FieldResolver(() => Item)
  async item(@Root() r: Production, @Ctx() context: Context) { const ctx = await at(context, r); return endpoint(ctx, r.targetId, Item); }

  @Authorized(access('Production', 'evidence'))
  @FieldResolver(() => [Evidence])
  async evidence(@Root() r: Production, @Ctx() context: Context) { const ctx = await at(context, r); return evidenceFor(ctx, r.evidenceIds); }
}

@Resolver(() => Subcontract)
export class SubcontractResolver {
  @FieldResolver(() => Factory)
  async subcontractor(@Root() r: Subcontract, @Ctx() context: Context) { const ctx = await at(context, r); return endpoint(ctx, r.sourceId, Factory); }

  @FieldResolver(() => Factory)
  async principal(@Root() r: Subcontract, @Ctx() context: Context) { const ctx = await at(context, r); return endpoint(ctx, r.targetId, Factory); }

  @Authorized(access('Subcontract', 'evidence'))
  @FieldResolver(() => [Evidence])
  async evidence(@Root() r: Subcontract, @Ctx() context: Context) { const ctx = await at(context, r); return evidenceFor(ctx, r.evidenceIds); }
}

@Resolver(() => Employment)
export class EmploymentResolver {
  @Authorized(access('Employment', 'worker'))
  @FieldResolver(() => Worker)
  async worker(@Root() r: Employment, @Ctx() context: Context) { const ctx = await at(context, r); return endpoint(ctx, r.sourceId, Worker); }

  @FieldResolver(() => Factory)
  async factory(@Root() r: Employment, @Ctx() context: Context) { const ctx = await at(context, r); return endpoint(ctx, r.targetId, Factory); }

  @Authorized(access('Employment', 'evidence'))
  @FieldResolver(() => [Evidence])
  async evidence(@Root() r: Employment, @Ctx() context: Context) { const ctx = await at(context, r); return evidenceFor(ctx, r.evidenceIds); }

  @Authorized(access('Employment', 'rebuttals'))
  @FieldResolver(() => [Rebuttal], { description: 'every rebuttal of this labor edge, any status (only ACCEPTED ones count)' })
  async rebuttals(@Root() r: Employment, @Ctx() context: Context) { const ctx = await at(context, r); return rebuttalsOf(ctx, r.id); }

  @FieldResolver(() => Boolean, { description: 'an ACCEPTED rebuttal holds for every path (item-scoped ones: see the paths of a trace)' })
  async rebutted(@Root() r: Employment, @Ctx() context: Context) { const ctx = await at(context, r); return rebuttedEverywhere(ctx, r.id); }
}

@Resolver(() => Recruitment)
export class RecruitmentResolver {
  @Authorized(access('Recruitment', 'worker'))
  @FieldResolver(() => Worker)
  async worker(@Root() r: Recruitment, @Ctx() context: Context) { const ctx = await at(context, r); return endpoint(ctx, r.sourceId, Worker); }

  @FieldResolver(() => LaborAgency)
  async agency(@Root() r: Recruitment, @Ctx() context: Context) { const ctx = await at(context, r); return endpoint(ctx, r.targetId, LaborAgency); }

  @FieldResolver(() => Factory, { nullable: true, description: 'the factory the worker was placed at through the agency (recruitment.csv factory_id); null: any it supplies' })
  async placement(@Root() r: Recruitment, @Ctx() context: Context) { const ctx = await at(context, r); return r.placementId === null ? null : endpoint(ctx, r.placementId, Factory); }

  @Authorized(access('Recruitment', 'evidence'))
  @FieldResolver(() => [Evidence])
  async evidence(@Root() r: Recruitment, @Ctx() context: Context) { const ctx = await at(context, r); return evidenceFor(ctx, r.evidenceIds); }

  @Authorized(access('Recruitment', 'rebuttals'))
  @FieldResolver(() => [Rebuttal], { description: 'every rebuttal of this labor edge, any status (only ACCEPTED ones count)' })
  async rebuttals(@Root() r: Recruitment, @Ctx() context: Context) { const ctx = await at(context, r); return rebuttalsOf(ctx, r.id); }

  @FieldResolver(() => Boolean, { description: 'an ACCEPTED rebuttal holds for every path (item-scoped ones: see the paths of a trace)' })
  async rebutted(@Root() r: Recruitment, @Ctx() context: Context) { const ctx = await at(context, r); return rebuttedEverywhere(ctx, r.id); }
}

@Resolver(() => LaborSupply)
export class LaborSupplyResolver {
  @FieldResolver(() => LaborAgency)
  async agency(@Root() r: LaborSupply, @Ctx() context: Context) { const ctx = await at(context, r); return endpoint(ctx, r.sourceId, LaborAgency); }

  @FieldResolver(() => Factory)
  async factory(@Root() r: LaborSupply, @Ctx() context: Context) { const ctx = await at(context, r); return endpoint(ctx, r.targetId, Factory); }

  @Authorized(access('LaborSupply', 'evidence'))
  @FieldResolver(() => [Evidence])
  async evidence(@Root() r: LaborSupply, @Ctx() context: Context) { const ctx = await at(context, r); return evidenceFor(ctx, r.evidenceIds); }

  @Authorized(access('LaborSupply', 'rebuttals'))
  @FieldResolver(() => [Rebuttal], { description: 'every rebuttal of this labor edge, any status (only ACCEPTED ones count)' })
  async rebuttals(@Root() r: LaborSupply, @Ctx() context: Context) { const ctx = await at(context, r); return rebuttalsOf(ctx, r.id); }

  @FieldResolver(() => Boolean, { description: 'an ACCEPTED rebuttal holds for every path (item-scoped ones: see the paths of a trace)' })
  async rebutted(@Root() r: LaborSupply, @Ctx() context: Context) { const ctx = await at(context, r); return rebuttedEverywhere(ctx, r.id); }
}

@Resolver(() => Supply)
export class SupplyResolver {
  @FieldResolver(() => Company)
  async supplier(@Root() r: Supply, @Ctx() context: Context) { const ctx = await at(context, r); return endpoint(ctx, r.sourceId, Company); }

  @FieldResolver(() => Company)
  async customer(@Root() r: Supply, @Ctx() context: Context) { const ctx = await at(context, r); return endpoint(ctx, r.targetId, Company); }

  @Authorized(access('Supply', 'evidence'))
  @FieldResolver(() => [Evidence])
  async evidence(@Root() r: Supply, @Ctx() context: Context) { const ctx = await at(context, r); return evidenceFor(ctx, r.evidenceIds); }
}

@Resolver(() => Sourcing)
export class SourcingResolver {
  @FieldResolver(() => Company)
  async company(@Root() r: Sourcing, @Ctx() context: Context) { const ctx = await at(context, r); return endpoint(ctx, r.sourceId, Company); }

  @FieldResolver(() => Item)
  async item(@Root() r: Sourcing, @Ctx() context: Context) { const ctx = await at(context, r); return endpoint(ctx, r.targetId, Item); }

  @Authorized(access('Sourcing', 'evidence'))
  @FieldResolver(() => [Evidence])
  async evidence(@Root() r: Sourcing, @Ctx() context: Context) { const ctx = await at(context, r); return evidenceFor(ctx, r.evidenceIds); }
}

@Resolver(() => Dispatch)
export class DispatchResolver {
  @FieldResolver(() => Boolean, { description: 'an ACCEPTED rebuttal holds for every path (item-scoped ones: see the paths of a trace)' })
  async rebutted(@Root() r: Dispatch, @Ctx() context: Context) { const ctx = await at(context, r); return rebuttedEverywhere(ctx, r.id); }

  @FieldResolver(() => LaborAgency, { description: 'the agency that sent its workers on' })
  async agency(@Root() r: Dispatch, @Ctx() context: Context) { const ctx = await at(context, r); return endpoint(ctx, r.sourceId, LaborAgency); }

  @FieldResolver(() => LaborAgency, { description: 'the agency they were sent on through' })
  async toAgency(@Root() r: Dispatch, @Ctx() context: Context) { const ctx = await at(context, r); return endpoint(ctx, r.targetId, LaborAgency); }

  @Authorized(access('Dispatch', 'evidence'))
  @FieldResolver(() => [Evidence])
  async evidence(@Root() r: Dispatch, @Ctx() context: Context) { const ctx = await at(context, r); return evidenceFor(ctx, r.evidenceIds); }
}

async function rebuttalsOf(ctx: Context, relationshipId: string): Promise<Rebuttal[]> {
  return (await ctx.rebuttals.load(relationshipId)).map((b) => new Rebuttal(b));
}

async function rebuttedEverywhere(ctx: Context, relationshipId: string): Promise<boolean> {
  return (await ctx.rebuttals.load(relationshipId)).some((b) => b.status === 'ACCEPTED' && b.itemIds === null);
}
