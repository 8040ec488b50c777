// Path counts and the labor-walk state they are counted over: see docs/engine.md.
import { antichainKey, constrain, type Antichain, type Interval } from './interval';
import { rebuttedAt, type TaintRow } from './taint-graph';

export type PathKind = 'direct' | 'possible';

/**
 * An exact count of paths: a number while it is a safe integer (at most 2^53 − 1), a bigint only past that. The
 * form is canonical — a value that fits a safe integer is never a bigint — so `===` compares counts. Screening
 * adds millions of small counts; as numbers they cost no allocation (docs/engine.md, "Counts").
 */
export type Count = number | bigint;

const SAFE = BigInt(Number.MAX_SAFE_INTEGER);
const canonical = (x: bigint): Count => (x <= SAFE && x >= -SAFE ? Number(x) : x);

/** a + b, exactly: a sum of two safe integers is exact when it is at most 2^53 − 1 and rounds above it otherwise. */
export function plus(a: Count, b: Count): Count {
  if (typeof a === 'number' && typeof b === 'number') {
    const sum = a + b;
    if (sum <= Number.MAX_SAFE_INTEGER) return sum;
  }
  return canonical(BigInt(a) + BigInt(b));
}

/** a − b, exactly (a ≥ b ≥ 0 where counts are subtracted, so two safe integers give a safe one). */
export function minus(a: Count, b: Count): Count {
  return typeof a === 'number' && typeof b === 'number' ? a - b : canonical(BigInt(a) - BigInt(b));
}

/** Counts of the paths of one kind at a walk state, as the engine keeps them. */
export interface Counts {
  /** Distinct node sequences with a time-consistent choice of parallel rows. */
  all: Count;
  /** Those with such a choice that uses no rebutted labor row. */
  open: Count;
}

/** An item's counts as the engine keeps them (ItemCounts is what it hands out). */
export interface ItemTally {
  direct: Counts;
  possible: Counts;
}

/** Counts as the engine hands them out: bigints, whatever their size. */
export interface ExactCounts {
  all: bigint;
  open: bigint;
}

export interface ItemCounts {
  direct: ExactCounts;
  possible: ExactCounts;
}

export const exact = (c: Counts): ExactCounts => ({ all: BigInt(c.all), open: BigInt(c.open) });
export const exactItem = (t: ItemTally): ItemCounts => ({ direct: exact(t.direct), possible: exact(t.possible) });

/**
 * The antichain of a walk through a labor segment, twice: over every row, and over the rows no evidence rebuts.
 * `open` is the same array as `all` until a rebutted row is met, so the common case costs one antichain.
 */
export interface Pair {
  all: Antichain;
  open: Antichain;
}

export const ZERO: Counts = { all: 0, open: 0 };
export const ONE: Counts = { all: 1, open: 1 };
export const NONE_OPEN: Counts = { all: 1, open: 0 };
export const add = (a: Counts, b: Counts): Counts => ({ all: plus(a.all, b.all), open: plus(a.open, b.open) });
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

export const sameCounts = (a: ItemTally, b: ItemTally): boolean => a.direct.all === b.direct.all && a.direct.open === b.direct.open
  && a.possible.all === b.possible.all && a.possible.open === b.possible.open;

export function exposureOf(c: ItemCounts | ItemTally): 'DIRECT' | 'POSSIBLE' | 'NONE' {
  return c.direct.all > 0 ? 'DIRECT' : c.possible.all > 0 ? 'POSSIBLE' : 'NONE';
}
