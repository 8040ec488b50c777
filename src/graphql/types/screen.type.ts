import { ObjectType } from 'type-graphql';
import type { ScreenRow } from '../../trace/trace.service';
import { ConnectionType } from './connection.type';
import { ExposureCounts } from './trace.type';

@ObjectType({ description: 'A product whose exposure is not NONE, with its counts' })
export class ScreenResult extends ExposureCounts {
  /** Set when read as recorded at a knowledge time: fields below read the graph as recorded then. */
  seq?: number;

  readonly itemId: string;

  /** For sourceCount and siteCount, computed only when asked for. */
  readonly row: ScreenRow;

  constructor(row: ScreenRow) {
    super(row);
    this.seq = row.recordedSeq;
    this.row = row;
    this.itemId = row.itemId;
  }
}

export const ScreenConnection = ConnectionType('Screen', ScreenResult);
