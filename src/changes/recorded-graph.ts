import { NODE_KINDS, REL_TYPES, TAINT_REL_TYPES, type NodeKind, type RelType } from '../model/graph-model';
import type { EntityNode, EntityRel, PlainValue } from '../entity/entity.types';
import type { Collection, EntityFilter, EntityPage, EntityReader } from '../entity/entity.service';
import { TaintGraph, type RebuttalIn } from '../trace/engine/taint-graph';
import type { ChangeKind, EntityState } from './change.types';
import type { Tx } from '../db/neo4j-client';
import { rebuttalFromProps, type RebuttalRecord } from './rebuttal.store';
import { matchFromProps, type ListMatchRecord } from '../lists/list.store';

const NODE_KIND_SET: ReadonlySet<string> = new Set(NODE_KINDS);
const REL_TYPE_SET: ReadonlySet<string> = new Set(REL_TYPES);

export interface LogEntry {
  entityId: string;
  /** The entity's version after the change. */
  version?: number;
  kind: ChangeKind;
  /** JSON text of the state after the change; null: retired. */
  after: string | null;
}

/**
 * The graph exactly as recorded up to one change set (CHANGES.md, "Knowledge time"), rebuilt by replaying the change
 * log: every entity's last recorded state, retired ones absent. Pure: fed entries in log order. Serves knownAt for
 * tracing (as a TaintGraph) and for the entity queries (as an EntityReader).
 */
export class RecordedGraph implements EntityReader {
  readonly nodes = new Map<string, EntityNode>();
  readonly rels = new Map<string, EntityRel>();
  readonly rebuttals = new Map<string, RebuttalRecord>();
  /** Decided list matches as recorded (LISTS.md): a confirmed DPRK one makes its agency a source. */
  readonly listMatches = new Map<string, ListMatchRecord>();
  private relsByNode?: Map<string, EntityRel[]>;

  constructor(readonly seq: number) {}

  apply(e: LogEntry): void {
    this.relsByNode = undefined;
    const state = e.after === null ? null : (JSON.parse(e.after) as EntityState);
    if (e.kind === 'Rebuttal') {
      if (state) this.rebuttals.set(e.entityId, rebuttalFromProps({ ...state, _version: e.version }));
      else this.rebuttals.delete(e.entityId);
    } else if (e.kind === 'ListMatch') {
      if (state) this.listMatches.set(e.entityId, matchFromProps({ ...state, id: e.entityId, _version: e.version }));
      else this.listMatches.delete(e.entityId);
    } else if (NODE_KIND_SET.has(e.kind)) {
      if (state) {
        const { kind: _kind, ...props } = state;
        this.nodes.set(e.entityId, { id: e.entityId, kind: e.kind as NodeKind, props: { ...props, _version: Number(e.version ?? 1) } as Record<string, PlainValue>, seq: this.seq });
      } else {
        this.nodes.delete(e.entityId);
      }
    } else if (REL_TYPE_SET.has(e.kind)) {
      if (state) {
        const { type: _type, source, target, ...props } = state;
        this.rels.set(e.entityId, {
          id: e.entityId, key: String(props.key), type: e.kind as RelType, source: String(source), target: String(target),
          props: { ...props, _version: Number(e.version ?? 1) } as Record<string, PlainValue>, seq: this.seq,
        });
      } else {
        this.rels.delete(e.entityId);
      }
    }
  }

  /** The taint graph tracing walks, as recorded: nodes (not evidence or shipments), taint rows, accepted rebuttals. */
  taintGraph(): TaintGraph {
    const g = new TaintGraph();
    for (const [id, m] of this.listMatches) if (m.dprk && m.status === 'CONFIRMED') g.setListedDprk(m.entityId, id, true);
    for (const n of this.nodes.values()) {
      if (n.kind === 'Evidence' || n.kind === 'Shipment') continue;
      const p = n.props;
      g.addNode({
        id: n.id, kind: n.kind, name: (p.name as string | undefined) ?? null, nationality: (p.nationality as string | undefined) ?? null,
        country: (p.country as string | undefined) ?? null, dprkLinked: (p.dprk_linked as boolean | undefined) ?? null,
      });
    }
    for (const r of this.rels.values()) {
      if (!TAINT_REL_TYPES.has(r.type) || !this.nodes.has(r.source) || !this.nodes.has(r.target)) continue;
      const p = r.props;
      const extras = Object.entries(p).filter(([k]) => k.startsWith('x_')).map(([k, v]) => [k, String(v)] as const);
      g.addRow({
        id: r.id, key: r.key, type: r.type, source: r.source, target: r.target,
        from: (p.from as string | undefined) ?? null, to: (p.to as string | undefined) ?? null,
        evidence: (p.evidence as string[] | undefined) ?? [], placement: (p.placement as string | undefined) ?? null,
        extras: extras.length > 0 ? Object.fromEntries(extras) : null,
      });
    }
    for (const [relId, list] of acceptedByRelationship(this.rebuttals.values())) {
      if (this.rels.has(relId)) g.setRebuttals(relId, list);
    }
    return g;
  }

  /** The confirmed list matches of a node as recorded (GraphNode.listings at knownAt). */
  listingsOf(entityId: string): ListMatchRecord[] {
    return [...this.listMatches.values()].filter((m) => m.entityId === entityId && m.status === 'CONFIRMED');
  }

  // EntityReader: the entity queries at knownAt

  async nodesById(ids: readonly string[]): Promise<Map<string, EntityNode>> {
    return new Map(ids.flatMap((id) => {
      const n = this.nodes.get(id);
      return n ? [[id, n] as const] : [];
    }));
  }

  async relationshipsOf(ids: readonly string[]): Promise<{ rels: Map<string, EntityRel[]>; neighbours: EntityNode[] }> {
    if (!this.relsByNode) {
      const index = new Map<string, EntityRel[]>();
      for (const r of this.rels.values()) {
        if (!this.nodes.has(r.source) || !this.nodes.has(r.target)) continue;
        for (const end of [r.source, r.target]) {
          const list = index.get(end);
          if (list) list.push(r);
          else index.set(end, [r]);
        }
      }
      this.relsByNode = index;
    }
    const rels = new Map(ids.map((id) => [id, this.relsByNode!.get(id) ?? []]));
    const neighbours = [...rels.values()].flat().flatMap((r) => [this.nodes.get(r.source)!, this.nodes.get(r.target)!]);
    return { rels, neighbours };
  }

  async page(collection: Collection, filter: EntityFilter, first: number, after: string | null): Promise<EntityPage> {
    const kinds = COLLECTION_KINDS[collection] ?? [];
    const lower = filter.nameContains?.toLowerCase() ?? null;
    const matching = [...this.nodes.values()]
      .filter((n) => kinds.includes(n.kind))
      .filter((n) => lower === null || String(n.props.name ?? '').toLowerCase().includes(lower))
      .filter((n) => !filter.country || n.props.country === filter.country)
      .filter((n) => !filter.nationality || n.props.nationality === filter.nationality)
      .filter((n) => !filter.kind || n.kind === filter.kind)
      .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    const rest = after === null ? matching : matching.filter((n) => n.id > after);
    return { nodes: rest.slice(0, first), hasNextPage: rest.length > first, totalCount: matching.length };
  }
}

const COLLECTION_KINDS: Record<string, NodeKind[]> = {
  items: ['Product', 'Component'], factories: ['Factory'], companies: ['Company'], agencies: ['LaborAgency'],
  workers: ['Worker'], evidence: ['Evidence'], shipments: ['Shipment'],
};

/** The accepted rebuttals in the current graph (of some relationships, or all), by relationship, as tracing takes them. */
export async function acceptedRebuttals(tx: Tx, ids: string[] | null): Promise<Map<string, RebuttalIn[]>> {
  const out = new Map<string, RebuttalIn[]>();
  for await (const r of tx.stream<{ relationshipId: string; id: string; itemIds: string[] | null }>('changes/accepted-rebuttals', { ids })) {
    const list = out.get(r.relationshipId) ?? [];
    list.push({ id: r.id, itemIds: r.itemIds ?? null });
    out.set(r.relationshipId, list);
  }
  return out;
}

/** Accepted rebuttals grouped by the relationship they rebut, as tracing takes them. */
export function acceptedByRelationship(rebuttals: Iterable<RebuttalRecord>): Map<string, RebuttalIn[]> {
  const out = new Map<string, RebuttalIn[]>();
  for (const b of rebuttals) {
    if (b.status !== 'ACCEPTED') continue;
    const list = out.get(b.relationshipId) ?? [];
    list.push({ id: b.id, itemIds: b.itemIds });
    out.set(b.relationshipId, list);
  }
  return out;
}
