import { GraphQLInt, type GraphQLScalarType } from 'graphql';
import { ClassType, Field, ObjectType } from 'type-graphql';
import { PageInfo } from './page-info.type';

export interface Edge<T> {
  cursor: string;
  node: T;
}

export interface Connection<T, Total = number> {
  totalCount: Total;
  edges: Edge<T>[];
  pageInfo: PageInfo;
}

/** A Relay connection type (type-graphql generic types); `TotalType` is Int, or BigInt for path lists. */
export function ConnectionType<T extends object>(name: string, NodeType: ClassType<T>, TotalType: GraphQLScalarType = GraphQLInt) {
  @ObjectType(`${name}Edge`)
  class EdgeClass {
    @Field()
    cursor!: string;

    @Field(() => NodeType)
    node!: T;
  }

  @ObjectType(`${name}Connection`)
  class ConnectionClass {
    @Field(() => TotalType)
    totalCount!: number | bigint;

    @Field(() => [EdgeClass])
    edges!: EdgeClass[];

    @Field(() => PageInfo)
    pageInfo!: PageInfo;
  }
  return ConnectionClass;
}
