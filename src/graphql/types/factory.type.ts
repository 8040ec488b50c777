import { Field, Float, ObjectType } from 'type-graphql';
import type { EntityNode } from '../../entity/entity.types';
import { Entity, num, str } from './entity.type';

@ObjectType({ description: 'A production site' })
export class Factory extends Entity {
  @Field()
  name: string;

  @Field({ description: 'ISO 3166-1 alpha-2' })
  country: string;

  @Field(() => String, { nullable: true })
  address: string | null;

  @Field(() => Float, { nullable: true })
  lat: number | null;

  @Field(() => Float, { nullable: true })
  lon: number | null;

  @Field(() => String, { nullable: true, description: 'Open Supply Hub id' })
  osId: string | null;

  constructor(node: EntityNode) {
    super(node);
    const p = node.props;
    this.name = String(p.name);
    this.country = String(p.country);
    this.address = str(p.address);
    this.lat = num(p.lat);
    this.lon = num(p.lon);
    this.osId = str(p.os_id);
  }
}
