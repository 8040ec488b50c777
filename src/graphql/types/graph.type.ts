import { Authorized, Field, ID, ObjectType } from 'type-graphql';
import { access } from '../../auth/access.table';
import { rebuttedAt, type TaintGraph, type TaintRow } from '../../trace/engine/taint-graph';
import { DateScalar } from '../scalars/date.scalar';
import { ExtraProperty } from './entity.type';

@ObjectType({ description: 'A node for drawing: its dataset id, kind and name' })
export class GraphNode {
  /** Set when drawn from a graph as recorded at a knowledge time: its listings are read as recorded then. */
  seq?: number;

  @Field(() => ID, { description: 'the dataset id' })
  id!: string;

  @Field({ description: 'Product, Component, Factory, Company, LaborAgency, Worker, Evidence or Shipment' })
  kind!: string;

  @Authorized(access('GraphNode', 'name'))
  @Field(() => String, { nullable: true })
  name!: string | null;

  @Field({ description: 'where paths start: a KP worker, a DPRK-linked agency or a factory in the DPRK' })
  source!: boolean;

  @Field({ description: 'the item this graph was traced for (or the node whose impact it shows)' })
  traced!: boolean;
}

@ObjectType({ description: 'A relationship for drawing, pointing the way taint flows (factory OPERATED_BY company; the stored OPERATES reversed)' })
export class GraphRelationship {
  /** The row, for field resolvers. */
  readonly row: TaintRow;

  @Field(() => ID, {
    description: 'opaque and stable: the id column of the dataset row, or one derived from it (letters, digits and -, safe in CSS selectors)',
  })
  id: string;

  @Field({ description: 'the natural key: type, endpoints, placement and interval' })
  key: string;

  @Field({ description: 'EMPLOYED_AT, RECRUITED_BY, DISPATCHES_TO, SUPPLIES_LABOR_TO, SUBCONTRACTOR_OF, PRODUCED, COMPONENT_OF, OPERATED_BY, SUPPLIES or SOURCED_FROM' })
  type: string;

  @Field(() => ID)
  source: string;

  @Field(() => ID)
  target: string;

  @Field(() => DateScalar, { nullable: true, description: 'first day (a partial date in the data is resolved to its first day)' })
  from: string | null;

  @Field(() => DateScalar, { nullable: true, description: 'last day (a partial date in the data is resolved to its last day)' })
  to: string | null;

  @Field(() => ID, { nullable: true, description: 'RECRUITED_BY: the factory the workers were placed at through the agency' })
  placement: string | null;

  @Field(() => [ID], { description: 'ids of the Evidence supporting this relationship' })
  evidenceIds: string[];

  @Field({ description: 'a labor relationship rebutted by evidence' })
  rebutted: boolean;

  @Field(() => [ExtraProperty], { description: 'x_* columns of the dataset row' })
  extra: ExtraProperty[];

  /**
   * @param item the item the relationship is shown for (a path's relationships: the traced item): `rebutted` then also
   *   counts the rebuttals scoped to it (rebuttedAt); absent, only those holding for every path.
   */
  constructor(r: TaintRow, item?: string | null) {
    // In the API every relationship points the way taint flows; OPERATES (stored company -> factory) reads OPERATED_BY.
    const [type, source, target] = r.type === 'OPERATES' ? ['OPERATED_BY', r.target, r.source] : [r.type, r.source, r.target];
    this.row = r;
    this.id = r.id;
    this.key = r.key;
    this.type = type;
    this.source = source;
    this.target = target;
    this.from = r.from;
    this.to = r.to;
    this.placement = r.placement;
    this.evidenceIds = r.evidence;
    this.rebutted = rebuttedAt(r, item ?? null);
    this.extra = Object.entries(r.extras ?? {}).map(([key, value]) => Object.assign(new ExtraProperty(), { key, value }));
  }
}

@ObjectType({ description: 'Nodes and relationships, for drawing' })
export class Graph {
  @Field(() => [GraphNode])
  nodes!: GraphNode[];

  @Field(() => [GraphRelationship])
  relationships!: GraphRelationship[];
}

/** `traced`: the id flagged as the traced item (or the node an impact is about). */
export function graphNode(graph: TaintGraph, id: string, traced?: string, seq?: number): GraphNode {
  const n = graph.nodes.get(id);
  return Object.assign(new GraphNode(), {
    id, kind: n?.kind ?? 'Unknown', name: n?.name ?? null, source: n?.source ?? false, traced: id === traced, seq,
  });
}

/** `item`: the item the relationship is shown for (a path's traced item), whose scoped rebuttals `rebutted` counts. */
export function graphRelationship(r: TaintRow, item?: string | null): GraphRelationship {
  return new GraphRelationship(r, item);
}

export function toGraph(graph: TaintGraph, nodes: readonly string[], rows: readonly TaintRow[], traced?: string, seq?: number): Graph {
  return Object.assign(new Graph(), { nodes: nodes.map((id) => graphNode(graph, id, traced, seq)), relationships: rows.map((r) => graphRelationship(r)) });
}
