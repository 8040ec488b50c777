import DataLoader from 'dataloader';
import type { RelType } from '../model/graph-model';
import type { EntityReader } from './entity.service';
import type { EntityNode, EntityRel } from './entity.types';

export type Direction = 'in' | 'out';

/**
 * Per-request batching: every node and relationship field of one GraphQL request resolves through these two
 * loaders, so a nested query costs one statement per nesting level, not one per node.
 */
export class EntityLoaders {
  readonly node: DataLoader<string, EntityNode | null>;
  readonly relationships: DataLoader<string, EntityRel[]>;

  constructor(service: EntityReader) {
    this.node = new DataLoader(async (ids) => {
      const found = await service.nodesById(ids);
      return ids.map((id) => found.get(id) ?? null);
    });
    this.relationships = new DataLoader(async (ids) => {
      const { rels, neighbours } = await service.relationshipsOf(ids);
      // The far ends came with the relationships: prime them so resolving them costs nothing.
      for (const n of neighbours) this.node.prime(n.id, n);
      return ids.map((id) => rels.get(id) ?? []);
    });
  }

  /** The relationships of one type at a node, in a stable order (the other end's id, then the key). */
  async links(id: string, type: RelType, direction: Direction): Promise<EntityRel[]> {
    const all = await this.relationships.load(id);
    return all
      .filter((r) => r.type === type && (direction === 'out' ? r.source === id : r.target === id))
      .sort((a, b) => (direction === 'out' ? a.target.localeCompare(b.target) : a.source.localeCompare(b.source)) || a.key.localeCompare(b.key));
  }

  async nodes(ids: readonly string[]): Promise<EntityNode[]> {
    return (await this.node.loadMany(ids)).filter((n): n is EntityNode => n !== null && !(n instanceof Error));
  }
}
