import { relationshipKey, type RelType } from '../../model/graph-model';
import { isoOf, type Interval } from './interval';

/** What a row was given that its other fields do not already say (rare): a key, from/to texts, x_* columns. */
export interface RowGiven {
  key?: string;
  from?: string;
  to?: string;
  extras?: Record<string, string>;
}

/**
 * One relationship (one dataset row, or rows merged as identical). A snapshot holds millions, so a row keeps only
 * what its other fields do not say: its natural key and its from/to texts are derived from type, ends, placement
 * and interval (they are kept, in `given`, only for a row whose key or dates say something else).
 */
export class TaintRow {
  constructor(
    /** The public, opaque relationship id (GraphRelationship.id). */
    readonly id: string,
    readonly type: RelType,
    readonly source: string,
    readonly target: string,
    readonly interval: Interval,
    /** Recruitment rows: the factory the worker was placed at through the agency; null: any it supplies. */
    readonly placement: string | null,
    readonly evidence: string[],
    /** An accepted rebuttal without an item scope: the row is rebutted on every path (labor rows). */
    public rebutted: boolean,
    /**
     * The items named by its accepted item-scoped rebuttals: the row is rebutted on the paths ending at one of them
     * (rebuttedAt); null when it has none.
     */
    public rebuttedFor: ReadonlySet<string> | null,
    /** The ids of its accepted rebuttals, scoped or not, for display. */
    public rebuttalIds: string[],
    /** What the row was given that its other fields do not say (see RowGiven); null for nearly every row. */
    readonly given: RowGiven | null,
  ) {}

  /** The natural key: type, endpoints, placement, interval. Orders parallel rows. */
  get key(): string {
    return this.given?.key ?? relationshipKey(this.type, this.source, this.target, this.from, this.to, this.placement);
  }

  get from(): string | null {
    return this.given?.from ?? isoOf(this.interval.from);
  }

  get to(): string | null {
    return this.given?.to ?? isoOf(this.interval.to);
  }

  /** x_* columns of the row, when it has any. */
  get extras(): Record<string, string> | undefined {
    return this.given?.extras;
  }
}

/** All rows of one type between the same two nodes in the same direction: one hop of a node sequence. */
export interface Hop {
  type: RelType;
  source: string;
  target: string;
  /** In key order. */
  rows: TaintRow[];
  /** The rows' intervals, in the rows' order. */
  intervals: Interval[];
  /** Intervals of the rows no unscoped rebuttal rebuts; the same array as `intervals` while none is rebutted. */
  openIntervals: Interval[];
  /** Whether any row names a placement (recruitment), so that rows must be filtered by the segment's factory. */
  placed: boolean;
  /**
   * Labor hops with a row rebutted for some items only: per such item (in id order), the intervals of the rows open
   * on paths ending at it (rebutted neither everywhere nor for it). Null when no row has an item-scoped rebuttal,
   * which is the common case: tracing then reads `openIntervals` alone.
   */
  openFor: ReadonlyMap<string, Interval[]> | null;
}


/** A row's accepted rebuttals, as tracing reads them. */
export interface RebuttalState {
  /** An accepted rebuttal without an item scope. */
  rebutted: boolean;
  /** The items its item-scoped rebuttals name; null when none. */
  rebuttedFor: ReadonlySet<string> | null;
  rebuttalIds: string[];
}

/** The state of a row without accepted rebuttals (one shared object: compared by identity when loading). */
export const NO_REBUTTAL: RebuttalState = { rebutted: false, rebuttedFor: null, rebuttalIds: [] };
