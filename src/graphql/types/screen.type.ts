import { Field, ObjectType } from 'type-graphql';
import type { ScreenRow } from '../../trace/trace.service';
import { BigIntScalar } from '../scalars/bigint.scalar';
import { ConnectionType } from './connection.type';
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

  @Field(() => BigIntScalar)
  openPossiblePathCount: bigint;

  /** For sourceCount and siteCount, computed only when asked for. */
  readonly row: ScreenRow;

  constructor(row: ScreenRow) {
    this.row = row;
    this.itemId = row.itemId;
    this.exposure = row.exposure as Exposure;
    this.pathCount = row.counts.direct.all;
    this.possiblePathCount = row.counts.possible.all;
    this.openPathCount = row.counts.direct.open;
    this.openPossiblePathCount = row.counts.possible.open;
  }
}

export const ScreenConnection = ConnectionType('Screen', ScreenResult);
