import { Field, ObjectType } from 'type-graphql';
import type { ExposureDifference } from '../../trace/exposure-changes';
import { BigIntScalar } from '../scalars/bigint.scalar';
import { ConnectionType } from './connection.type';
import { Exposure } from './trace.type';

@ObjectType({ description: 'A product whose exposure or counts differ between the graph known at `since` and now (LISTS.md, "Re-screening")' })
export class ExposureChange {
  readonly itemId: string;

  /** The change sets that touched what the product's paths can pass through, then or now. */
  readonly causeSeqs: number[];

  /** The change set the graph at `since` was recorded up to: a product retired since is read as it was then. */
  readonly sinceSeq?: number;

  @Field(() => Exposure)
  before: Exposure;

  @Field(() => Exposure)
  after: Exposure;

  @Field(() => BigIntScalar, { nullable: true, description: 'direct paths at `since`; null: not counted (TOO_COMPLEX)' })
  beforePathCount: bigint | null;

  @Field(() => BigIntScalar, { nullable: true, description: 'direct paths now; null: not counted (TOO_COMPLEX)' })
  afterPathCount: bigint | null;

  @Field(() => BigIntScalar, { nullable: true })
  beforePossiblePathCount: bigint | null;

  @Field(() => BigIntScalar, { nullable: true })
  afterPossiblePathCount: bigint | null;

  constructor(d: ExposureDifference & { causes: number[]; sinceSeq?: number }) {
    this.itemId = d.itemId;
    this.sinceSeq = d.sinceSeq;
    this.causeSeqs = d.causes;
    this.before = d.before.exposure as Exposure;
    this.after = d.after.exposure as Exposure;
    this.beforePathCount = d.before.pathCount;
    this.afterPathCount = d.after.pathCount;
    this.beforePossiblePathCount = d.before.possiblePathCount;
    this.afterPossiblePathCount = d.after.possiblePathCount;
  }
}

export const ExposureChangeConnection = ConnectionType('ExposureChange', ExposureChange);
