import { Field, Float, ID, ObjectType, registerEnumType } from 'type-graphql';
import type { ListMatchRecord } from '../../lists/list.store';
import { DateTimeScalar } from '../scalars/datetime.scalar';
import { ConnectionType } from './connection.type';

export enum MatchStatus {
  PENDING = 'PENDING',
  CONFIRMED = 'CONFIRMED',
  REJECTED = 'REJECTED',
}
registerEnumType(MatchStatus, { name: 'MatchStatus', description: 'A list match candidate waits for a person (PENDING), or was decided' });

export enum MatchDecision {
  CONFIRMED = 'CONFIRMED',
  REJECTED = 'REJECTED',
}
registerEnumType(MatchDecision, { name: 'MatchDecision' });

@ObjectType({ description: 'A graph entity that may be a list entry, with the reasoning a person checks before deciding (LISTS.md)' })
export class ListMatch {
  @Field(() => ID)
  id: string;

  /** For the entity field. */
  readonly entityId: string;

  @Field({ description: 'the list: ofac-sdn, ftm, or the name given at import' })
  list: string;

  @Field({ description: 'the version of the list the candidate was last matched against' })
  listVersion: string;

  @Field({ description: "the entry's id on the list (OFAC ent_num, an FtM entity id)" })
  entryId: string;

  @Field({ description: "the entry's primary name" })
  entryName: string;

  @Field({ description: "the entry's name or alias that matched" })
  matchedName: string;

  @Field(() => [String], { description: 'the programs the entry is listed under (e.g. DPRK3)' })
  programs: string[];

  @Field({ description: 'listed under a DPRK program: confirmed for a labor agency, the agency is a source' })
  dprk: boolean;

  @Field(() => Float, { description: '0..1: the rarity-weighted share of both names\' words that matched (README, "Matching")' })
  score: number;

  @Field({ description: 'which name matched which, word by word, and what moved the score' })
  explanation: string;

  @Field(() => MatchStatus)
  status: MatchStatus;

  @Field(() => String, { nullable: true })
  decidedBy: string | null;

  @Field(() => DateTimeScalar, { nullable: true })
  decidedAt: number | null;

  @Field(() => String, { nullable: true, description: "the decider's note" })
  decisionNote: string | null;

  constructor(m: ListMatchRecord) {
    this.id = m.id;
    this.entityId = m.entityId;
    this.list = m.list;
    this.listVersion = m.listVersion;
    this.entryId = m.entryId;
    this.entryName = m.entryName;
    this.matchedName = m.matchedName;
    this.programs = m.programs;
    this.dprk = m.dprk;
    this.score = m.score;
    this.explanation = m.explanation;
    this.status = m.status as MatchStatus;
    this.decidedBy = m.decidedBy;
    this.decidedAt = m.decidedAt === null ? null : Date.parse(m.decidedAt);
    this.decisionNote = m.decisionNote;
  }
}

export const ListMatchConnection = ConnectionType('ListMatch', ListMatch);

@ObjectType({ description: 'A list entry a person confirmed this node to be (LISTS.md): shown on paths, in the explorer and the dossier' })
export class Listing {
  @Field()
  list: string;

  @Field()
  listVersion: string;

  @Field()
  entryId: string;

  @Field()
  entryName: string;

  @Field(() => [String])
  programs: string[];

  @Field({ description: 'under a DPRK program' })
  dprk: boolean;

  @Field(() => ID, { description: 'the confirmed ListMatch' })
  matchId: string;

  constructor(m: ListMatchRecord) {
    this.list = m.list;
    this.listVersion = m.listVersion;
    this.entryId = m.entryId;
    this.entryName = m.entryName;
    this.programs = m.programs;
    this.dprk = m.dprk;
    this.matchId = m.id;
  }
}
