import neo4j from 'neo4j-driver';
import type { Neo4jClient } from '../db/neo4j-client';
import { plainProps, toEntityNode, type EntityNode, type EntityRel } from './entity.types';
import { relationshipId, type RelType } from '../model/graph-model';

/** Which list/count statements serve each collection. */
export type Collection = 'items' | 'factories' | 'companies' | 'agencies' | 'workers' | 'evidence' | 'shipments';

export interface EntityFilter {
  nameContains?: string | null;
  country?: string | null;
  nationality?: string | null;
  kind?: string | null;
}

export interface EntityPage {
  nodes: EntityNode[];
  hasNextPage: boolean;
  totalCount: number;
}

/** What the API reads entities from: the current graph in Neo4j, or the graph as recorded at a knowledge time. */
export interface EntityReader {
  page(collection: Collection, filter: EntityFilter, first: number, after: string | null): Promise<EntityPage>;
  nodesById(ids: readonly string[]): Promise<Map<string, EntityNode>>;
  relationshipsOf(ids: readonly string[]): Promise<{ rels: Map<string, EntityRel[]>; neighbours: EntityNode[] }>;
}

/** Reads entities for the API: pages of a collection, and batches by id for the DataLoaders. */
export class EntityService implements EntityReader {
  constructor(private readonly client: Neo4jClient) {}

  async page(collection: Collection, filter: EntityFilter, first: number, after: string | null): Promise<EntityPage> {
    const f = { nameContains: null, country: null, nationality: null, kind: null, ...filter };
    return this.client.readTx(async (tx) => {
      const rows = (await tx.run(`entity/list-${collection}`, { filter: f, after, limit: neo4j.int(first + 1) })).records;
      const total = (await tx.run(`entity/count-${collection}`, { filter: f })).records[0].get('total') as number;
      const nodes = rows.slice(0, first).map((r) => toEntityNode(r.get('labels'), r.get('props')));
      return { nodes, hasNextPage: rows.length > first, totalCount: total };
    });
  }

  async nodesById(ids: readonly string[]): Promise<Map<string, EntityNode>> {
    const rows = await this.client.read<{ labels: string[]; props: Record<string, unknown> }>('entity/nodes-by-id', { ids });
    return new Map(rows.map((r) => {
      const n = toEntityNode(r.labels, r.props);
      return [n.id, n];
    }));
  }

  /** All relationships of each node, with the nodes at their other ends. */
  async relationshipsOf(ids: readonly string[]): Promise<{ rels: Map<string, EntityRel[]>; neighbours: EntityNode[] }> {
    const rows = await this.client.read<{
      id: string; type: RelType; outgoing: boolean; props: Record<string, unknown>;
      otherId: string; otherLabels: string[]; otherProps: Record<string, unknown>;
    }>('entity/relationships-of', { ids });
    const rels = new Map<string, EntityRel[]>(ids.map((id) => [id, []]));
    const neighbours: EntityNode[] = [];
    for (const r of rows) {
      const other = toEntityNode(r.otherLabels, r.otherProps);
      neighbours.push(other);
      const props = plainProps(r.props);
      const key = props.key as string;
      rels.get(r.id)!.push({
        id: typeof props.id === 'string' ? props.id : relationshipId(key), key, type: r.type, props,
        source: r.outgoing ? r.id : r.otherId, target: r.outgoing ? r.otherId : r.id,
      });
    }
    return { rels, neighbours };
  }
}
