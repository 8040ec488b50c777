// Impact analysis: the valid paths to products that pass through given nodes. See docs/engine.md.
import type { PathKind } from './counts';
import { SubgraphMarker, subgraphOf, type Subgraph } from './subgraph-marker';
import type { TaintGraph } from './taint-graph';
import type { CountedWalks } from './walks';

/**
 * The union of the valid paths to products that pass through any of `through` (impact analysis: a node, or a
 * company with the factories it operates). `without` is an engine over the same graph with those nodes
 * excluded: a walk that has not met one yet continues only where the counts with and without them differ.
 */
export function subgraphThrough(graph: TaintGraph, w: CountedWalks, through: ReadonlySet<string>, without: CountedWalks, kinds: readonly PathKind[]): Subgraph {
  const m = new SubgraphMarker(w, kinds, { nodes: through, without });
  const toProduct = new Map<string, boolean>();
  const reachesProduct = (id: string): boolean => {
    let r = toProduct.get(id);
    if (r === undefined) {
      toProduct.set(id, false); // the bill of materials is acyclic; this only guards malformed input
      r = graph.node(id)?.kind === 'Product' || graph.outOf(id, 'COMPONENT_OF').some((h) => reachesProduct(h.target));
      toProduct.set(id, r);
    }
    return r;
  };
  const isItem = (id: string) => graph.node(id)?.kind === 'Product' || graph.node(id)?.kind === 'Component';
  const starts: string[] = [];
  const item = [...through].find(isItem);
  if (item !== undefined) {
    if (!reachesProduct(item)) return m.result();
    const below = subgraphOf(w, item, kinds);
    if (below.nodes.length === 0) return m.result();
    below.nodes.forEach((n) => m.nodes.add(n));
    m.markRows(below.rows);
    starts.push(item);
  } else {
    for (const n of graph.nodes.values()) {
      if (!isItem(n.id) || !reachesProduct(n.id)) continue;
      if (m.markPrefixes(n.id, false)) {
        m.nodes.add(n.id);
        starts.push(n.id);
      }
    }
  }
  const climbed = new Set(starts);
  while (starts.length > 0) {
    const id = starts.pop()!;
    for (const h of graph.outOf(id, 'COMPONENT_OF')) {
      if (!w.present(h.target) || !reachesProduct(h.target)) continue;
      m.markRows(h.rows);
      m.nodes.add(h.target);
      if (!climbed.has(h.target)) {
        climbed.add(h.target);
        starts.push(h.target);
      }
    }
  }
  return m.result();
}

