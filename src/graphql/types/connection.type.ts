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

/**
 * A Relay connection type (type-graphql generic types); `TotalType` is Int, or BigInt for path lists, whose total
 * is null when it could not be counted (`nullableTotal`).
 */
export function ConnectionType<T extends object>(
  name: string, NodeType: ClassType<T>, TotalType: GraphQLScalarType = GraphQLInt, options: { nullableTotal?: boolean } = {},
) {
  @ObjectType(`${name}Edge`)
  class EdgeClass {
    @Field()
    cursor!: string;

    @Field(() => NodeType)
    node!: T;
  }

  @ObjectType(`${name}Connection`)
  class ConnectionClass {
    @Field(() => TotalType, { nullable: options.nullableTotal ?? false })
    totalCount!: number | bigint | null;

    @Field(() => [EdgeClass])
    edges!: EdgeClass[];

    @Field(() => PageInfo)
    pageInfo!: PageInfo;
  }
  return ConnectionClass;
}
