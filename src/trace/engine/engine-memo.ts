import type { RelType } from '../../model/graph-model';
import { sameCounts, type Counts, type ItemTally } from './counts';
import { newComponents, type ComponentsMemo } from './components';
import type { ItemTable } from './item-table';
import type { Hop, TaintGraph } from './taint-graph';

/**
 * The memo of an engine and its catch-up after patches (docs/engine.md).
 *
 * Keeping the memo across patches. Every memoized count belongs to one node N (a segment or chain count to a factory,
 * an agency count to an agency, a company count to a company, an item count to an item) and is a function of the part
 * of the graph upstream of N alone: the rows into N (a company: the OPERATES rows out of it) and, recursively, the
 * counts of their far ends, plus the source status of the nodes met. (A memo entry is only made where the walk enters
 * a strongly connected component, where the nodes already walked cannot be met again: so the value does not depend
 * on the walk.) When the graph is patched, the journal (TaintGraph.changesSince) names the nodes that read something
 * that changed (a removed row's taint end included, so what was downstream of it only through removed rows is found
 * from there too). An entry can change only if its node is downstream of one of them, and that is decided in two
 * parts:
 *  - eagerly, on the engine's next call, for the walk from those nodes along every hop but the bill of materials
 *    (downstreamOf, without COMPONENT_OF: labor, subcontracting, operators, supply, and the production and sourcing
 *    hops into the first items): small, as the labor and supply network is; the segment, agency, chain and company
 *    entries of those nodes are dropped, and the item entries met are marked stale;
 *  - lazily, for the bill of materials, whose upward closure is large (one component is in thousands of products):
 *    an item's entry records the version it was last found valid at and the version its value last changed at; it is
 *    valid if it is not stale and its children's entries are valid and have not changed since (verify). So a trace
 *    checks its item's bill of materials (not the whole catalogue above the change), and a recount that finds the
 *    value it had leaves the items above it valid.
 * The memos scoped to items hold few item entries: theirs are dropped whenever anything changed. Scoped memos also
 * compute what their rebuttals affect again when next asked. The components follow the patch in place
 * (updateComponents, components.ts): only the components around the ends of hops created or dropped are computed again.
 */

/** Memoized counts of one node, by the rest of their key (antichain, factory and pair, ...). */
export type NodeMemo<V> = Map<string, Map<string, V>>;

export function memoGet<V>(memo: NodeMemo<V>, node: string, key: string): V | undefined {
  return memo.get(node)?.get(key);
}

export function memoSet<V>(memo: NodeMemo<V>, node: string, key: string, value: V): void {
  let inner = memo.get(node);
  if (!inner) memo.set(node, (inner = new Map()));
  inner.set(key, value);
}

/** An item's memoized counts, and what says whether they still hold after patches (see "Keeping the memo"). */
export interface ItemEntry {
  counts: ItemTally;
  /** The last version they were found valid at (computed, or verified). */
  verifiedAt: number;
  /** The version their value last changed at (a recount to the same value keeps it). */
  changedAt: number;
  /** Something the item reads itself (production, sourcing, bill-of-materials rows, their far ends' counts) changed. */
  stale: boolean;
}

/**
 * What an engine has computed; shared by the engines withBudget makes, since it depends only on graph and options.
 * Computed on graph version `version`: brought up to date when the graph has changed since (a patched snapshot), by
 * dropping the entries of the nodes the changes can affect (catchUp).
 */
export interface EngineMemo {
  version: number;
  /** The counts at walk states: an engine's own, or shared with the other engines of a snapshot (TraceOptions.walks). */
  readonly walk: WalkMemo;
  readonly item: Map<string, ItemEntry>;
  /** Item entries are checked lazily (verify); false for the memos scoped to items, whose item entries are dropped. */
  readonly lazyItems: boolean;
  /** The last version an item entry was marked stale at: an entry found valid since needs no check. */
  itemsStaleAt: number;
  /** Shared with the engines scoped to an item: components do not depend on rebuttals. */
  readonly components: ComponentsMemo;
  /** The memos of the engines scoped to an item, by item. */
  readonly scoped: Map<string, EngineMemo>;
  /** A scoped engine's: the nodes whose counts can differ from the unscoped engine's (affectedBy). */
  affected?: ReadonlySet<string>;
  /** The counts of every item below a product (TraceEngine.itemTable), for the graph version it records. */
  table?: ItemTable;
}

export function newMemo(version: number, lazyItems: boolean, components: ComponentsMemo = newComponents(version), walk: WalkMemo = newWalkMemo(version)): EngineMemo {
  return { version, walk, item: new Map(), lazyItems, itemsStaleAt: -1, components, scoped: new Map() };
}

/**
 * Counts memoized at the states of labor, subcontract and supply walks, by node, caught up by a version of their own
 * (engines sharing them catch them up in turn). They do not depend on asOf: a walk's state carries its antichain, and
 * asOf only bounds the antichain a walk starts with. So the unscoped engines of one snapshot without exclusions may
 * share one (TraceOptions.walks), and a screen at a new asOf counts only the states no earlier asOf met.
 */
export interface WalkMemo {
  version: number;
  /** Keyed by factory, then chain. */
  readonly segment: NodeMemo<Counts>;
  /** Keyed by agency, then factory and pair. */
  readonly agency: NodeMemo<Counts>;
  /** Keyed by factory, then chain. */
  readonly chain: NodeMemo<Counts>;
  /** Keyed by company, then chain. */
  readonly company: NodeMemo<Counts>;
  /**
   * Component entries whose counting ran out of budget: keyed by node, then the entry's kind and key; the steps it
   * had spent of its own when it did (TraceEngine.guarded).
   */
  readonly tooComplex: NodeMemo<number>;
  /** The asOf values of the engines that joined it (joinWalkMemo). */
  readonly asOfs: Set<number | null>;
}

export const newWalkMemo = (version: number): WalkMemo => ({
  version, segment: new Map(), agency: new Map(), chain: new Map(), company: new Map(), tooComplex: new Map(), asOfs: new Set(),
});

function walkMaps(w: WalkMemo): Map<string, unknown>[] {
  return [w.segment, w.agency, w.chain, w.company, w.tooComplex];
}

/** Beyond this many asOf values a shared walk memo starts afresh, so that it stays about as large as that many engines'. */
export const WALK_MEMO_ASOF_MAX = 8;

/** A shared walk memo, for an engine at `asOf` about to use it. */
export function joinWalkMemo(w: WalkMemo, asOf: number | null): WalkMemo {
  if (!w.asOfs.has(asOf) && w.asOfs.size >= WALK_MEMO_ASOF_MAX) {
    for (const map of walkMaps(w)) map.clear();
    w.asOfs.clear();
  }
  w.asOfs.add(asOf);
  return w;
}

function clearMemo(m: EngineMemo, version: number): void {
  for (const map of [m.item, m.scoped]) map.clear();
  m.affected = undefined;
  m.itemsStaleAt = -1;
  m.version = version;
}

/**
 * Brings a memo (its walk memo, and the memos scoped to items it holds) to the graph's version: drops the entries of
 * the nodes downstream of what changed, keeps the others (see "Keeping the memo across patches" above); everything
 * when the journal cannot say what changed. `closures` caches the nodes to drop by the version caught up from.
 */
export function catchUp(graph: TaintGraph, m: EngineMemo, closures = new Map<number, ReadonlySet<string> | null>()): void {
  const closureFrom = (version: number): ReadonlySet<string> | null => {
    let closure = closures.get(version);
    if (closure === undefined) {
      const changes = graph.changesSince(version);
      closure = changes && downstreamOf(graph, changes.dirty, false);
      closures.set(version, closure);
    }
    return closure;
  };
  const w = m.walk;
  if (w.version !== graph.version) {
    const closure = closureFrom(w.version);
    for (const map of walkMaps(w)) {
      if (closure === null) map.clear();
      else forget(map, closure);
    }
    w.version = graph.version;
  }
  if (m.version === graph.version) return;
  const closure = closureFrom(m.version);
  if (closure === null) {
    clearMemo(m, graph.version);
    return;
  }
  if (closure.size > 0) {
    m.affected = undefined;
    if (!m.lazyItems) m.item.clear();
    else {
      // the items that read a changed row or count themselves; the items above them are checked when asked (verify)
      let any = false;
      const mark = (id: string) => {
        const e = m.item.get(id);
        if (e !== undefined) {
          e.stale = true;
          any = true;
        }
      };
      if (m.item.size < closure.size) {
        for (const id of m.item.keys()) if (closure.has(id)) mark(id);
      } else {
        for (const id of closure) mark(id);
      }
      if (any) m.itemsStaleAt = graph.version;
    }
  }
  for (const scoped of m.scoped.values()) catchUp(graph, scoped, closures);
  m.version = graph.version;
}

/** Deletes the entries of `nodes` from a map keyed by node, walking whichever of the two is smaller. */
function forget(map: Map<string, unknown>, nodes: ReadonlySet<string>): void {
  if (map.size === 0 || nodes.size === 0) return;
  if (map.size < nodes.size) {
    for (const id of map.keys()) if (nodes.has(id)) map.delete(id);
  } else {
    for (const id of nodes) map.delete(id);
  }
}

/** Memoizes an item's counts; the value has changed now, unless it is the one the entry had (its changedAt stays). */
export function setItem(m: EngineMemo, id: string, counts: ItemTally): void {
  const version = m.version;
  const old = m.item.get(id);
  const changedAt = old !== undefined && sameCounts(old.counts, counts) ? old.changedAt : version;
  m.item.set(id, { counts, verifiedAt: version, changedAt, stale: false });
}

/**
 * An item's memoized counts if they still hold (a memo scoped to an item: if it has them), else undefined. An
 * unscoped memo's entry found valid at an older version is checked again (verify). `children`: the item's
 * bill-of-materials hops the engine walks.
 */
export function validItem(m: EngineMemo, id: string, children: (item: string) => readonly Hop[]): ItemTally | undefined {
  const e = m.item.get(id);
  if (e === undefined || e.stale) return undefined;
  if (e.verifiedAt === m.version || !m.lazyItems || verify(m, id, e, children)) return e.counts;
  return undefined;
}

/**
 * Whether an item's entry still holds at the memo's version, checking its bill of materials bottom-up: an entry holds
 * when it is not stale (nothing the item reads itself changed) and each child's entry holds and has not changed since
 * it was last found valid. Entries that hold are marked valid at this version, the others stale (their values stay,
 * so that a recount can tell whether it changed). Entries found valid since the last one was marked stale need no
 * check. A cycle in the bill of materials (which counting refuses) leaves its items stale.
 */
function verify(m: EngineMemo, root: string, rootEntry: ItemEntry, children: (item: string) => readonly Hop[]): boolean {
  const version = m.version;
  const stack: { id: string; e: ItemEntry; expanded: boolean }[] = [{ id: root, e: rootEntry, expanded: false }];
  const walk = new Set<string>();
  while (stack.length > 0) {
    const top = stack[stack.length - 1];
    const e = top.e;
    if (!top.expanded) {
      if (e.stale || e.verifiedAt === version || walk.has(top.id)) {
        stack.pop();
      } else if (e.verifiedAt >= m.itemsStaleAt) {
        e.verifiedAt = version;
        stack.pop();
      } else {
        top.expanded = true;
        walk.add(top.id);
        for (const h of children(top.id)) {
          const c = m.item.get(h.source);
          if (c !== undefined && !c.stale && c.verifiedAt !== version && !walk.has(h.source)) stack.push({ id: h.source, e: c, expanded: false });
        }
      }
      continue;
    }
    stack.pop();
    walk.delete(top.id);
    let holds = true;
    for (const h of children(top.id)) {
      const c = m.item.get(h.source);
      if (c === undefined || c.stale || c.verifiedAt !== version || c.changedAt > e.verifiedAt) {
        holds = false;
        break;
      }
    }
    if (holds) e.verifiedAt = version;
    else e.stale = true;
  }
  return !rootEntry.stale;
}

/**
 * The nodes whose memoized counts can read something at `seeds`: the seeds and every node downstream of them, the
 * way taint flows, over the hops counting reads (a factory's operator reads it through OPERATES, stored
 * company -> factory). Counting reads, at a factory: its employment, labor supply and subcontract rows; at an agency:
 * its recruitment and dispatch rows; at a company: the factories it operates and its supply rows; at an item: its
 * production, sourcing and bill-of-materials rows; and, through them, the counts at their far ends. `bom` false:
 * not up the bill of materials (COMPONENT_OF), whose part an engine checks lazily.
 */
export function downstreamOf(graph: TaintGraph, seeds: Iterable<string>, bom = true): Set<string> {
  const types = bom ? DOWNSTREAM_TYPES : DOWNSTREAM_TYPES_BUT_BOM;
  const out = new Set<string>();
  const stack: string[] = [];
  for (const id of seeds) {
    if (!out.has(id)) {
      out.add(id);
      stack.push(id);
    }
  }
  while (stack.length > 0) {
    const id = stack.pop()!;
    for (const type of types) {
      const hops = graph.outOf(id, type);
      for (let i = 0; i < hops.length; i++) {
        const target = hops[i].target;
        if (!out.has(target)) {
          out.add(target);
          stack.push(target);
        }
      }
    }
    for (const h of graph.into(id, 'OPERATES')) {
      if (!out.has(h.source)) {
        out.add(h.source);
        stack.push(h.source);
      }
    }
  }
  return out;
}

const DOWNSTREAM_TYPES: readonly RelType[] = [
  'EMPLOYED_AT', 'RECRUITED_BY', 'DISPATCHES_TO', 'SUPPLIES_LABOR_TO', 'SUBCONTRACTOR_OF', 'PRODUCED', 'SOURCED_FROM', 'SUPPLIES', 'COMPONENT_OF',
];
const DOWNSTREAM_TYPES_BUT_BOM: readonly RelType[] = DOWNSTREAM_TYPES.filter((t) => t !== 'COMPONENT_OF');
