import { Field, ObjectType } from 'type-graphql';
import type { ShipmentScreenRow } from '../../trace/trace.service';
import { BigIntScalar } from '../scalars/bigint.scalar';
import { ConnectionType } from './connection.type';
import { Exposure } from './trace.type';

@ObjectType({ description: 'A shipment whose exposure is not NONE: its item traced with asOf = producedTo, else entryDate' })
export class ShipmentScreenResult {
  readonly row: ShipmentScreenRow;

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

  constructor(row: ShipmentScreenRow) {
    this.row = row;
    this.exposure = row.exposure as Exposure;
    this.pathCount = row.counts.direct.all;
    this.possiblePathCount = row.counts.possible.all;
    this.openPathCount = row.counts.direct.open;
    this.openPossiblePathCount = row.counts.possible.open;
  }
}

export const ShipmentScreenConnection = ConnectionType('ShipmentScreen', ShipmentScreenResult);
