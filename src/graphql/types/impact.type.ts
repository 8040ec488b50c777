import { Field, ObjectType } from 'type-graphql';
import type { TaintGraph } from '../../trace/engine/taint-graph';
import type { TraceEngine } from '../../trace/engine/trace.engine';
import type { ImpactRow } from '../../trace/trace.service';
import { BigIntScalar } from '../scalars/bigint.scalar';
import { GraphNode } from './graph.type';

@ObjectType({ description: 'An item some of whose paths pass through the node' })
export class ImpactResult {
  /** Set when read as recorded at a knowledge time: fields below read the graph as recorded then. */
  seq?: number;

  readonly itemId: string;

  @Field(() => BigIntScalar, { description: 'direct paths to the item through the node' })
  pathCount: bigint;

  @Field(() => BigIntScalar, { description: 'possible paths to the item through the node' })
  possiblePathCount: bigint;

  @Field(() => BigIntScalar, { description: 'direct paths to the item through the node, not rebutted' })
  openPathCount: bigint;

  @Field(() => BigIntScalar, { description: 'possible paths to the item through the node, not rebutted' })
  openPossiblePathCount: bigint;

  constructor(row: ImpactRow) {
    this.itemId = row.itemId;
    this.pathCount = row.direct;
    this.possiblePathCount = row.possible;
    this.openPathCount = row.openDirect;
    this.openPossiblePathCount = row.openPossible;
  }
}

@ObjectType({ description: 'What a node (factory, worker cohort, agency, company with its own plants, item) could have touched' })
export class Impact {
  /** The engines the subgraph field draws with. */
  traced!: { nodeId: string; through: ReadonlySet<string>; graph: TaintGraph; engine: TraceEngine; without: TraceEngine; recordedSeq?: number };

  @Field(() => GraphNode)
  node!: GraphNode;

  @Field(() => [ImpactResult], { description: 'Products with at least one path through the node, in id order' })
  products!: ImpactResult[];

  @Field(() => [ImpactResult], { description: 'Components with at least one path through the node, in id order' })
  components!: ImpactResult[];
}
