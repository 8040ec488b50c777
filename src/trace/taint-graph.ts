import { DPRK, REL_TYPES, relationshipId, type NodeKind, type RelType } from '../model/graph-model';
import { interval, type Interval } from './interval';

/** A node as tracing needs it. */
export interface TaintNode {
  id: string;
  kind: NodeKind;
  name: string | null;
  /** A KP worker, a DPRK-linked agency or a factory in the DPRK: a path may start here. */
  source: boolean;
}

/** One relationship (one dataset row, or rows merged as identical). */
export interface TaintRow {
  /** The public, opaque relationship id (GraphRelationship.id). */
  id: string;
  /** The natural key: type, endpoints, placement, interval. Orders parallel rows. */
  key: string;
  type: RelType;
  source: string;
  target: string;
  interval: Interval;
  from: string | null;
  to: string | null;
  evidence: string[];
  rebutted: boolean;
  /** Recruitment rows: the factory the worker was placed at through the agency; null: any it supplies. */
  placement: string | null;
  /** x_* columns of the row, when it has any. */
  extras?: Record<string, string>;
}

/** All rows of one type between the same two nodes in the same direction: one hop of a node sequence. */
export interface Hop {
  type: RelType;
  source: string;
  target: string;
  rows: TaintRow[];
  intervals: Interval[];
  /** Intervals of the rows no evidence rebuts (labor hops); the same array as `intervals` while none is rebutted. */
  openIntervals: Interval[];
  /** Whether any row names a placement (recruitment), so that rows must be filtered by the segment's factory. */
  placed: boolean;
}

export interface NodeRecordIn {
  id: string;
  kind: NodeKind;
  name?: string | null;
  nationality?: string | null;
  country?: string | null;
  dprkLinked?: boolean | null;
}

export interface RowRecordIn {
  /** Defaults to the opaque id derived from the key. */
  id?: string | null;
  key: string;
  type: RelType;
  source: string;
  target: string;
  from?: string | null;
  to?: string | null;
  evidence?: string[] | null;
  rebuttals?: string[] | null;
  placement?: string | null;
  extras?: Record<string, string> | null;
}

export function isSource(n: NodeRecordIn): boolean {
  if (n.kind === 'Worker') return n.nationality === DPRK;
  if (n.kind === 'LaborAgency') return n.dprkLinked === true || n.country === DPRK;
  if (n.kind === 'Factory') return n.country === DPRK;
  return false;
}

/**
 * The part of the graph a trace reads, in memory, with hops indexed by their target (the way a trace walks:
 * from the item back towards the sources) and by their source. Hop lists are sorted by the far end's id,
 * which fixes the order in which paths are numbered.
 */
export class TaintGraph {
  readonly nodes = new Map<string, TaintNode>();
  /** Per node, hop lists indexed by TYPE_INDEX: plain arrays, as tracing reads them in its innermost loops. */
  private readonly hopsIn = new Map<string, Hop[][]>();
  private readonly hopsOut = new Map<string, Hop[][]>();
  private readonly hopByEnds = new Map<string, Hop>();
  private sorted = true;

  addNode(n: NodeRecordIn): void {
    this.nodes.set(n.id, { id: n.id, kind: n.kind, name: n.name ?? null, source: isSource(n) });
  }

  addRow(r: RowRecordIn): void {
    const endsKey = `${r.type}\u0000${r.source}\u0000${r.target}`;
    let hop = this.hopByEnds.get(endsKey);
    if (!hop) {
      // the nodes' own id strings, so a large snapshot holds each id once
      const source = this.nodes.get(r.source)?.id ?? r.source;
      const target = this.nodes.get(r.target)?.id ?? r.target;
      hop = { type: r.type, source, target, rows: [], intervals: [], openIntervals: [], placed: false };
      hop.openIntervals = hop.intervals;
      this.hopByEnds.set(endsKey, hop);
      push(this.hopsIn, r.target, r.type, hop);
      push(this.hopsOut, r.source, r.type, hop);
      this.sorted = false;
    }
    if (hop.rows.some((x) => x.key === r.key)) return;
    const row: TaintRow = {
      id: r.id ?? relationshipId(r.key), key: r.key, type: r.type, source: hop.source, target: hop.target,
      interval: interval(r.from, r.to), from: r.from ?? null, to: r.to ?? null,
      evidence: r.evidence && r.evidence.length > 0 ? r.evidence : NO_EVIDENCE, rebutted: (r.rebuttals ?? []).length > 0,
      placement: r.placement ?? null,
    };
    if (r.extras && Object.keys(r.extras).length > 0) row.extras = r.extras;
    hop.rows.push(row);
    hop.intervals.push(row.interval);
    if (row.placement !== null) hop.placed = true;
    if (row.rebutted && hop.openIntervals === hop.intervals) hop.openIntervals = hop.intervals.slice(0, -1);
    else if (!row.rebutted && hop.openIntervals !== hop.intervals) hop.openIntervals.push(row.interval);
  }

  private ensureSorted(): void {
    if (this.sorted) return;
    for (const byType of this.hopsIn.values()) for (const hops of byType) if (hops) hops.sort((a, b) => cmp(a.source, b.source));
    for (const byType of this.hopsOut.values()) for (const hops of byType) if (hops) hops.sort((a, b) => cmp(a.target, b.target));
    for (const hop of this.hopByEnds.values()) hop.rows.sort((a, b) => cmp(a.key, b.key));
    this.sorted = true;
  }

  /** Hops of a type ending at a node, ordered by their source id. */
  into(id: string, type: RelType): readonly Hop[] {
    if (!this.sorted) this.ensureSorted();
    return this.hopsIn.get(id)?.[TYPE_INDEX[type]] ?? EMPTY;
  }

  /** Hops of a type leaving a node, ordered by their target id. */
  outOf(id: string, type: RelType): readonly Hop[] {
    if (!this.sorted) this.ensureSorted();
    return this.hopsOut.get(id)?.[TYPE_INDEX[type]] ?? EMPTY;
  }

  /** Every row, in key order. */
  rows(): TaintRow[] {
    return [...this.hopByEnds.values()].flatMap((h) => h.rows).sort((a, b) => cmp(a.key, b.key));
  }

  node(id: string): TaintNode | undefined {
    return this.nodes.get(id);
  }

  kindOf(id: string): NodeKind | undefined {
    return this.nodes.get(id)?.kind;
  }
}

const EMPTY: readonly Hop[] = [];
const NO_EVIDENCE: string[] = [];

/** Ids compare by code unit, the same order Neo4j's ORDER BY uses for strings. */
export function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

const TYPE_INDEX = Object.fromEntries(REL_TYPES.map((t, i) => [t, i])) as Record<RelType, number>;

function push(index: Map<string, Hop[][]>, id: string, type: RelType, hop: Hop): void {
  let byType = index.get(id);
  if (!byType) index.set(id, (byType = []));
  const list = byType[TYPE_INDEX[type]];
  if (list) list.push(hop);
  else byType[TYPE_INDEX[type]] = [hop];
}

/** Rows of a recruitment hop that can continue to `factory`: placed there, or placed nowhere. */
export function placedRows(hop: Hop, factory: string): TaintRow[] {
  return hop.placed ? hop.rows.filter((r) => r.placement === null || r.placement === factory) : hop.rows;
}
