import { Field, ObjectType, registerEnumType } from 'type-graphql';
import type { ItemCounts } from '../../trace/engine/counts';
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

export enum CountStatus {
  EXACT = 'EXACT',
  TOO_COMPLEX = 'TOO_COMPLEX',
}
registerEnumType(CountStatus, {
  name: 'CountStatus',
  description: 'EXACT: the counts are exact; TOO_COMPLEX: counting exceeded the work budget, so the counts are null (never estimated) and the exposure, still exact, was found by reachability',
});

/** What a trace, a screen row and a shipment screen row share: the exposure and the exact counts. */
@ObjectType()
export abstract class ExposureCounts {
  @Field(() => Exposure, { description: 'always exact' })
  exposure: Exposure;

  @Field(() => CountStatus)
  countStatus: CountStatus;

  @Field(() => BigIntScalar, { nullable: true, description: 'direct paths; null only when TOO_COMPLEX' })
  pathCount: bigint | null;

  @Field(() => BigIntScalar, { nullable: true, description: 'possible paths (company-level sourcing); null only when TOO_COMPLEX' })
  possiblePathCount: bigint | null;

  @Field(() => BigIntScalar, { nullable: true, description: 'direct paths not rebutted; null only when TOO_COMPLEX' })
  openPathCount: bigint | null;

  @Field(() => BigIntScalar, { nullable: true, description: 'possible paths not rebutted; null only when TOO_COMPLEX' })
  openPossiblePathCount: bigint | null;

  protected constructor(r: { exposure: string; countStatus: string; counts: ItemCounts | null }) {
    this.exposure = r.exposure as Exposure;
    this.countStatus = r.countStatus as CountStatus;
    this.pathCount = r.counts?.direct.all ?? null;
    this.possiblePathCount = r.counts?.possible.all ?? null;
    this.openPathCount = r.counts?.direct.open ?? null;
    this.openPossiblePathCount = r.counts?.possible.open ?? null;
  }
}

@ObjectType({ description: 'By which paths DPRK labor could have touched an item' })
export class Trace extends ExposureCounts {
  /** Set when traced as recorded at a knowledge time: the change set it was recorded up to. */
  seq?: number;

  readonly result: TraceResult;

  constructor(result: TraceResult) {
    super(result);
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

export const TracePathConnection = ConnectionType('TracePath', TracePath, BigIntScalar, { nullableTotal: true });
