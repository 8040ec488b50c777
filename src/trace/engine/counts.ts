// Path counts and the labor-walk state they are counted over: see docs/engine.md.
import { antichainKey, constrain, type Antichain, type Interval } from './interval';
import { rebuttedAt, type TaintRow } from './taint-graph';

export type PathKind = 'direct' | 'possible';

export interface Counts {
  /** Distinct node sequences with a time-consistent choice of parallel rows. */
  all: bigint;
  /** Those with such a choice that uses no rebutted labor row. */
  open: bigint;
}

export interface ItemCounts {
  direct: Counts;
  possible: Counts;
}

/**
 * The antichain of a walk through a labor segment, twice: over every row, and over the rows no evidence rebuts.
 * `open` is the same array as `all` until a rebutted row is met, so the common case costs one antichain.
 */
export interface Pair {
  all: Antichain;
  open: Antichain;
}

export const ZERO: Counts = { all: 0n, open: 0n };
export const ONE: Counts = { all: 1n, open: 1n };
export const NONE_OPEN: Counts = { all: 1n, open: 0n };
export const add = (a: Counts, b: Counts): Counts => ({ all: a.all + b.all, open: a.open + b.open });
export const pairKey = (p: Pair) => `${antichainKey(p.all)}|${p.open === p.all ? '=' : antichainKey(p.open)}`;

/** The walk past one more timed labor hop (rows chosen from `rows`/`intervals`), or null when no row fits. */
export function stepPair(p: Pair, intervals: readonly Interval[], openIntervals: readonly Interval[]): Pair | null {
  const all = constrain(p.all, intervals);
  if (all.length === 0) return null;
  if (p.open.length === 0) return { all, open: p.open };
  if (p.open === p.all && openIntervals === intervals) return { all, open: all };
  return { all, open: constrain(p.open, openIntervals) };
}

/** The walk past one more labor hop choosing from `rows`, open rows being those not rebutted for `item`. */
export function stepRows(p: Pair, rows: readonly TaintRow[], item: string | null): Pair | null {
  return stepPair(p, rows.map((r) => r.interval), rows.filter((r) => !rebuttedAt(r, item)).map((r) => r.interval));
}

export const leaf = (p: Pair): Counts => (p.open.length > 0 ? ONE : NONE_OPEN);

export const sameCounts = (a: ItemCounts, b: ItemCounts): boolean => a.direct.all === b.direct.all && a.direct.open === b.direct.open
  && a.possible.all === b.possible.all && a.possible.open === b.possible.open;

export function exposureOf(c: ItemCounts): 'DIRECT' | 'POSSIBLE' | 'NONE' {
  return c.direct.all > 0n ? 'DIRECT' : c.possible.all > 0n ? 'POSSIBLE' : 'NONE';
}
