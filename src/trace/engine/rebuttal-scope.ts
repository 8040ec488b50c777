// What a rebuttal scoped to an item changes, for the engine scoped to that item: see docs/engine.md.
import type { RelType } from '../../model/graph-model';
import type { TaintGraph } from './taint-graph';

/**
 * The nodes whose counts can see a row rebutted for `item` only: downstream (the way taint flows) of those rows. An
 * agency is affected when such a row leads into it or into an agency dispatching to it; a factory when one is in its
 * labor segments or its subcontractors'; a company when one is behind a plant it operates or a supplier; an item
 * when one is behind its production or sourcing or behind a part in its bill of materials. Every other node counts
 * the same for `item` as for any path.
 *
 * Cost, once per item and memo: the labor and supply network downstream of those rows, then, for the bill of
 * materials, at most twice the smaller of the items above the affected ones and the items below `item` (the two
 * searches run in turns and the first to finish decides; only items below `item` are ever asked about).
 */
export function affectedBy(graph: TaintGraph, item: string): Set<string> {
  const out = new Set<string>();
  const made = new Set<string>(); // items produced or sourced by an affected factory or company
  const stack: string[] = [];
  const mark = (id: string) => {
    if (out.has(id)) return;
    out.add(id);
    stack.push(id);
  };
  for (const hop of graph.hopsScopedTo(item)) mark(hop.target);
  while (stack.length > 0) {
    const id = stack.pop()!;
    const kind = graph.kindOf(id);
    if (kind === 'Product' || kind === 'Component') made.add(id);
    // every downstream type whatever the node's kind (only malformed data has other ones than its kind's)
    for (const type of LABOR_AND_SUPPLY) for (const h of graph.outOf(id, type)) mark(h.target);
    for (const h of graph.into(id, 'OPERATES')) mark(h.source); // OPERATES is stored company -> factory
    for (const type of PREFIX_TYPES) for (const h of graph.outOf(id, type)) made.add(h.target);
  }
  for (const i of affectedItems(graph, made, item)) out.add(i);
  return out;
}

const LABOR_AND_SUPPLY: readonly RelType[] = ['DISPATCHES_TO', 'SUPPLIES_LABOR_TO', 'SUBCONTRACTOR_OF', 'SUPPLIES'];
const PREFIX_TYPES: readonly RelType[] = ['PRODUCED', 'SOURCED_FROM'];

/**
 * The items of `item`'s bill of materials (itself included) with one of `made` in theirs, or a superset: the items
 * above `made` when that search finishes first.
 */
function affectedItems(graph: TaintGraph, made: ReadonlySet<string>, item: string): Iterable<string> {
  if (made.size === 0) return made;
  const up = new Set(made);
  const upQueue = [...made];
  const down = new Set([item]);
  const downQueue = [item];
  while (upQueue.length > 0 && downQueue.length > 0) {
    for (const h of graph.outOf(upQueue.pop()!, 'COMPONENT_OF')) {
      if (!up.has(h.target)) {
        up.add(h.target);
        upQueue.push(h.target);
      }
    }
    for (const h of graph.into(downQueue.pop()!, 'COMPONENT_OF')) {
      if (!down.has(h.source)) {
        down.add(h.source);
        downQueue.push(h.source);
      }
    }
  }
  if (upQueue.length === 0) return up;
  // below `item`, bottom-up: an item is affected when it is made affected or has an affected part; a part still
  // being decided closes a cycle in the bill of materials (which counting refuses): counted as affected
  const decided = new Map<string, boolean>();
  const deciding = new Set<string>();
  const stack: { id: string; expanded: boolean }[] = [{ id: item, expanded: false }];
  while (stack.length > 0) {
    const top = stack[stack.length - 1];
    if (decided.has(top.id) || (!top.expanded && deciding.has(top.id))) {
      stack.pop();
    } else if (!top.expanded) {
      top.expanded = true;
      deciding.add(top.id);
      for (const h of graph.into(top.id, 'COMPONENT_OF')) if (!decided.has(h.source) && !deciding.has(h.source)) stack.push({ id: h.source, expanded: false });
    } else {
      stack.pop();
      deciding.delete(top.id);
      decided.set(top.id, made.has(top.id) || graph.into(top.id, 'COMPONENT_OF').some((h) => decided.get(h.source) ?? true));
    }
  }
  return [...decided].filter(([, affected]) => affected).map(([id]) => id);
}
