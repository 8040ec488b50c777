import { Field, ObjectType, registerEnumType } from 'type-graphql';
import type { ItemCounts } from '../../trace/trace.engine';
import type { TraceResult } from '../../trace/trace.service';
import { BigIntScalar } from '../scalars/bigint.scalar';
import { GraphNode, GraphRelationship } from './graph.type';
import { ConnectionType } from './connection.type';

export enum Exposure {
  DIRECT = 'DIRECT',
  POSSIBLE = 'POSSIBLE',
  NONE = 'NONE',
}
registerEnumType(Exposure, {
  name: 'Exposure',
  description: 'DIRECT: a direct path exists; POSSIBLE: only company-level sourcing paths; NONE: no path',
});

/** What a trace, a screen row and a shipment screen row share: the exposure and the exact counts. */
@ObjectType()
export abstract class ExposureCounts {
  @Field(() => Exposure)
  exposure: Exposure;

  @Field(() => BigIntScalar, { description: 'direct paths' })
  pathCount: bigint;

  @Field(() => BigIntScalar, { description: 'possible paths (company-level sourcing)' })
  possiblePathCount: bigint;

  @Field(() => BigIntScalar, { description: 'direct paths not rebutted' })
  openPathCount: bigint;

  @Field(() => BigIntScalar, { description: 'possible paths not rebutted' })
  openPossiblePathCount: bigint;

  protected constructor(exposure: string, counts: ItemCounts) {
    this.exposure = exposure as Exposure;
    this.pathCount = counts.direct.all;
    this.possiblePathCount = counts.possible.all;
    this.openPathCount = counts.direct.open;
    this.openPossiblePathCount = counts.possible.open;
  }
}

@ObjectType({ description: 'By which paths DPRK labor could have touched an item' })
export class Trace extends ExposureCounts {
  readonly result: TraceResult;

  constructor(result: TraceResult) {
    super(result.exposure, result.counts);
    this.result = result;
  }
}

@ObjectType({ description: 'One path: its nodes from the source to the traced item, and the relationships between them' })
export class TracePath {
  @Field(() => [GraphNode], { description: 'source first, the traced item last' })
  nodes!: GraphNode[];

  @Field(() => [GraphRelationship], {
    description: 'for each hop in order, every parallel relationship that fits a time-consistent choice',
  })
  relationships!: GraphRelationship[];

  @Field({ description: 'every time-consistent choice uses a rebutted labor relationship' })
  rebutted!: boolean;
}

export const TracePathConnection = ConnectionType('TracePath', TracePath, BigIntScalar);
