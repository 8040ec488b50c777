import { Authorized, Field, ID, ObjectType } from 'type-graphql';
import type { EntityNode } from '../../entity/entity.types';

@ObjectType({ description: 'A free-form x_* column of the dataset' })
export class ExtraProperty {
  @Field()
  key!: string;

  @Field()
  value!: string;
}

/** What every node type shares: its dataset id, its name, and the evidence attached to it. */
@ObjectType()
export abstract class Entity {
  @Field(() => ID)
  id!: string;

  /** Ids of the Evidence rows supporting this node, resolved by the `evidence` field. */
  evidenceIds!: string[];

  /** CHANGES.md: how many change sets changed it (resolved by history.resolver.ts). */
  version: number;

  /** Set when read as recorded at a knowledge time: the change set it was recorded up to. */
  seq?: number;

  /** x_* columns of the dataset, kept as they were. */
  @Authorized() // the access table's rule for each concrete type's `extra` (Worker.extra is personal data)
  @Field(() => [ExtraProperty])
  extra!: ExtraProperty[];

  protected constructor(node: EntityNode) {
    this.id = node.id;
    this.version = typeof node.props._version === 'number' ? node.props._version : 1;
    this.seq = node.seq;
    this.evidenceIds = (node.props.evidence as string[] | undefined) ?? [];
    this.extra = Object.entries(node.props)
      .filter(([k]) => k.startsWith('x_'))
      .map(([key, value]) => Object.assign(new ExtraProperty(), { key, value: String(value) }));
  }
}

export const str = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));
export const num = (v: unknown): number | null => (typeof v === 'number' ? v : null);
