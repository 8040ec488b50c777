// Subgraph marking: the union of the valid paths' nodes and rows, without listing paths. See docs/engine.md.
import { cmp, placedRows, sortByKey, type TaintRow } from './taint-graph';
import { minus, stepRows, pairKey, type Counts, type Pair, type PathKind } from './counts';
import { constrain, antichainKey, touches, type Antichain } from './interval';
import { within, type CountedWalks, type WalkKind } from './walks';

export interface Subgraph {
  nodes: string[];
  rows: TaintRow[];
  /** Factories where the labor segment of a marked path ends. */
  sites: string[];
}

/** The union of all valid paths to `item` (of the given kinds), and the factories where their labor was done. */
export function subgraphOf(w: CountedWalks, item: string, kinds: readonly PathKind[]): Subgraph {
  const m = new SubgraphMarker(w, kinds);
  const any = (id: string) => kinds.some((k) => w.itemCounts(id)[k].all !== 0);
  const seen = new Set<string>([item]);
  const queue = [item];
  while (queue.length > 0) {
    const id = queue.pop()!;
    if (!any(id)) continue;
    m.nodes.add(id);
    m.markPrefixes(id, null);
    for (const h of w.presentChildren(id)) {
      if (!any(h.source)) continue;
      m.markRows(h.rows);
      if (!seen.has(h.source)) {
        seen.add(h.source);
        queue.push(h.source);
      }
    }
  }
  return m.result();
}

/**
 * Marks the nodes and rows of valid prefixes, pruning every walk with the counts so that nothing is listed path by
 * path. With `through`, only prefixes containing one of its nodes count: `has` says whether the walk (from the item
 * back towards the sources) has passed one; until it has, a step is taken only where the counts with and without
 * those nodes differ.
 */
export class SubgraphMarker {
  readonly nodes = new Set<string>();
  private readonly sites = new Set<string>();
  /** By id: a stored hop's rows are new objects each time they are read (hop-store.ts). */
  private readonly rows = new Map<string, TaintRow>();
  private readonly marked = new Set<string>();

  constructor(
    private readonly engine: CountedWalks,
    private readonly kinds: readonly PathKind[],
    private readonly through?: { nodes: ReadonlySet<string>; without: CountedWalks },
  ) {}

  markRows(list: readonly TaintRow[]): void {
    for (const r of list) this.rows.set(r.id, r);
  }

  result(): Subgraph {
    return {
      nodes: [...this.nodes].sort(cmp),
      rows: sortByKey([...this.rows.values()]),
      sites: [...this.sites].sort(cmp),
    };
  }

  /** Marks a walk state once: the same state marks the same rows. */
  private once(key: string): boolean {
    if (this.marked.has(key)) return false;
    this.marked.add(key);
    return true;
  }

  /**
   * Whether to mark from a walk state: entry states once each; inside a small component, once per set of visited
   * members too (so a dense component is marked by its states, not path by path); elsewhere every time.
   */
  private first(tag: string, node: string, state: string, kind: WalkKind, visited: Set<string>, entry: boolean, has: boolean): boolean {
    const inside = entry ? '' : this.engine.visitedKey(node, kind, visited);
    if (!entry && inside === '') return true;
    return this.once(`${tag}\u0000${node}\u0000${state}\u0000${has}\u0000${inside}`);
  }

  /** Whether a walk can be completed (into a prefix containing a `through` node, when there are some). */
  private alive(has: boolean, count: (e: CountedWalks) => Counts): boolean {
    const all = count(this.engine).all;
    if (all === 0) return false;
    if (!this.through || has) return true;
    return minus(all, count(this.through.without).all) > 0;
  }

  private is(id: string): boolean {
    return this.through?.nodes.has(id) ?? false;
  }

  private chainAlive(factory: string, chain: Antichain, visited: Set<string>, entry: boolean, has: boolean): boolean {
    return this.alive(has, (e) => e.chainCount(factory, chain, visited, entry));
  }

  private companyAlive(company: string, chain: Antichain, visited: Set<string>, entry: boolean, has: boolean): boolean {
    return this.alive(has, (e) => e.companyCount(company, chain, visited, entry));
  }

  private agencyAlive(agency: string, factory: string, p: Pair, visited: Set<string>, entry: boolean, has: boolean): boolean {
    return this.alive(has, (e) => e.agencyCount(agency, factory, p, visited, entry));
  }

  /** Marks the prefixes ending at an item; `has` null: no `through` filter. Returns whether any was marked. */
  markPrefixes(item: string, has: boolean | null): boolean {
    const h = has ?? true;
    let any = false;
    for (const kind of this.kinds) {
      for (const { hop, from, chain } of this.engine.prefixStarts(item, kind)) {
        const hf = h || this.is(from);
        const alive = (c: Antichain) => (kind === 'direct'
          ? this.chainAlive(from, c, new Set([from]), true, hf)
          : this.companyAlive(from, c, new Set([from]), true, hf));
        if (!alive(chain)) continue;
        this.markRows(hop.rows.filter((r) => {
          const one = constrain(this.engine.start, [r.interval]);
          return one.length > 0 && alive(one);
        }));
        if (kind === 'direct') this.markChain(from, chain, new Set([from]), true, hf);
        else this.markCompany(from, chain, new Set([from]), true, hf);
        any = true;
      }
    }
    return any;
  }

  private markChain(factory: string, chain: Antichain, visited: Set<string>, entry: boolean, has: boolean): void {
    if (!this.first('f', factory, antichainKey(chain), 'Factory', visited, entry, has)) return;
    this.nodes.add(factory);
    this.markSegments(factory, chain, has);
    for (const { hop, sub, next, entry: e } of this.engine.subcontractSteps(factory, chain, visited)) {
      const hs = has || this.is(sub);
      within(this.engine.work, visited, sub, () => {
        if (!this.chainAlive(sub, next, visited, e, hs)) return;
        this.markRows(hop.rows.filter((r) => {
          const one = constrain(chain, [r.interval]);
          return one.length > 0 && this.chainAlive(sub, one, visited, e, hs);
        }));
        this.markChain(sub, next, visited, e, hs);
      });
    }
  }

  /** The labor segments ending at a factory; the factory is a site when one of them is on a marked path. */
  private markSegments(factory: string, chain: Antichain, has: boolean): void {
    const e = this.engine;
    const start: Pair = { all: chain, open: chain };
    let any = has && e.isSource(factory);
    for (const { hop, worker } of e.employmentSteps(factory, start)) {
      if (!has && !this.is(worker)) continue;
      this.nodes.add(worker);
      this.markRows(hop.rows.filter((r) => touches(chain, [r.interval])));
      any = true;
    }
    for (const { hop, agency, next } of e.supplySteps(factory, start)) {
      const ha = has || this.is(agency);
      const alive = (p: Pair) => this.agencyAlive(agency, factory, p, new Set([agency]), true, ha);
      if (!alive(next)) continue;
      this.markRows(hop.rows.filter((r) => {
        const one = stepRows(start, [r], null);
        return one !== null && alive(one);
      }));
      this.markAgency(agency, factory, next, new Set([agency]), true, ha);
      any = true;
    }
    if (any) this.sites.add(factory);
  }

  private markAgency(agency: string, factory: string, p: Pair, visited: Set<string>, entry: boolean, has: boolean): void {
    if (!this.first('a', agency, `${factory}\u0000${pairKey(p)}`, 'LaborAgency', visited, entry, has)) return;
    this.nodes.add(agency);
    for (const { hop, worker } of this.engine.recruitSteps(agency, factory, p)) {
      if (!has && !this.is(worker)) continue;
      this.nodes.add(worker);
      this.markRows(placedRows(hop, factory).filter((r) => touches(p.all, [r.interval])));
    }
    for (const step of this.engine.dispatchSteps(agency, p, visited)) {
      const hs = has || this.is(step.from);
      within(this.engine.work, visited, step.from, () => {
        const alive = (q: Pair) => this.agencyAlive(step.from, factory, q, visited, step.entry, hs);
        if (!alive(step.next)) return;
        this.markRows(step.hop.rows.filter((r) => {
          const one = stepRows(p, [r], null);
          return one !== null && alive(one);
        }));
        this.markAgency(step.from, factory, step.next, visited, step.entry, hs);
      });
    }
  }

  private markCompany(company: string, chain: Antichain, visited: Set<string>, entry: boolean, has: boolean): void {
    if (!this.first('c', company, antichainKey(chain), 'Company', visited, entry, has)) return;
    this.nodes.add(company);
    for (const op of this.engine.operatedFactories(company)) {
      const f = op.target;
      const hf = has || this.is(f);
      if (!this.chainAlive(f, chain, new Set([f]), true, hf)) continue;
      this.markRows(op.rows);
      this.markChain(f, chain, new Set([f]), true, hf);
    }
    for (const { hop, supplier, next, entry: e } of this.engine.supplierSteps(company, chain, visited)) {
      const hs = has || this.is(supplier);
      within(this.engine.work, visited, supplier, () => {
        if (!this.companyAlive(supplier, next, visited, e, hs)) return;
        this.markRows(hop.rows.filter((r) => {
          const one = constrain(chain, [r.interval]);
          return one.length > 0 && this.companyAlive(supplier, one, visited, e, hs);
        }));
        this.markCompany(supplier, next, visited, e, hs);
      });
    }
  }
}
