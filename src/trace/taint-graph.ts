import { DPRK, REL_TYPES, type NodeKind, type RelType } from '../model/graph-model';
import { interval, type Interval } from './interval';

/** A node as tracing needs it. */
export interface TaintNode {
  id: string;
  kind: NodeKind;
  name: string | null;
  /** A KP worker or a DPRK-linked agency: a path may start here. */
  source: boolean;
}

/** One relationship (one dataset row, or rows merged as identical). */
export interface TaintRow {
  key: string;
  type: RelType;
  source: string;
  target: string;
  interval: Interval;
  from: string | null;
  to: string | null;
  evidence: string[];
  rebutted: boolean;
}

/** All rows of one type between the same two nodes in the same direction: one hop of a node sequence. */
export interface Hop {
  type: RelType;
  source: string;
  target: string;
  rows: TaintRow[];
  intervals: Interval[];
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
  key: string;
  type: RelType;
  source: string;
  target: string;
  from?: string | null;
  to?: string | null;
  evidence?: string[] | null;
  rebuttals?: string[] | null;
}

export function isSource(n: NodeRecordIn): boolean {
  if (n.kind === 'Worker') return n.nationality === DPRK;
  if (n.kind === 'LaborAgency') return n.dprkLinked === true || n.country === DPRK;
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
      hop = { type: r.type, source, target, rows: [], intervals: [] };
      this.hopByEnds.set(endsKey, hop);
      push(this.hopsIn, r.target, r.type, hop);
      push(this.hopsOut, r.source, r.type, hop);
      this.sorted = false;
    }
    if (hop.rows.some((x) => x.key === r.key)) return;
    const row: TaintRow = {
      key: r.key, type: r.type, source: hop.source, target: hop.target,
      interval: interval(r.from, r.to), from: r.from ?? null, to: r.to ?? null,
      evidence: r.evidence && r.evidence.length > 0 ? r.evidence : NO_EVIDENCE, rebutted: (r.rebuttals ?? []).length > 0,
    };
    hop.rows.push(row);
    hop.intervals.push(row.interval);
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
