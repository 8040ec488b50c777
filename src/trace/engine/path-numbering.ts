// Path numbering: path k found by descending with the counts, no path before it built. See docs/engine.md.
import { LABOR_REL_TYPES, TIMED_REL_TYPES } from '../../model/graph-model';
import type { Count, Pair, PathKind } from './counts';
import { constrain, startAntichain, touches, type Antichain } from './interval';
import { placedRows, rebuttedAt, type Hop, type TaintRow } from './taint-graph';
import { within, type CountedWalks } from './walks';

export interface TracedPath {
  /** Node ids from the source to the traced item. */
  nodes: string[];
  /** The hop between nodes[i] and nodes[i+1], with the parallel rows that fit a time-consistent choice. */
  hops: { hop: Hop; rows: TaintRow[] }[];
  rebutted: boolean;
}

/** A path, or the part of one found so far: node ids and the hops between them. */
export interface Partial {
  nodes: string[];
  hops: Hop[];
}

/** Path number `index` (0-based) in the fixed order, or a RangeError past the end. */
export function pathAt(w: CountedWalks, item: string, kind: PathKind, index: bigint): TracedPath {
  if (index < 0n || index >= BigInt(w.itemCounts(item)[kind].all)) throw new RangeError(`no path ${index}`);
  const up: Hop[] = [];
  let current = item;
  let rest = index;
  for (;;) {
    const own = BigInt(w.prefixCounts(current, kind).all);
    if (rest < own) break;
    const [child, offset] = locate(w.presentChildren(current), (h) => w.itemCounts(h.source)[kind].all, rest - own);
    up.push(child);
    current = child.source;
    rest = offset;
  }
  const prefix = prefixAt(w, current, kind, rest);
  const hops = [...prefix.hops, ...up.reverse()];
  const nodes = [...prefix.nodes, ...up.map((h) => h.target)];
  return describe(w.start, nodes, hops, item);
}

/**
 * Which parallel rows of each hop fit a time-consistent choice, and whether one avoids the labor rows rebutted on
 * paths ending at `item`.
 */
export function describe(start: Antichain, nodes: string[], hops: Hop[], item: string): TracedPath {
  const supply = hops.find((h) => h.type === 'SUPPLIES_LABOR_TO');
  const candidates = hops.map((h) => (h.type === 'RECRUITED_BY' && supply ? placedRows(h, supply.target) : h.rows));
  const timed = hops.map((h) => TIMED_REL_TYPES.has(h.type));
  const intervals = candidates.map((rows) => rows.map((r) => r.interval));
  const before: Antichain[] = [];
  let acc: Antichain = start;
  for (let i = 0; i < hops.length; i++) {
    before.push(acc);
    if (timed[i]) acc = constrain(acc, intervals[i]);
  }
  const after: Antichain[] = new Array(hops.length);
  let back: Antichain = startAntichain(null);
  for (let i = hops.length - 1; i >= 0; i--) {
    after[i] = back;
    if (timed[i]) back = constrain(back, intervals[i]);
  }
  const described = hops.map((hop, i) => {
    if (!timed[i]) return { hop, rows: candidates[i] };
    const around = constrain(before[i], after[i]);
    return { hop, rows: candidates[i].filter((r) => touches(around, [r.interval])) };
  });
  let open: Antichain = start;
  let openOk = true;
  hops.forEach((hop, i) => {
    const rows = LABOR_REL_TYPES.has(hop.type) ? candidates[i].filter((r) => !rebuttedAt(r, item)) : candidates[i];
    if (rows.length === 0) openOk = false;
    if (timed[i]) open = constrain(open, rows.map((r) => r.interval));
  });
  return { nodes, hops: described, rebutted: !(openOk && open.length > 0) };
}

function agencyAt(w: CountedWalks, agency: string, factory: string, p: Pair, visited: Set<string>, index: bigint): Partial {
  let rest = index;
  if (w.isSource(agency)) {
    if (rest === 0n) return { nodes: [agency], hops: [] };
    rest--;
  }
  for (const { hop, worker } of w.recruitSteps(agency, factory, p)) {
    if (rest === 0n) return { nodes: [worker, agency], hops: [hop] };
    rest--;
  }
  const [step, offset] = locate(
    w.dispatchSteps(agency, p, visited),
    (st) => within(w.work, visited, st.from, () => w.agencyCount(st.from, factory, st.next, visited, st.entry).all),
    rest,
  );
  const inner = within(w.work, visited, step.from, () => agencyAt(w, step.from, factory, step.next, visited, offset));
  return { nodes: [...inner.nodes, agency], hops: [...inner.hops, step.hop] };
}

function segmentAt(w: CountedWalks, factory: string, chain: Antichain, index: bigint): Partial {
  const start: Pair = { all: chain, open: chain };
  let rest = index;
  if (w.isSource(factory)) {
    if (rest === 0n) return { nodes: [factory], hops: [] };
    rest--;
  }
  for (const { hop, worker } of w.employmentSteps(factory, start)) {
    if (rest === 0n) return { nodes: [worker, factory], hops: [hop] };
    rest--;
  }
  const [step, offset] = locate(
    w.supplySteps(factory, start),
    (st) => w.agencyCount(st.agency, factory, st.next, new Set([st.agency]), true).all,
    rest,
  );
  const inner = agencyAt(w, step.agency, factory, step.next, new Set([step.agency]), offset);
  return { nodes: [...inner.nodes, factory], hops: [...inner.hops, step.hop] };
}

function chainAt(w: CountedWalks, factory: string, chain: Antichain, visited: Set<string>, index: bigint): Partial {
  const own = BigInt(w.segmentCounts(factory, chain).all);
  if (index < own) return segmentAt(w, factory, chain, index);
  const [step, offset] = locate(
    w.subcontractSteps(factory, chain, visited),
    (st) => within(w.work, visited, st.sub, () => w.chainCount(st.sub, st.next, visited, st.entry).all),
    index - own,
  );
  const inner = within(w.work, visited, step.sub, () => chainAt(w, step.sub, step.next, visited, offset));
  return { nodes: [...inner.nodes, factory], hops: [...inner.hops, step.hop] };
}

function companyAt(w: CountedWalks, company: string, chain: Antichain, visited: Set<string>, index: bigint): Partial {
  const operated = w.operatedFactories(company);
  const own = operated.reduce((n, op) => n + BigInt(w.chainCount(op.target, chain, new Set([op.target]), true).all), 0n);
  if (index < own) {
    const [op, offset] = locate(operated, (o) => w.chainCount(o.target, chain, new Set([o.target]), true).all, index);
    const inner = chainAt(w, op.target, chain, new Set([op.target]), offset);
    return { nodes: [...inner.nodes, company], hops: [...inner.hops, op] };
  }
  const [step, offset] = locate(
    w.supplierSteps(company, chain, visited),
    (st) => within(w.work, visited, st.supplier, () => w.companyCount(st.supplier, st.next, visited, st.entry).all),
    index - own,
  );
  const inner = within(w.work, visited, step.supplier, () => companyAt(w, step.supplier, step.next, visited, offset));
  return { nodes: [...inner.nodes, company], hops: [...inner.hops, step.hop] };
}

function prefixAt(w: CountedWalks, item: string, kind: PathKind, index: bigint): Partial {
  const [start, offset] = locate(w.prefixStarts(item, kind), (st) => w.prefixStartCount(kind, st.from, st.chain).all, index);
  const inner = kind === 'direct'
    ? chainAt(w, start.from, start.chain, new Set([start.from]), offset)
    : companyAt(w, start.from, start.chain, new Set([start.from]), offset);
  return { nodes: [...inner.nodes, item], hops: [...inner.hops, start.hop] };
}

/** Candidates laid end to end by size: the one whose range holds `index`, and the offset into it. */
function locate<T>(candidates: Iterable<T>, size: (c: T) => Count, index: bigint): [T, bigint] {
  let rest = index;
  for (const c of candidates) {
    const n = BigInt(size(c));
    if (rest < n) return [c, rest];
    rest -= n;
  }
  throw new RangeError('path index past the end');
}
