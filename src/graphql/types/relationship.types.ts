import { Field, Float, ID, ObjectType } from 'type-graphql';
import type { EntityRel } from '../../entity/entity.types';
import { DateScalar } from '../scalars/date.scalar';

/**
 * Relationships as the API shows them: each names both ends (resolved in relationship.resolvers.ts), its
 * interval when timed, and its evidence. `id` is the relationship key, the same id trace paths use.
 */
@ObjectType()
export abstract class Relationship {
  @Field(() => ID)
  id: string;

  @Field({ description: 'Neo4j relationship type' })
  type: string;

  sourceId: string;
  targetId: string;
  evidenceIds: string[];

  constructor(rel: EntityRel) {
    this.id = rel.key;
    this.type = rel.type;
    this.sourceId = rel.source;
    this.targetId = rel.target;
    this.evidenceIds = (rel.props.evidence as string[] | undefined) ?? [];
  }
}

@ObjectType()
export abstract class TimedRelationship extends Relationship {
  @Field(() => DateScalar, { nullable: true, description: 'start of the interval; null: since always' })
  from: string | null;

  @Field(() => DateScalar, { nullable: true, description: 'end of the interval; null: still ongoing' })
  to: string | null;

  constructor(rel: EntityRel) {
    super(rel);
    this.from = (rel.props.from as string | undefined) ?? null;
    this.to = (rel.props.to as string | undefined) ?? null;
  }
}

/** Labor edges can be rebutted by evidence (the importer's two prongs); rebuttal never deletes them. */
function rebuttalIdsOf(rel: EntityRel): string[] {
  return (rel.props.rebuttals as string[] | undefined) ?? [];
}

@ObjectType({ description: 'A bill-of-materials line: component is part of parent' })
export class BomLine extends Relationship {
  @Field(() => Float, { nullable: true })
  quantity: number | null;

  constructor(rel: EntityRel) {
    super(rel);
    this.quantity = typeof rel.props.quantity === 'number' ? rel.props.quantity : null;
  }
}

@ObjectType({ description: 'The item was made or processed at the factory during the interval' })
export class Production extends TimedRelationship {}

@ObjectType({ description: 'Work of principal was subcontracted to subcontractor during the interval' })
export class Subcontract extends TimedRelationship {}

@ObjectType({ description: 'The worker (cohort) worked at the factory during the interval' })
export class Employment extends TimedRelationship {
  rebuttalIds: string[];

  @Field({ description: 'evidence rebuts this labor edge' })
  rebutted: boolean;

  constructor(rel: EntityRel) {
    super(rel);
    this.rebuttalIds = rebuttalIdsOf(rel);
    this.rebutted = this.rebuttalIds.length > 0;
  }
}

@ObjectType({ description: 'The worker was recruited or dispatched by the agency' })
export class Recruitment extends Relationship {
  rebuttalIds: string[];

  @Field({ description: 'evidence rebuts this labor edge' })
  rebutted: boolean;

  constructor(rel: EntityRel) {
    super(rel);
    this.rebuttalIds = rebuttalIdsOf(rel);
    this.rebutted = this.rebuttalIds.length > 0;
  }
}

@ObjectType({ description: 'The agency supplied workers to the factory during the interval' })
export class LaborSupply extends TimedRelationship {
  rebuttalIds: string[];

  @Field({ description: 'evidence rebuts this labor edge' })
  rebutted: boolean;

  constructor(rel: EntityRel) {
    super(rel);
    this.rebuttalIds = rebuttalIdsOf(rel);
    this.rebutted = this.rebuttalIds.length > 0;
  }
}

@ObjectType({ description: 'Company-to-company supply (the sub-tier supplier map)' })
export class Supply extends Relationship {}

@ObjectType({ description: 'The item is bought from the company (the factory is not known)' })
export class Sourcing extends Relationship {}
