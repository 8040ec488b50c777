import { Authorized, Field, Int, ObjectType } from 'type-graphql';
import { access } from '../../auth/access.table';
import type { EntityNode } from '../../entity/entity.types';
import { DPRK } from '../../model/graph-model';
import { Entity, str } from './entity.type';

@ObjectType({ description: 'One worker or a cohort of workers' })
export class Worker extends Entity {
  @Authorized(access('Worker', 'name'))
  @Field(() => String, { nullable: true })
  name: string | null;

  @Field({ description: 'ISO 3166-1 alpha-2' })
  nationality: string;

  @Field(() => Int, { nullable: true, description: 'how many workers the cohort counts; null: unknown (never assumed 1)' })
  headcount: number | null;

  @Field({ description: 'nationality is KP: a trace source' })
  dprkNational: boolean;

  constructor(node: EntityNode) {
    super(node);
    const p = node.props;
    this.name = str(p.name);
    this.nationality = String(p.nationality);
    this.headcount = typeof p.headcount === 'number' ? p.headcount : null;
    this.dprkNational = this.nationality === DPRK;
  }
}
