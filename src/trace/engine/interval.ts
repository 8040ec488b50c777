/**
 * Closed day intervals and antichains of them: the time rules of TRACE-SEMANTICS.md, free of I/O.
 * A day is an integer (days since 1970-01-01); an open bound is ±Infinity.
 */
export interface Interval {
  from: number;
  to: number;
}

export const ALWAYS: Interval = { from: -Infinity, to: Infinity };

const MS_PER_DAY = 86_400_000;

const days = new Map<string, number>();

/** Memoized: a catalogue repeats the same few thousand dates across millions of rows. */
export function dayOf(iso: string): number {
  let day = days.get(iso);
  if (day === undefined) {
    day = Date.UTC(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)) - 1, Number(iso.slice(8, 10))) / MS_PER_DAY;
    if (days.size < 100_000) days.set(iso, day);
  }
  return day;
}

const isos = new Map<number, string>();

/** Memoized too: a snapshot derives its rows' date texts from their days (TaintRow.from, .to). */
export function isoOf(day: number): string | null {
  if (!Number.isFinite(day)) return null;
  let iso = isos.get(day);
  if (iso === undefined) {
    iso = new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
    if (isos.size < 100_000) isos.set(day, iso);
  }
  return iso;
}

export function interval(from: string | null | undefined, to: string | null | undefined): Interval {
  return { from: from ? dayOf(from) : -Infinity, to: to ? dayOf(to) : Infinity };
}

export function intersect(a: Interval, b: Interval): Interval | null {
  const from = Math.max(a.from, b.from);
  const to = Math.min(a.to, b.to);
  return from <= to ? { from, to } : null;
}

/**
 * An antichain: the maximal intervals achievable as the intersection of one choice of row per timed hop.
 * A path is time-consistent when its antichain is not empty. `asOf` enters as the interval (-∞, asOf]:
 * I ∩ (-∞, asOf] is non-empty exactly when I is non-empty and start(I) <= asOf.
 */
export type Antichain = readonly Interval[];

export function startAntichain(asOf: number | null): Antichain {
  return [{ from: -Infinity, to: asOf ?? Infinity }];
}

/** The antichain after one more timed hop whose parallel rows have the given intervals. */
export function constrain(chain: Antichain, rows: readonly Interval[]): Antichain {
  const out: Interval[] = [];
  for (const a of chain) {
    for (const r of rows) {
      const i = intersect(a, r);
      if (i) out.push(i);
    }
  }
  return maximal(out);
}

/** Whether any row can be chosen consistently with the antichain. */
export function touches(chain: Antichain, rows: readonly Interval[]): boolean {
  for (const a of chain) for (const r of rows) if (intersect(a, r)) return true;
  return false;
}

function maximal(list: Interval[]): Interval[] {
  if (list.length <= 1) return list;
  list.sort((x, y) => x.from - y.from || y.to - x.to);
  const out: Interval[] = [];
  let maxTo = -Infinity;
  for (const i of list) {
    // sorted by start, then longest first: i is contained in an earlier one iff an earlier one reaches at least as far
    if (i.to > maxTo) {
      out.push(i);
      maxTo = i.to;
    }
  }
  return out;
}

export function antichainKey(chain: Antichain): string {
  return chain.map((i) => `${i.from},${i.to}`).join(';');
}
