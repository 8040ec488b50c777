import type { Neo4jClient } from '../db/neo4j-client';
import { toEntityNode, type EntityNode } from '../entity/entity.types';
import { TaintGraph } from './engine/taint-graph';

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

  /** The same map in a graph in memory (the graph as recorded at a knowledge time). */
  static supplyChainIn(g: TaintGraph, companyId: string, direction: SupplyDirection, maxTiers: number): TaintGraph | null {
    if (g.kindOf(companyId) !== 'Company') return null;
    const out = new TaintGraph();
    out.addNode({ id: companyId, kind: 'Company', name: g.node(companyId)!.name });
    let frontier = [companyId];
    for (let tier = 1; tier <= maxTiers && frontier.length > 0; tier++) {
      const next: string[] = [];
      for (const id of frontier) {
        const hops = direction === 'UPSTREAM' ? g.into(id, 'SUPPLIES') : g.outOf(id, 'SUPPLIES');
        for (const hop of hops) {
          const far = direction === 'UPSTREAM' ? hop.source : hop.target;
          for (const r of hop.rows) out.addRow({ id: r.id, key: r.key, type: 'SUPPLIES', source: r.source, target: r.target, from: r.from, to: r.to, evidence: r.evidence });
          if (!out.nodes.has(far)) {
            out.addNode({ id: far, kind: 'Company', name: g.node(far)?.name ?? null });
            next.push(far);
          }
        }
      }
      frontier = next;
    }
    return out;
  }

  /** Every item containing the given one, in id order, in a recorded graph; null when the item is not in it. */
  static whereUsedIn(g: { nodes: ReadonlyMap<string, EntityNode>; rels: ReadonlyMap<string, { type: string; source: string; target: string }> }, itemId: string): EntityNode[] | null {
    const kind = g.nodes.get(itemId)?.kind;
    if (kind !== 'Product' && kind !== 'Component') return null;
    const parents = new Map<string, string[]>();
    for (const r of g.rels.values()) {
      if (r.type !== 'COMPONENT_OF' || !g.nodes.has(r.source) || !g.nodes.has(r.target)) continue;
      parents.set(r.source, [...(parents.get(r.source) ?? []), r.target]);
    }
    const seen = new Set<string>();
    const stack = [itemId];
    while (stack.length > 0) {
      for (const p of parents.get(stack.pop()!) ?? []) if (!seen.has(p)) { seen.add(p); stack.push(p); }
    }
    seen.delete(itemId);
    return [...seen].sort().map((id) => g.nodes.get(id)!);
  }
}
