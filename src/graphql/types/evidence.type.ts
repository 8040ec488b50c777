import { Authorized, Field, Float, ObjectType } from 'type-graphql';
import { access } from '../../auth/access.table';
import type { EntityNode } from '../../entity/entity.types';
import { DateScalar } from '../scalars/date.scalar';
import { Entity, num, str } from './entity.type';

@ObjectType({ description: 'A source document: media report, audit, contract, payroll, testimony' })
export class Evidence extends Entity {
  @Authorized(access('Evidence', 'title'))
  @Field()
  title: string;

  @Field(() => String, { nullable: true })
  kind: string | null;

  @Authorized(access('Evidence', 'url'))
  @Field(() => String, { nullable: true })
  url: string | null;

  @Authorized(access('Evidence', 'published'))
  @Field(() => DateScalar, { nullable: true })
  published: string | null;

  @Authorized(access('Evidence', 'confidence'))
  @Field(() => Float, { nullable: true, description: '0..1' })
  confidence: number | null;

  constructor(node: EntityNode) {
    super(node);
    const p = node.props;
    this.title = String(p.title);
    this.kind = str(p.kind);
    this.url = str(p.url);
    this.published = str(p.published);
    this.confidence = num(p.confidence);
  }
}
