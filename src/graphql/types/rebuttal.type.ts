import { Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import type { RebuttalRecord } from '../../changes/rebuttal.store';
import { DateTimeScalar } from '../scalars/datetime.scalar';

export enum RebuttalProng {
  NOT_PRESENT = 'NOT_PRESENT',
  NOT_FORCED = 'NOT_FORCED',
}
registerEnumType(RebuttalProng, { name: 'RebuttalProng', description: "CAATSA's two prongs: no DPRK national took part, or they were not forced" });

export enum RebuttalStatus {
  PROPOSED = 'PROPOSED',
  ACCEPTED = 'ACCEPTED',
  REJECTED = 'REJECTED',
}
registerEnumType(RebuttalStatus, { name: 'RebuttalStatus' });

export enum RebuttalDecision {
  ACCEPTED = 'ACCEPTED',
  REJECTED = 'REJECTED',
}
registerEnumType(RebuttalDecision, { name: 'RebuttalDecision' });

@InputType()
export class RebuttalInput {
  @Field(() => ID, { description: 'a labor relationship: employment, recruitment, dispatch or labor supply (GraphRelationship.id)' })
  relationshipId!: string;

  @Field(() => RebuttalProng)
  prong!: RebuttalProng;

  @Field(() => [ID], { description: 'at least one Evidence id' })
  evidence!: string[];

  @Field(() => String, { nullable: true })
  note?: string | null;

  @Field(() => [ID], { nullable: true, description: 'scope: the rebuttal holds only for paths ending at these items; omitted: every path' })
  itemIds?: string[] | null;
}

@ObjectType({ description: 'A reviewed rebuttal of a labor relationship; only ACCEPTED ones count (CHANGES.md)' })
export class Rebuttal {
  @Field(() => ID)
  id: string;

  relationshipId: string;

  @Field(() => RebuttalProng)
  prong: RebuttalProng;

  @Field(() => RebuttalStatus)
  status: RebuttalStatus;

  evidenceIds: string[];

  @Field(() => String, { nullable: true })
  note: string | null;

  @Field(() => [ID], { nullable: true, description: 'the items it is scoped to; null: every path' })
  itemIds: string[] | null;

  @Field()
  proposedBy: string;

  @Field(() => DateTimeScalar)
  proposedAt: number;

  @Field(() => String, { nullable: true })
  decidedBy: string | null;

  @Field(() => DateTimeScalar, { nullable: true })
  decidedAt: number | null;

  @Field(() => String, { nullable: true, description: "the decider's note" })
  decisionNote: string | null;

  @Field({ description: '"api": proposed through proposeRebuttal; "import": a labor file\'s rebuttal column (accepted by the importing actor)' })
  origin: string;

  @Field(() => Int)
  version: number;

  constructor(r: RebuttalRecord) {
    this.id = r.id;
    this.relationshipId = r.relationshipId;
    this.prong = r.prong as RebuttalProng;
    this.status = r.status as RebuttalStatus;
    this.evidenceIds = r.evidence;
    this.note = r.note;
    this.itemIds = r.itemIds;
    this.proposedBy = r.proposedBy;
    this.proposedAt = Date.parse(r.proposedAt);
    this.decidedBy = r.decidedBy;
    this.decidedAt = r.decidedAt ? Date.parse(r.decidedAt) : null;
    this.decisionNote = r.decisionNote;
    this.origin = r.origin;
    this.version = r.version;
  }
}
