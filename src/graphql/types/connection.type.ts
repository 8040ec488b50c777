import { ClassType, Field, Int, ObjectType } from 'type-graphql';
import { PageInfo } from './page-info.type';

export interface Edge<T> {
  cursor: string;
  node: T;
}

export interface Connection<T> {
  totalCount: number;
  edges: Edge<T>[];
  pageInfo: PageInfo;
}

/** A Relay connection type for entity lists (type-graphql generic types). */
export function ConnectionType<T extends object>(name: string, NodeType: ClassType<T>) {
  @ObjectType(`${name}Edge`)
  class EdgeClass {
    @Field()
    cursor!: string;

    @Field(() => NodeType)
    node!: T;
  }

  @ObjectType(`${name}Connection`)
  class ConnectionClass {
    @Field(() => Int)
    totalCount!: number;

    @Field(() => [EdgeClass])
    edges!: EdgeClass[];

    @Field(() => PageInfo)
    pageInfo!: PageInfo;
  }
  return ConnectionClass;
}
