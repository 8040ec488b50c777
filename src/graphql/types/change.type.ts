import { Authorized, Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { access } from '../../auth/access.table';
import type { ChangeRecord, ChangeSetRecord } from '../../changes/history.service';
import { DateTimeScalar } from '../scalars/datetime.scalar';
import { ConnectionType } from './connection.type';

export enum ChangeOp {
  ADD = 'ADD',
  UPDATE = 'UPDATE',
  RETIRE = 'RETIRE',
}
registerEnumType(ChangeOp, { name: 'ChangeOp', description: 'What a change did to its entity' });

@ObjectType({ description: "One entity's change: its state before and after, as JSON text (null: absent)" })
export class Change {
  @Field(() => ChangeOp)
  op: ChangeOp;

  @Field(() => ID)
  entityId: string;

  @Field({ description: 'node kind (Product, Worker, …), relationship type (EMPLOYED_AT, …) or Rebuttal' })
  kind: string;

  @Authorized(access('Change', 'before'))
  @Field(() => String, { nullable: true, description: 'JSON text of the state before (null: it did not exist)' })
  before: string | null;

  @Authorized(access('Change', 'after'))
  @Field(() => String, { nullable: true, description: 'JSON text of the state after (null: retired)' })
  after: string | null;

  @Field(() => Int, { description: "the entity's version after this change" })
  version: number;

  constructor(c: ChangeRecord) {
    this.op = c.op as ChangeOp;
    this.entityId = c.entityId;
    this.kind = c.kind;
    this.before = c.before;
    this.after = c.after;
    this.version = c.version;
  }
}

@ObjectType('ChangeSet', { description: 'What was recorded together: by whom, when, why, from where (CHANGES.md)' })
export class ChangeSet {
  @Field(() => ID)
  id: string;

  @Field(() => DateTimeScalar)
  at: number;

  @Field()
  actor: string;

  @Field()
  reason: string;

  @Field({ description: '"api" or "import"' })
  source: string;

  @Field(() => Int, { description: 'how many entities it changed' })
  changeCount: number;

  /** Its number: the graph version it produced. */
  seq: number;

  constructor(s: ChangeSetRecord) {
    this.id = s.id;
    this.at = s.atMs;
    this.actor = s.actor;
    this.reason = s.reason;
    this.source = s.source;
    this.changeCount = s.changeCount;
    this.seq = s.seq;
  }
}

export const ChangeSetConnection = ConnectionType('ChangeSet', ChangeSet);
