import { Field, ID, ObjectType } from 'type-graphql';
import type { TaintGraph, TaintRow } from '../../trace/taint-graph';
import { DateScalar } from '../scalars/date.scalar';

@ObjectType({ description: 'A node for drawing: its dataset id, kind and name' })
export class GraphNode {
  @Field(() => ID, { description: 'the dataset id' })
  id!: string;

  @Field({ description: 'Product, Component, Factory, Company, LaborAgency, Worker or Evidence' })
  kind!: string;

  @Field(() => String, { nullable: true })
  name!: string | null;

  @Field({ description: 'a KP worker or a DPRK-linked agency: where paths start' })
  source!: boolean;
}

@ObjectType({ description: 'A relationship for drawing, pointing the way taint flows (factory OPERATED_BY company; the stored OPERATES reversed)' })
export class GraphRelationship {
  @Field(() => ID, { description: 'the relationship key: type, endpoints and, when timed, interval' })
  id!: string;

  @Field()
  type!: string;

  @Field(() => ID)
  source!: string;

  @Field(() => ID)
  target!: string;

  @Field(() => DateScalar, { nullable: true })
  from!: string | null;

  @Field(() => DateScalar, { nullable: true })
  to!: string | null;

  @Field(() => [ID], { description: 'ids of the Evidence supporting this relationship' })
  evidenceIds!: string[];

  @Field({ description: 'a labor relationship rebutted by evidence' })
  rebutted!: boolean;
}

@ObjectType({ description: 'Nodes and relationships, for drawing' })
export class Graph {
  @Field(() => [GraphNode])
  nodes!: GraphNode[];

  @Field(() => [GraphRelationship])
  relationships!: GraphRelationship[];
}

export function graphNode(graph: TaintGraph, id: string): GraphNode {
  const n = graph.nodes.get(id);
  return Object.assign(new GraphNode(), { id, kind: n?.kind ?? 'Unknown', name: n?.name ?? null, source: n?.source ?? false });
}

/** In the API every relationship points the way taint flows; OPERATES (stored company -> factory) reads OPERATED_BY. */
export function graphRelationship(r: TaintRow): GraphRelationship {
  const [type, source, target] = r.type === 'OPERATES' ? ['OPERATED_BY', r.target, r.source] : [r.type, r.source, r.target];
  return Object.assign(new GraphRelationship(), {
    id: r.key, type, source, target, from: r.from, to: r.to, evidenceIds: r.evidence, rebutted: r.rebutted,
  });
}

export function toGraph(graph: TaintGraph, nodes: readonly string[], rows: readonly TaintRow[]): Graph {
  return Object.assign(new Graph(), { nodes: nodes.map((id) => graphNode(graph, id)), relationships: rows.map(graphRelationship) });
}
