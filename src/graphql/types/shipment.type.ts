import { Field, Float, ObjectType } from 'type-graphql';
import type { EntityNode } from '../../entity/entity.types';
import { DateScalar } from '../scalars/date.scalar';
import { Entity, num, str } from './entity.type';

/**
 * One customs entry of an item (shipments.csv). Dates are calendar days: a partial date of the dataset is its first
 * day (entryDate, producedFrom) or its last day (producedTo).
 */
@ObjectType({ description: 'One customs entry of an item: its importer of record, entry and the production window of the goods' })
export class Shipment extends Entity {
  @Field(() => String, { nullable: true, description: 'customs entry number' })
  entryNumber: string | null;

  @Field(() => DateScalar, { nullable: true, description: 'day of entry (a partial date given in the dataset: its first day)' })
  entryDate: string | null;

  @Field(() => DateScalar, { nullable: true, description: 'start of the production window (a partial date: its first day)' })
  producedFrom: string | null;

  @Field(() => DateScalar, { nullable: true, description: 'end of the production window (a partial date: its last day)' })
  producedTo: string | null;

  @Field(() => Float, { nullable: true })
  quantity: number | null;

  @Field(() => String, { nullable: true, description: 'declared country of origin, ISO 3166-1 alpha-2' })
  declaredOrigin: string | null;

  constructor(node: EntityNode) {
    super(node);
    const p = node.props;
    this.entryNumber = str(p.entry_number);
    this.entryDate = str(p.entry_date);
    this.producedFrom = str(p.produced_from);
    this.producedTo = str(p.produced_to);
    this.quantity = num(p.quantity);
    this.declaredOrigin = str(p.declared_origin);
  }
}
