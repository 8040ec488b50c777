import { NODE_KINDS, TAINT_REL_TYPES, type NodeKind, type RelType } from '../model/graph-model';
import type { RebuttalIn } from '../trace/engine/taint-graph';
import type { GraphChange } from '../trace/engine/taint-graph.patch';
import type { EntityState } from './change.types';
import type { LogEntry } from './recorded-graph';

const TRACED_KINDS: ReadonlySet<string> = new Set(NODE_KINDS.filter((k) => k !== 'Evidence' && k !== 'Shipment'));

/** Accepted rebuttals per relationship, kept beside a snapshot so that a rebuttal's change can be applied alone. */
export type AcceptedIndex = Map<string, Map<string, RebuttalIn>>;

/**
 * The changes a cached taint graph needs to follow the change log: node states become upsertNode/removeNode (the
 * kinds tracing walks), relationship states upsertRow/removeRow (the taint types), and a rebuttal's state the new
 * list of accepted rebuttals of its relationship (`accepted` is updated as it goes). Pure.
 */
export function graphChangesOf(entries: readonly LogEntry[], accepted: AcceptedIndex): GraphChange[] {
  const out: GraphChange[] = [];
  for (const e of entries) {
    const state = e.after === null ? null : (JSON.parse(e.after) as EntityState);
    if (e.kind === 'ListMatch') {
      // a decided list match under a DPRK program: the agency it names is a source while confirmed (LISTS.md)
      if (state && state.dprk === true) {
        out.push({ op: 'setListedDprk', entityId: String(state.entityId), matchId: e.entityId, confirmed: state.status === 'CONFIRMED' });
      }
    } else if (e.kind === 'Rebuttal') {
      const relId = state ? String(state.relationshipId) : findRelationship(accepted, e.entityId);
      if (relId === null) continue;
      const list = accepted.get(relId) ?? new Map<string, RebuttalIn>();
      if (state && state.status === 'ACCEPTED') list.set(e.entityId, { id: e.entityId, itemIds: (state.itemIds as string[] | undefined) ?? null });
      else list.delete(e.entityId);
      accepted.set(relId, list);
      out.push({ op: 'setRebuttals', rowId: relId, rebuttals: [...list.values()] });
    } else if (TRACED_KINDS.has(e.kind)) {
      if (!state) {
        out.push({ op: 'removeNode', id: e.entityId });
        continue;
      }
      out.push({
        op: 'upsertNode',
        node: {
          id: e.entityId, kind: e.kind as NodeKind, name: (state.name as string | undefined) ?? null,
          nationality: (state.nationality as string | undefined) ?? null, country: (state.country as string | undefined) ?? null,
          dprkLinked: (state.dprk_linked as boolean | undefined) ?? null,
        },
      });
    } else if (TAINT_REL_TYPES.has(e.kind as RelType)) {
      if (!state) {
        out.push({ op: 'removeRow', id: e.entityId });
        continue;
      }
      const extras = Object.entries(state).filter(([k]) => k.startsWith('x_')).map(([k, v]) => [k, String(v)] as const);
      out.push({
        op: 'upsertRow',
        row: {
          id: e.entityId, key: String(state.key), type: e.kind as RelType, source: String(state.source), target: String(state.target),
          from: (state.from as string | undefined) ?? null, to: (state.to as string | undefined) ?? null,
          evidence: (state.evidence as string[] | undefined) ?? [], placement: (state.placement as string | undefined) ?? null,
          extras: extras.length > 0 ? Object.fromEntries(extras) : null,
        },
      });
      const list = accepted.get(e.entityId);
      if (list && list.size > 0) out.push({ op: 'setRebuttals', rowId: e.entityId, rebuttals: [...list.values()] });
    }
  }
  return out;
}

function findRelationship(accepted: AcceptedIndex, rebuttalId: string): string | null {
  for (const [relId, list] of accepted) if (list.has(rebuttalId)) return relId;
  return null;
}
