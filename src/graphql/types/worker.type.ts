import { Field, Int, ObjectType } from 'type-graphql';
import type { EntityNode } from '../../entity/entity.types';
import { DPRK } from '../../model/graph-model';
import { Entity, str } from './entity.type';

@ObjectType({ description: 'One worker or a cohort of workers' })
export class Worker extends Entity {
  @Field(() => String, { nullable: true })
  name: string | null;

  @Field({ description: 'ISO 3166-1 alpha-2' })
  nationality: string;

  @Field(() => Int)
  headcount: number;

  @Field({ description: 'nationality is KP: a trace source' })
  dprkNational: boolean;

  constructor(node: EntityNode) {
    super(node);
    const p = node.props;
    this.name = str(p.name);
    this.nationality = String(p.nationality);
    this.headcount = typeof p.headcount === 'number' ? p.headcount : 1;
    this.dprkNational = this.nationality === DPRK;
  }
}
