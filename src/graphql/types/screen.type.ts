import { Field, Int, ObjectType } from 'type-graphql';
import type { ScreenRow } from '../../trace/trace.service';
import { BigIntScalar } from '../scalars/bigint.scalar';
import { PageInfo } from './page-info.type';
import { Exposure } from './trace.type';

@ObjectType({ description: 'A product whose exposure is not NONE, with its counts' })
export class ScreenResult {
  readonly itemId: string;

  @Field(() => Exposure)
  exposure: Exposure;

  @Field(() => BigIntScalar)
  pathCount: bigint;

  @Field(() => BigIntScalar)
  possiblePathCount: bigint;

  @Field(() => BigIntScalar)
  openPathCount: bigint;

  constructor(row: ScreenRow) {
    this.itemId = row.itemId;
    this.exposure = row.exposure as Exposure;
    this.pathCount = row.counts.direct.all;
    this.possiblePathCount = row.counts.possible.all;
    this.openPathCount = row.counts.direct.open;
  }
}

@ObjectType()
export class ScreenEdge {
  @Field()
  cursor!: string;

  @Field(() => ScreenResult)
  node!: ScreenResult;
}

@ObjectType()
export class ScreenConnection {
  @Field(() => Int)
  totalCount!: number;

  @Field(() => [ScreenEdge])
  edges!: ScreenEdge[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;
}

