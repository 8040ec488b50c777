import { Authorized, Ctx, FieldResolver, Int, Resolver, Root } from 'type-graphql';
import { access } from '../../auth/access.table';
import type { ClassType } from 'type-graphql';
import type { Context } from '../context';
import { ChangeSet } from '../types/change.type';
import { Company } from '../types/company.type';
import { Evidence } from '../types/evidence.type';
import { Factory } from '../types/factory.type';
import { Item } from '../types/item.type';
import { LaborAgency } from '../types/labor-agency.type';
import { Rebuttal } from '../types/rebuttal.type';
import {
  BomLine, Dispatch, Employment, LaborSupply, Production, Recruitment, Sourcing, Subcontract, Supply,
} from '../types/relationship.types';
import { Shipment } from '../types/shipment.type';
import { Worker } from '../types/worker.type';

interface Versioned {
  id: string;
  version: number;
}

/** `version` and `history` on one entity type (CHANGES.md: every entity type exposes both). */
function historyResolver<T extends Versioned>(Type: ClassType<T>, typeName: string) {
  @Resolver(() => Type)
  class HistoryResolver {
    @FieldResolver(() => Int, { description: 'how many change sets changed it; expectedVersion in applyChanges compares with this' })
    version(@Root() e: T): number {
      return e.version;
    }

    @Authorized(access(typeName, 'history'))
    @FieldResolver(() => [ChangeSet], { description: 'the change sets that changed it, oldest first' })
    async history(@Root() e: T, @Ctx() ctx: Context): Promise<ChangeSet[]> {
      return (await ctx.histories.load(e.id)).map((s) => new ChangeSet(s));
    }
  }
  return HistoryResolver;
}

export const HISTORY_RESOLVERS = [
  Item, Factory, Company, LaborAgency, Worker, Evidence, Shipment,
  BomLine, Production, Subcontract, Supply, Sourcing, LaborSupply, Dispatch, Employment, Recruitment, Rebuttal,
].map((T) => historyResolver(T as ClassType<Versioned>, T.name));
