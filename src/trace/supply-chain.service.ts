import type { Neo4jClient } from '../db/neo4j-client';
import { toEntityNode, type EntityNode } from '../entity/entity.types';
import { TaintGraph } from './taint-graph';

export type SupplyDirection = 'UPSTREAM' | 'DOWNSTREAM';

/** Sub-tier supplier maps and where-used lists: plain traversals, no time rules (each supply link carries its interval). */
export class SupplyChainService {
  constructor(private readonly client: Neo4jClient) {}

  /** Companies within maxTiers supply hops of a company, tier by tier (one statement per tier), as a graph. */
  async supplyChain(companyId: string, direction: SupplyDirection, maxTiers: number): Promise<TaintGraph | null> {
    return this.client.readTx(async (tx) => {
      const root = await tx.run('entity/nodes-by-id', { ids: [companyId] });
      if (root.records.length === 0 || !root.records[0].get('labels').includes('Company')) return null;
      const graph = new TaintGraph();
      graph.addNode({ id: companyId, kind: 'Company', name: root.records[0].get('props').name });
      let frontier = [companyId];
      for (let tier = 1; tier <= maxTiers && frontier.length > 0; tier++) {
        const rows = (await tx.run(direction === 'UPSTREAM' ? 'trace/suppliers-of' : 'trace/customers-of', { ids: frontier })).records;
        const next: string[] = [];
        for (const r of rows) {
          const id = r.get('next') as string;
          graph.addRow({
            id: r.get('id'), key: r.get('key'), type: 'SUPPLIES', source: r.get('source'), target: r.get('target'),
            from: r.get('from'), to: r.get('to'), evidence: r.get('evidence'),
          });
          if (!graph.nodes.has(id)) {
            graph.addNode({ id, kind: 'Company', name: r.get('nextName') });
            next.push(id);
          }
        }
        frontier = next;
      }
      return graph;
    });
  }

  /** Every item containing the given one; null when the item does not exist. */
  async whereUsed(itemId: string): Promise<EntityNode[] | null> {
    return this.client.readTx(async (tx) => {
      if ((await tx.run('trace/item', { id: itemId })).records.length === 0) return null;
      const rows = (await tx.run('trace/where-used', { id: itemId })).records;
      return rows.map((r) => toEntityNode(r.get('labels'), r.get('props')));
    });
  }
}
