import { Field, ObjectType } from 'type-graphql';
import type { EntityNode } from '../../entity/entity.types';
import { Entity, str } from './entity.type';

@ObjectType({ description: 'A legal entity: a supplier at any tier, a factory operator, a buyer' })
export class Company extends Entity {
  @Field()
  name: string;

  @Field(() => String, { nullable: true })
  country: string | null;

  constructor(node: EntityNode) {
    super(node);
    this.name = String(node.props.name);
    this.country = str(node.props.country);
  }
}
