import { Field, ObjectType } from 'type-graphql';
import type { EntityNode } from '../../entity/entity.types';
import { DPRK } from '../../model/graph-model';
import { Entity, str } from './entity.type';

@ObjectType({ description: 'A labor agency that recruits or dispatches workers' })
export class LaborAgency extends Entity {
  @Field()
  name: string;

  @Field(() => String, { nullable: true })
  country: string | null;

  @Field({ description: 'dprk_linked as given in the dataset' })
  dprkLinkedFlag: boolean;

  @Field({ description: 'DPRK-linked: flagged so, or based in KP (a trace source)' })
  dprkLinked: boolean;

  @Field()
  sanctioned: boolean;

  constructor(node: EntityNode) {
    super(node);
    const p = node.props;
    this.name = String(p.name);
    this.country = str(p.country);
    this.dprkLinkedFlag = p.dprk_linked === true;
    this.dprkLinked = this.dprkLinkedFlag || this.country === DPRK;
    this.sanctioned = p.sanctioned === true;
  }
}
