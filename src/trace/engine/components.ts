// Strongly connected components, kept through patches: see docs/engine.md.
import type { RelType } from '../../model/graph-model';
import { componentsOf } from './scc';
import type { GraphChanges, TaintGraph } from './taint-graph';

/** The strongly connected components over one relationship type: a number per node, and the members of the larger ones. */
interface Components {
  readonly of: Map<string, number>;
  /** Members of the components of more than one node (a node without an entry here is alone in its component). */
  readonly members: Map<number, string[]>;
  /** The next unused component number. */
  next: number;
  /** The shapes of the larger components, by number, computed when first asked (componentShape). */
  readonly shapes: Map<number, ComponentShape>;
}

/**
 * What the engine needs to know of a strongly connected component of more than one node before walking into it
 * (docs/engine.md, "Large and small components"): its members in a fixed order (a walk's visited members as a bit
 * mask), and a bound on the simple paths a walk can take inside it from one entry.
 */
export interface ComponentShape {
  /** Unique among all shapes ever made: keys of walk states made with one shape's bit positions never meet another's. */
  readonly serial: number;
  readonly members: readonly string[];
  /**
   * Σ log2 of each member's hops from other members in the walk's direction (backwards: into the member). The
   * simple paths from one node inside the component form a tree whose root-to-leaf paths visit distinct members,
   * each branching at most that many ways, so there are at most 2^bits of them ending where they cannot go on.
   */
  readonly bits: number;
  /**
   * A bound on the walk states one entry visits by enumeration: each simple path inside is at most `size` long, so
   * size·2^bits. (Small components are walked with the subset memo instead, SUBSET_MEMO_MAX, bounded by their budget.)
   */
  readonly walkBound: number;
}

/** Components up to this size are walked with the subset memo (their visited members fit a 32-bit mask). */
export const SUBSET_MEMO_MAX = 30;

let shapeSerial = 0;

/** Components by relationship type, as of graph version `version`; shared by an engine and the engines scoped to items. */
export interface ComponentsMemo {
  version: number;
  readonly byType: Map<RelType, Components>;
}

export const newComponents = (version: number): ComponentsMemo => ({ version, byType: new Map() });

const ofGraph = new WeakMap<TaintGraph, ComponentsMemo>();

/**
 * The components of a graph, shared by every engine on it: they depend on its relationships alone, not on asOf,
 * exclusions or rebuttals, so a screen at a new asOf does not compute them again (bench/README.md).
 */
export function graphComponents(graph: TaintGraph): ComponentsMemo {
  let c = ofGraph.get(graph);
  if (!c) ofGraph.set(graph, (c = newComponents(graph.version)));
  return c;
}

/**
 * Strongly connected components of one kind's nodes (and whatever they reach) over one relationship type, computed
 * once, then kept up to date through patches (catchUpComponents). -1: a node no component was computed for.
 */
export function componentOf(graph: TaintGraph, components: ComponentsMemo, id: string, kind: 'Factory' | 'Company' | 'LaborAgency', type: RelType): number {
  let c = components.byType.get(type);
  if (!c) {
    const of = componentsOf(
      [...graph.nodes.values()].filter((n) => n.kind === kind).map((n) => n.id),
      (n) => graph.outOf(n, type).map((h) => h.target),
    );
    c = { of, members: membersOf(of), next: 0, shapes: new Map() };
    for (const n of of.values()) if (n >= c.next) c.next = n + 1;
    components.byType.set(type, c);
  }
  return c.of.get(id) ?? -1;
}

/**
 * The shape of `id`'s component over `type` (walked backwards: along the hops into each member), or null when `id` is
 * alone in its component. componentOf must have been asked for `id` first.
 */
export function componentShape(graph: TaintGraph, components: ComponentsMemo, id: string, type: RelType): ComponentShape | null {
  const c = components.byType.get(type);
  const n = c?.of.get(id);
  if (c === undefined || n === undefined) return null;
  const members = c.members.get(n);
  if (members === undefined) return null;
  let shape = c.shapes.get(n);
  if (!shape) {
    const inComponent = new Set(members);
    let bits = 0;
    for (const m of members) {
      let inside = 0;
      for (const h of graph.into(m, type)) if (inComponent.has(h.source)) inside++;
      if (inside > 1) bits += Math.log2(inside);
    }
    const size = members.length;
    shape = { serial: shapeSerial++, members, bits, walkBound: size * 2 ** bits };
    c.shapes.set(n, shape);
  }
  return shape;
}

/** Brings the components to the graph's version: recomputed around the ends of the hops created or dropped since. */
export function catchUpComponents(graph: TaintGraph, c: ComponentsMemo): void {
  if (c.version === graph.version) return;
  const changes: GraphChanges | null = c.byType.size === 0 ? null : graph.changesSince(c.version);
  if (changes === null) c.byType.clear();
  else {
    for (const [type, ends] of changes.hopEnds) {
      const components = c.byType.get(type);
      if (components && !updateComponents(graph, components, type, ends)) c.byType.delete(type);
    }
  }
  c.version = graph.version;
}

/** The members of the components of more than one node. */
function membersOf(of: ReadonlyMap<string, number>): Map<number, string[]> {
  const all = new Map<number, string[]>();
  for (const [id, n] of of) {
    const list = all.get(n);
    if (list) list.push(id);
    else all.set(n, [id]);
  }
  for (const [n, list] of all) if (list.length < 2) all.delete(n);
  return all;
}

/** Beyond this many nodes searched, the components of a type are computed again whole, when next needed. */
const COMPONENT_SEARCH_LIMIT = 200_000;

/**
 * Updates the components over `type` after hops of that type were created or dropped at `ends`. Only the components
 * containing an end can change, in the old graph and in the new: the new component of a node whose component has no
 * end is its old one, since every row of its cycles is still there (a cycle through a changed hop would put the hop's
 * ends in it). So the nodes of those components, old (by their numbers) and new (found around each end: the nodes
 * both reachable from it and reaching it), are numbered again, by Tarjan's algorithm over the hops among them (a
 * component of the new graph lies inside this set, so the hops leaving it do not matter). False when a search
 * exceeds COMPONENT_SEARCH_LIMIT: then the caller computes them all again.
 */
function updateComponents(graph: TaintGraph, c: Components, type: RelType, ends: ReadonlySet<string>): boolean {
  const region = new Set<string>();
  const addOld = (id: string) => {
    if (region.has(id)) return;
    const n = c.of.get(id);
    const members = n === undefined ? undefined : c.members.get(n);
    if (members) members.forEach((m) => region.add(m));
    else region.add(id);
  };
  for (const id of ends) {
    addOld(id);
    const around = componentAround(graph, id, type);
    if (around === null) return false;
    around.forEach(addOld);
  }
  for (const id of region) {
    const n = c.of.get(id);
    if (n !== undefined) {
      c.members.delete(n);
      c.shapes.delete(n);
      c.of.delete(id);
    }
  }
  const local = componentsOf(region, (id) => graph.outOf(id, type).map((h) => h.target).filter((t) => region.has(t)));
  const renumbered = new Map<number, number>();
  for (const [id, n] of local) {
    let m = renumbered.get(n);
    if (m === undefined) renumbered.set(n, (m = c.next++));
    c.of.set(id, m);
  }
  for (const [n, list] of membersOf(local)) c.members.set(renumbered.get(n)!, list);
  return true;
}

/**
 * The nodes of `id`'s strongly connected component over `type` in the graph as it is: those reachable from it that
 * also reach it. The search forwards and the search backwards take turns; the first to finish bounds the other.
 * Null past COMPONENT_SEARCH_LIMIT nodes.
 */
function componentAround(graph: TaintGraph, id: string, type: RelType): Set<string> | null {
  if (graph.outOf(id, type).length === 0 || graph.into(id, type).length === 0) return new Set([id]);
  const fwd = new Set([id]);
  const bwd = new Set([id]);
  const fq = [id];
  const bq = [id];
  while (fq.length > 0 && bq.length > 0) {
    if (fwd.size + bwd.size > COMPONENT_SEARCH_LIMIT) return null;
    for (const h of graph.outOf(fq.pop()!, type)) {
      if (!fwd.has(h.target)) {
        fwd.add(h.target);
        fq.push(h.target);
      }
    }
    for (const h of graph.into(bq.pop()!, type)) {
      if (!bwd.has(h.source)) {
        bwd.add(h.source);
        bq.push(h.source);
      }
    }
  }
  // one search is complete: the component is what the other direction reaches from `id` within it
  const [within, forwards] = fq.length === 0 ? [fwd, false] : [bwd, true];
  const out = new Set([id]);
  const queue = [id];
  while (queue.length > 0) {
    const x = queue.pop()!;
    const next = forwards ? graph.outOf(x, type).map((h) => h.target) : graph.into(x, type).map((h) => h.source);
    for (const y of next) {
      if (within.has(y) && !out.has(y)) {
        out.add(y);
        queue.push(y);
      }
    }
  }
  return out;
}
