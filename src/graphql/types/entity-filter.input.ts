import { Field, InputType } from 'type-graphql';
import { ItemKind } from './item.type';

@InputType({ description: 'Narrows an entity list; every field is optional and they combine with AND' })
export class EntityFilter {
  @Field(() => String, { nullable: true, description: 'case-insensitive substring of the name' })
  nameContains?: string | null;

  @Field(() => String, { nullable: true, description: 'ISO 3166-1 alpha-2 (factories, companies, agencies)' })
  country?: string | null;
}

@InputType()
export class ItemFilter extends EntityFilter {
  @Field(() => ItemKind, { nullable: true })
  kind?: ItemKind | null;
}

@InputType()
export class WorkerFilter extends EntityFilter {
  @Field(() => String, { nullable: true, description: 'ISO 3166-1 alpha-2' })
  nationality?: string | null;
}
