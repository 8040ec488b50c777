import { REL_TYPES } from '../model/graph-model';
import type { LogEntry } from '../changes/recorded-graph';
import type { TaintGraph } from './engine/taint-graph';

/**
 * Re-screening (LISTS.md, "Re-screening"): which products' exposure or counts differ between the graph known at
 * `since` and now, and which change sets in between can have made each difference. Pure: fed two screens, the two
 * graphs and the log between them.
 */

export type ExposureWord = 'DIRECT' | 'POSSIBLE' | 'NONE';

export interface ExposureState {
  exposure: ExposureWord;
  /** Null when the product's paths could not be counted (countStatus TOO_COMPLEX). */
  pathCount: bigint | null;
  possiblePathCount: bigint | null;
  openPathCount: bigint | null;
}

/** A product the screen does not list is NONE: it has no path at all, direct or possible. */
export const NO_EXPOSURE: ExposureState = { exposure: 'NONE', pathCount: 0n, possiblePathCount: 0n, openPathCount: 0n };

export interface ExposureDifference {
  itemId: string;
  before: ExposureState;
  after: ExposureState;
}

const same = (a: ExposureState, b: ExposureState) =>
  a.exposure === b.exposure && a.pathCount === b.pathCount && a.possiblePathCount === b.possiblePathCount && a.openPathCount === b.openPathCount;

/** The products whose exposure or counts differ between two screens (of the products not NONE), in id order. */
export function exposureDifferences(before: ReadonlyMap<string, ExposureState>, after: ReadonlyMap<string, ExposureState>): ExposureDifference[] {
  const ids = [...new Set([...before.keys(), ...after.keys()])].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const out: ExposureDifference[] = [];
  for (const itemId of ids) {
    const b = before.get(itemId) ?? NO_EXPOSURE;
    const a = after.get(itemId) ?? NO_EXPOSURE;
    if (!same(a, b)) out.push({ itemId, before: b, after: a });
  }
  return out;
}

/**
 * Everything a path to `itemId` can pass through: the nodes from which taint can flow to it (backwards along every
 * relationship type; a company reads the factories it operates) and the relationships between them.
 */
export function upstreamOf(g: TaintGraph, itemId: string): Set<string> {
  const seen = new Set<string>();
  if (!g.nodes.has(itemId)) return seen;
  seen.add(itemId);
  const stack = [itemId];
  while (stack.length > 0) {
    const id = stack.pop()!;
    for (const type of REL_TYPES) {
      const hops = type === 'OPERATES' ? g.outOf(id, type) : g.into(id, type);
      for (const h of hops) {
        for (const r of h.rows) seen.add(r.id);
        const next = type === 'OPERATES' ? h.target : h.source;
        if (!seen.has(next)) {
          seen.add(next);
          stack.push(next);
        }
      }
    }
  }
  return seen;
}

/**
 * The ids a logged change is about: the entity, a rebuttal's relationship, a list decision's matched entity.
 * `rebutted` knows the relationship of rebuttals whose retirement (no state) names only themselves.
 */
export function touchedIds(e: LogEntry, rebutted: ReadonlyMap<string, string>): string[] {
  const ids = [e.entityId];
  const state = e.after === null ? null : (JSON.parse(e.after) as Record<string, unknown>);
  if (e.kind === 'Rebuttal') {
    const rel = typeof state?.relationshipId === 'string' ? state.relationshipId : rebutted.get(e.entityId);
    if (rel) ids.push(rel);
  }
  if (e.kind === 'ListMatch' && typeof state?.entityId === 'string') ids.push(state.entityId);
  return ids;
}

/** Rebuttal id -> the relationship it rebuts, from both graphs' rows and the log. */
export function rebuttalTargets(graphs: readonly TaintGraph[], entries: readonly LogEntry[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const g of graphs) for (const r of g.rows()) for (const id of r.rebuttalIds) out.set(id, r.id);
  for (const e of entries) {
    if (e.kind !== 'Rebuttal' || e.after === null) continue;
    const rel = (JSON.parse(e.after) as Record<string, unknown>).relationshipId;
    if (typeof rel === 'string') out.set(e.entityId, rel);
  }
  return out;
}

/**
 * The change sets (by number) that touched what the item's paths can pass through, then or now: every change set
 * that can have made its difference. A superset of the ones that did, never missing one: a change outside both
 * regions cannot change the item's paths.
 */
export function causesOf(
  itemId: string, then: TaintGraph, now: TaintGraph, entries: readonly (LogEntry & { seq: number })[],
  rebutted: ReadonlyMap<string, string> = rebuttalTargets([then, now], entries),
): number[] {
  const region = upstreamOf(now, itemId);
  for (const id of upstreamOf(then, itemId)) region.add(id);
  const seqs = new Set<number>();
  for (const e of entries) if (!seqs.has(e.seq) && touchedIds(e, rebutted).some((id) => region.has(id))) seqs.add(e.seq);
  return [...seqs].sort((a, b) => a - b);
}
