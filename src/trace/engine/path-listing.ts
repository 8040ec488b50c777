// Path listing without counts: the paths of an item in numbering order, walked one by one. See docs/engine.md.
import type { Pair, PathKind } from './counts';
import type { Antichain } from './interval';
import { describe, type Partial, type TracedPath } from './path-numbering';
import { withinEach, type CountedWalks } from './walks';

/** `after` named no path of the list. */
export class NoSuchPathError extends Error {
  constructor() {
    super('no path of this list has these nodes');
  }
}

/**
 * The paths ending at `item`, in the order path-numbering.ts numbers them (the same steps in the same order, each
 * followed depth first), found one at a time by walking rather than by descending with the counts: what lists the
 * first pages of an item whose counts are TOO_COMPLEX. Each node stepped into draws one step on the walks' budget,
 * and each hop deeper counts against its depth limit, so a listing that cannot find its next path in the budget
 * ends in a TraceTooComplexError rather than holding the process. `after`: the node ids of a path of this list;
 * listing resumes after it (the paths before it are walked again, not built); NoSuchPathError when no path has them.
 */
export function* pathsInOrder(w: CountedWalks, item: string, kind: PathKind, after: readonly string[] | null = null): Generator<TracedPath> {
  let skipping = after !== null;
  const key = after?.join('\u0000');
  for (const p of itemPaths(w, item, kind)) {
    if (skipping) {
      if (p.nodes.length === after!.length && p.nodes.join('\u0000') === key) skipping = false;
      continue;
    }
    yield describe(w.start, p.nodes, p.hops, item);
  }
  if (skipping) throw new NoSuchPathError();
}

/** An item's own prefixes, then each part's paths extended by its bill-of-materials hop (pathAt's order). */
function* itemPaths(w: CountedWalks, item: string, kind: PathKind): Generator<Partial> {
  if (w.present(item)) {
    for (const start of w.prefixStarts(item, kind)) {
      const inner = kind === 'direct'
        ? chainPaths(w, start.from, start.chain, new Set([start.from]))
        : companyPaths(w, start.from, start.chain, new Set([start.from]));
      for (const p of inner) yield { nodes: [...p.nodes, item], hops: [...p.hops, start.hop] };
    }
  }
  for (const child of w.presentChildren(item)) {
    for (const p of itemPaths(w, child.source, kind)) yield { nodes: [...p.nodes, item], hops: [...p.hops, child] };
  }
}

function* chainPaths(w: CountedWalks, factory: string, chain: Antichain, visited: Set<string>): Generator<Partial> {
  w.work.tick();
  for (const p of segmentPaths(w, factory, chain)) yield { nodes: [...p.nodes, factory], hops: p.hops };
  for (const step of w.subcontractSteps(factory, chain, visited)) {
    for (const p of withinEach(w.work, visited, step.sub, () => chainPaths(w, step.sub, step.next, visited))) {
      yield { nodes: [...p.nodes, factory], hops: [...p.hops, step.hop] };
    }
  }
}

/** Labor segments ending at `factory`, without the factory itself (chainPaths adds it). */
function* segmentPaths(w: CountedWalks, factory: string, chain: Antichain): Generator<Partial> {
  const start: Pair = { all: chain, open: chain };
  if (w.isSource(factory)) yield { nodes: [], hops: [] };
  for (const { hop, worker } of w.employmentSteps(factory, start)) yield { nodes: [worker], hops: [hop] };
  for (const { hop, agency, next } of w.supplySteps(factory, start)) {
    for (const p of agencyPaths(w, agency, factory, next, new Set([agency]))) yield { nodes: p.nodes, hops: [...p.hops, hop] };
  }
}

function* agencyPaths(w: CountedWalks, agency: string, factory: string, p: Pair, visited: Set<string>): Generator<Partial> {
  w.work.tick();
  if (w.isSource(agency)) yield { nodes: [agency], hops: [] };
  for (const { hop, worker } of w.recruitSteps(agency, factory, p)) yield { nodes: [worker, agency], hops: [hop] };
  for (const step of w.dispatchSteps(agency, p, visited)) {
    for (const q of withinEach(w.work, visited, step.from, () => agencyPaths(w, step.from, factory, step.next, visited))) {
      yield { nodes: [...q.nodes, agency], hops: [...q.hops, step.hop] };
    }
  }
}

function* companyPaths(w: CountedWalks, company: string, chain: Antichain, visited: Set<string>): Generator<Partial> {
  w.work.tick();
  for (const op of w.operatedFactories(company)) {
    for (const p of chainPaths(w, op.target, chain, new Set([op.target]))) yield { nodes: [...p.nodes, company], hops: [...p.hops, op] };
  }
  for (const step of w.supplierSteps(company, chain, visited)) {
    for (const p of withinEach(w.work, visited, step.supplier, () => companyPaths(w, step.supplier, step.next, visited))) {
      yield { nodes: [...p.nodes, company], hops: [...p.hops, step.hop] };
    }
  }
}
