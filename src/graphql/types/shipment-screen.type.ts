import { ObjectType } from 'type-graphql';
import type { ShipmentScreenRow } from '../../trace/trace.service';
import { ConnectionType } from './connection.type';
import { ExposureCounts } from './trace.type';

@ObjectType({ description: 'A shipment whose exposure is not NONE: its item traced with asOf = producedTo, else entryDate' })
export class ShipmentScreenResult extends ExposureCounts {
  readonly row: ShipmentScreenRow;

  constructor(row: ShipmentScreenRow) {
    super(row);
    this.row = row;
  }
}

export const ShipmentScreenConnection = ConnectionType('ShipmentScreen', ShipmentScreenResult);
