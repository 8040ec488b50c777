import { Field, ObjectType, registerEnumType } from 'type-graphql';
import type { EntityNode } from '../../entity/entity.types';
import { Entity, str } from './entity.type';

export enum ItemKind {
  PRODUCT = 'Product',
  COMPONENT = 'Component',
}
registerEnumType(ItemKind, { name: 'ItemKind', description: 'A finished good (Product) or a part, sub-assembly or material (Component)' });

@ObjectType({ description: 'A product or a component: anything with a bill of materials' })
export class Item extends Entity {
  @Field()
  name: string;

  @Field(() => ItemKind)
  kind: ItemKind;

  @Field(() => String, { nullable: true })
  sku: string | null;

  @Field(() => String, { nullable: true, description: 'Harmonized System code' })
  hsCode: string | null;

  @Field(() => String, { nullable: true })
  brand: string | null;

  @Field(() => String, { nullable: true })
  material: string | null;

  constructor(node: EntityNode) {
    super(node);
    const p = node.props;
    this.name = String(p.name);
    this.kind = node.kind === 'Product' ? ItemKind.PRODUCT : ItemKind.COMPONENT;
    this.sku = str(p.sku);
    this.hsCode = str(p.hs_code);
    this.brand = str(p.brand);
    this.material = str(p.material);
  }
}
