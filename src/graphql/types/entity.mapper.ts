import type { EntityNode } from '../../entity/entity.types';
import type { NodeKind } from '../../model/graph-model';
import { Company } from './company.type';
import type { Entity } from './entity.type';
import { Evidence } from './evidence.type';
import { Factory } from './factory.type';
import { Item } from './item.type';
import { LaborAgency } from './labor-agency.type';
import { Shipment } from './shipment.type';
import { Worker } from './worker.type';

const TYPES: Record<NodeKind, new (n: EntityNode) => Entity> = {
  Product: Item,
  Component: Item,
  Factory,
  Company,
  LaborAgency,
  Worker,
  Evidence,
  Shipment,
};

/** The GraphQL object for a node, or null when it is missing or of another kind than expected. */
export function toObject<T extends Entity>(node: EntityNode | null | undefined, expected: abstract new (...a: never[]) => T): T | null {
  if (!node) return null;
  const object = new TYPES[node.kind](node);
  return object instanceof expected ? (object as T) : null;
}
