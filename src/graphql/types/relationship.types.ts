import { Field, Float, ID, ObjectType } from 'type-graphql';
import type { EntityRel } from '../../entity/entity.types';
import { EXTRA_COLUMN_PREFIX } from '../../dataset/dataset.spec';
import { DateScalar } from '../scalars/date.scalar';
import { ExtraProperty } from './entity.type';

/**
 * Relationships as the API shows them: each names both ends (resolved in relationship.resolvers.ts), its
 * interval when timed, its evidence and its x_* columns. `id` is the relationship's public id (the dataset's `id`
 * column, or the opaque id derived from its type, ends and interval), the same id trace paths use.
 */
@ObjectType()
export class Relationship {
  @Field(() => ID)
  id: string;

  @Field({ description: 'Neo4j relationship type' })
  type: string;

  /** x_* columns of the dataset row, kept as they were. */
  @Field(() => [ExtraProperty])
  extra: ExtraProperty[];

  sourceId: string;
  targetId: string;
  evidenceIds: string[];
  /** CHANGES.md: how many change sets changed it (resolved by history.resolver.ts). */
  version: number;
  /** Set when read as recorded at a knowledge time. */
  seq?: number;

  constructor(rel: EntityRel) {
    this.id = rel.id;
    this.version = typeof rel.props._version === 'number' ? rel.props._version : 1;
    this.seq = rel.seq;
    this.type = rel.type;
    this.sourceId = rel.source;
    this.targetId = rel.target;
    this.evidenceIds = (rel.props.evidence as string[] | undefined) ?? [];
    this.extra = Object.entries(rel.props)
      .filter(([k]) => k.startsWith(EXTRA_COLUMN_PREFIX))
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([key, value]) => Object.assign(new ExtraProperty(), { key, value: String(value) }));
  }
}

@ObjectType()
export class TimedRelationship extends Relationship {
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

/**
 * Labor edges can be rebutted by evidence (the importer's two prongs); rebuttal never deletes them.
 * A mixin over the relationship class it extends.
 */
let rebuttables = 0;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function Rebuttable<TBase extends new (...args: any[]) => Relationship>(Base: TBase) {
  @ObjectType(`Rebuttable${Base.name}${++rebuttables}`)
  class RebuttableRelationship extends Base {
    /** The `rebuttal` column's evidence ids as imported (export writes them back). */
    rebuttalIds: string[];

    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    constructor(...args: any[]) {
      super(...args);
      const rel = args[0] as EntityRel;
      this.rebuttalIds = (rel.props.rebuttals as string[] | undefined) ?? [];
    }
  }
  return RebuttableRelationship;
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
export class Employment extends Rebuttable(TimedRelationship) {}

@ObjectType({ description: 'The worker was recruited or dispatched by the agency during the interval; with a placement, placed through it at that factory' })
export class Recruitment extends Rebuttable(TimedRelationship) {
  /** recruitment.csv factory_id, resolved by the `placement` field. */
  placementId: string | null;

  constructor(rel: EntityRel) {
    super(rel);
    this.placementId = typeof rel.props.placement === 'string' ? rel.props.placement : null;
  }
}

@ObjectType({ description: 'The agency sent its workers on through another agency during the interval (e.g. a DPRK state corporation through a local intermediary)' })
export class Dispatch extends Rebuttable(TimedRelationship) {}

@ObjectType({ description: 'The agency supplied workers to the factory during the interval' })
export class LaborSupply extends Rebuttable(TimedRelationship) {}

@ObjectType({ description: 'Company-to-company supply (the sub-tier supplier map), while the trade lasted' })
export class Supply extends TimedRelationship {}

@ObjectType({ description: 'The item is bought from the company (the factory is not known), while it was' })
export class Sourcing extends TimedRelationship {}
