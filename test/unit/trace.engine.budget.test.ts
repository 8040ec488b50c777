import { ConfigError, intSetting, loadConfig, sizeSetting } from '../../src/config';
import type { Neo4jClient } from '../../src/db/neo4j-client';
import { relationshipKey, type NodeKind, type RelType } from '../../src/model/graph-model';
import { ReachMemo, reachableExposure } from '../../src/trace/engine/exposure';
import { TaintGraph } from '../../src/trace/engine/taint-graph';
import { BomCycleError, TraceEngine } from '../../src/trace/engine/trace.engine';
import { MAX_WALK_DEPTH, TraceTooComplexError, WorkBudget } from '../../src/trace/engine/work-budget';
import { countOrReach, impactExclusion, impactRows, screenGraph, TraceService } from '../../src/trace/trace.service';

function graph(nodes: [string, NodeKind, string?][], rows: [RelType, string, string][]): TaintGraph {
  const g = new TaintGraph();
  for (const [id, kind, extra] of nodes) g.addNode({ id, kind, nationality: extra, country: extra, dprkLinked: false });
  for (const [type, source, target] of rows) {
    g.addRow({ key: relationshipKey(type, source, target, null, null), type, source, target, from: null, to: null, rebuttals: [] });
  }
  return g;
}

/**
 * PRODUCTS products, each sourced from its own complete supply digraph of CLUSTER companies (no memo is shared
 * between products), one of which operates a factory with DPRK labor: every product costs the same work.
 */
const PRODUCTS = 8;
const CLUSTER = 6;
function catalogue(): TaintGraph {
  const nodes: [string, NodeKind, string?][] = [];
  const rows: [RelType, string, string][] = [];
  for (let p = 0; p < PRODUCTS; p++) {
    const ks = Array.from({ length: CLUSTER }, (_, i) => `K${p}-${i}`);
    nodes.push([`P${p}`, 'Product'], [`F${p}`, 'Factory'], [`W${p}`, 'Worker', 'KP'], ...ks.map((k) => [k, 'Company'] as [string, NodeKind]));
    rows.push(['EMPLOYED_AT', `W${p}`, `F${p}`], ['OPERATES', ks[0], `F${p}`], ['SOURCED_FROM', ks[CLUSTER - 1], `P${p}`]);
    for (const a of ks) for (const b of ks) if (a !== b) rows.push(['SUPPLIES', a, b]);
  }
  return graph(nodes, rows);
}

function perProductOf(g: TaintGraph): number {
  const e = new TraceEngine(g, { asOf: null, maxSteps: Number.MAX_SAFE_INTEGER });
  e.counts('P0');
  return e.work.steps;
}

describe('work budget: one per request, not per call', () => {
  const g = catalogue();
  const perProduct = (() => {
    const e = new TraceEngine(g, { asOf: null, maxSteps: Number.MAX_SAFE_INTEGER });
    e.counts('P0');
    return e.work.steps;
  })();

  it('every product costs the same work, well above zero', () => {
    expect(perProduct).toBeGreaterThan(50);
    for (let p = 1; p < PRODUCTS; p++) {
      const e = new TraceEngine(g, { asOf: null, maxSteps: Number.MAX_SAFE_INTEGER });
      e.counts(`P${p}`);
      expect(e.work.steps).toBe(perProduct);
    }
  });

  it('a screen whose products each fit the budget, but not all together, stops counting at the budget', () => {
    const max = 2 * perProduct; // each product alone fits; PRODUCTS of them do not
    for (let p = 0; p < PRODUCTS; p++) {
      expect(new TraceEngine(g, { asOf: null, maxSteps: max }).counts(`P${p}`).possible.all).toBeGreaterThan(0n);
    }
    const bounded = new TraceEngine(g, { asOf: null, maxSteps: max });
    const rows = screenGraph(g, bounded);
    // two products are counted; every later one is TOO_COMPLEX, its exposure (still exact) found by reachability
    expect(rows.map((r) => [r.countStatus, r.exposure])).toEqual([
      ...Array(2).fill(['EXACT', 'POSSIBLE']), ...Array(PRODUCTS - 2).fill(['TOO_COMPLEX', 'POSSIBLE']),
    ]);
    expect(rows.filter((r) => r.countStatus === 'TOO_COMPLEX').every((r) => r.counts === null)).toBe(true);
    expect(bounded.work.steps).toBeLessThanOrEqual(max + PRODUCTS); // one refused step per product past the budget
    // with room for all of them, the screen uses exactly the sum
    const e = new TraceEngine(g, { asOf: null, maxSteps: PRODUCTS * perProduct });
    expect(screenGraph(g, e)).toHaveLength(PRODUCTS);
    expect(e.work.steps).toBe(PRODUCTS * perProduct);
  });

  it('impact: the engine and the engine without the node draw on the one budget', () => {
    const through = impactExclusion(g, 'W0');
    const enough = new WorkBudget(10 * PRODUCTS * perProduct);
    const rows = impactRows(g, new TraceEngine(g, { asOf: null, budget: enough }), new TraceEngine(g, { asOf: null, excluded: through, budget: enough }));
    expect(rows.map((r) => r.itemId)).toEqual(['P0']);
    const used = enough.steps;
    expect(used).toBeGreaterThan(PRODUCTS * perProduct); // both engines counted every product
    const tight = new WorkBudget(used - 1);
    expect(() => impactRows(g, new TraceEngine(g, { asOf: null, budget: tight }), new TraceEngine(g, { asOf: null, excluded: through, budget: tight })))
      .toThrow(TraceTooComplexError);
  });

  it('withBudget: engines of one graph share what is computed, each request has its own budget', () => {
    const shared = new TraceEngine(g, { asOf: null, maxSteps: 1 });
    const first = new WorkBudget(perProduct * 100);
    const a = shared.withBudget(first);
    const counted = a.counts('P0');
    expect(first.steps).toBe(perProduct);
    const second = new WorkBudget(1);
    expect(shared.withBudget(second).counts('P0')).toEqual(counted); // from the memo: no work
    expect(second.steps).toBe(0);
    // paths and subgraphs asked for later in the same request draw on the same budget
    a.subgraph('P1');
    expect(first.steps).toBeGreaterThan(perProduct);
  });

  it('a request stopped by its budget leaves nothing half-computed for the next', () => {
    const shared = new TraceEngine(g, { asOf: null });
    const stopped = screenGraph(g, shared.withBudget(new WorkBudget(perProduct + perProduct / 2)));
    expect(stopped.filter((r) => r.countStatus === 'TOO_COMPLEX')).toHaveLength(PRODUCTS - 1);
    const rows = screenGraph(g, shared.withBudget(new WorkBudget(Number.MAX_SAFE_INTEGER)));
    const fresh = new TraceEngine(g, { asOf: null, maxSteps: Number.MAX_SAFE_INTEGER });
    for (const r of rows) expect(r.counts).toEqual(fresh.counts(r.itemId));
    expect(rows).toHaveLength(PRODUCTS);
  });

  it('TraceService.screen makes one budget for the whole request, and its rows keep drawing on it', async () => {
    const fakeClient = { read: async () => [{ token: 't' }] } as unknown as Neo4jClient;
    const service = (maxSteps: number) => {
      const s = new TraceService(fakeClient, undefined, maxSteps, maxSteps);
      (s.snapshots as unknown as { current: unknown }).current = { token: 't', graph: g, engines: new Map() };
      return s;
    };
    expect((await service(2 * perProduct).screen()).filter((r) => r.countStatus === 'TOO_COMPLEX')).toHaveLength(PRODUCTS - 2);
    const svc = service(PRODUCTS * perProduct);
    const budget = svc.newBudget();
    const rows = await svc.screen(null, budget);
    expect(rows).toHaveLength(PRODUCTS);
    expect(budget.steps).toBe(PRODUCTS * perProduct);
    // the next request starts afresh, and from the memo
    const next = svc.newBudget();
    await svc.screen(null, next);
    expect(next.steps).toBe(0);
    // work done later for a row (its sources and sites) counts against the row's request
    rows[0].engine.laborFacts(rows[0].itemId);
    expect(rows[0].engine.work).toBe(budget);
  });
});

describe('work only where sources reach (issue 10: a product no source reaches is NONE at once)', () => {
  /** P-QUIET is sourced from a supply clique of 12 distributors; no source is anywhere behind it. */
  const ks = Array.from({ length: 12 }, (_, i) => `Q${i}`);
  const quiet = () => graph(
    [['P-QUIET', 'Product'], ['F-Q', 'Factory', 'CN'], ['W-KP', 'Worker', 'KP'], ...ks.map((k) => [k, 'Company'] as [string, NodeKind])],
    [['OPERATES', 'Q0', 'F-Q'], ['SOURCED_FROM', 'Q11', 'P-QUIET'], ...ks.flatMap((a) => ks.filter((b) => b !== a).map((b) => ['SUPPLIES', a, b] as [RelType, string, string]))],
  );

  it('counts zero, exactly, within a budget of 100 steps, where the simple paths through the clique number in the millions', () => {
    const g = quiet();
    const e = new TraceEngine(g, { asOf: null, maxSteps: 100 });
    const r = countOrReach(g, e, 'P-QUIET');
    expect([r.countStatus, r.exposure]).toEqual(['EXACT', 'NONE']);
    expect([r.counts!.direct.all, r.counts!.possible.all]).toEqual([0n, 0n]);
    expect(e.work.steps).toBeLessThan(100);
  });

  it('a patch that brings a source behind the clique is seen by the engine that had counted zero', () => {
    const g = quiet();
    const e = new TraceEngine(g, { asOf: null, maxSteps: 2_000 });
    expect(countOrReach(g, e, 'P-QUIET').exposure).toBe('NONE');
    g.upsertRow({ key: relationshipKey('EMPLOYED_AT', 'W-KP', 'F-Q', null, null), type: 'EMPLOYED_AT', source: 'W-KP', target: 'F-Q', from: null, to: null, rebuttals: [] });
    // now the clique is on the way, and counting it is refused; the exposure (by reachability) is exact
    const after = countOrReach(g, e.withBudget(new WorkBudget(2_000)), 'P-QUIET');
    expect([after.countStatus, after.exposure]).toEqual(['TOO_COMPLEX', 'POSSIBLE']);
  });
});

describe('one large cycle costs a screen one item\'s budget, not every item\'s', () => {
  // 20 products sourced through one supply clique of 12 distributors, one of which operates a plant with DPRK
  // labor; PZ is made at that plant directly and needs a handful of steps
  const ks = Array.from({ length: 12 }, (_, i) => `K${i}`);
  const ps = Array.from({ length: 20 }, (_, i) => `P${String(i).padStart(2, '0')}`);
  const g = graph(
    [['F', 'Factory', 'CN'], ['W', 'Worker', 'KP'], ['PZ', 'Product'], ...ps.map((p) => [p, 'Product'] as [string, NodeKind]), ...ks.map((k) => [k, 'Company'] as [string, NodeKind])],
    [['EMPLOYED_AT', 'W', 'F'], ['OPERATES', 'K0', 'F'], ['PRODUCED', 'F', 'PZ'], ...ps.map((p) => ['SOURCED_FROM', 'K11', p] as [RelType, string, string]),
      ...ks.flatMap((a) => ks.filter((b) => b !== a).map((b) => ['SUPPLIES', a, b] as [RelType, string, string]))],
  );
  const ITEM = 2_000;

  it('the clique is refused once it has spent an item\'s budget; the plain product is still counted', () => {
    const e = new TraceEngine(g, { asOf: null, budget: new WorkBudget(5 * ITEM, ITEM) });
    const rows = screenGraph(g, e);
    expect(rows.map((r) => [r.itemId, r.countStatus, r.exposure])).toEqual([
      ...ps.map((p) => [p, 'TOO_COMPLEX', 'POSSIBLE']), ['PZ', 'EXACT', 'DIRECT'],
    ]);
    // the first product spent its budget in the clique; the others were refused at its entry without spending
    expect(e.work.steps).toBeLessThan(ITEM + 100);
  });

  it('a component refused below a product makes the product TOO_COMPLEX in a screen, its exposure still exact', () => {
    // CX is sourced through the clique; PTOP contains CX and is also made at the plant itself
    const h = graph(
      [['F', 'Factory', 'CN'], ['W', 'Worker', 'KP'], ['CX', 'Component'], ['PTOP', 'Product'], ['PZ', 'Product'], ...ks.map((k) => [k, 'Company'] as [string, NodeKind])],
      [['EMPLOYED_AT', 'W', 'F'], ['OPERATES', 'K0', 'F'], ['PRODUCED', 'F', 'PZ'], ['PRODUCED', 'F', 'PTOP'], ['SOURCED_FROM', 'K11', 'CX'], ['COMPONENT_OF', 'CX', 'PTOP'],
        ...ks.flatMap((a) => ks.filter((b) => b !== a).map((b) => ['SUPPLIES', a, b] as [RelType, string, string]))],
    );
    const rows = screenGraph(h, new TraceEngine(h, { asOf: null, budget: new WorkBudget(5 * ITEM, ITEM) }));
    expect(rows.map((r) => [r.itemId, r.countStatus, r.exposure, r.counts?.direct.all ?? null])).toEqual([
      ['PTOP', 'TOO_COMPLEX', 'DIRECT', null], ['PZ', 'EXACT', 'DIRECT', 1n],
    ]);
  });

  it('a request with more budget than the refusal was made with tries again', () => {
    const e = new TraceEngine(g, { asOf: null, budget: new WorkBudget(5 * ITEM, ITEM) });
    expect(countOrReach(g, e.withBudget(new WorkBudget(ITEM)), 'P00').countStatus).toBe('TOO_COMPLEX');
    const bigger = new WorkBudget(3 * ITEM);
    expect(countOrReach(g, e.withBudget(bigger), 'P00').countStatus).toBe('TOO_COMPLEX');
    expect(bigger.steps).toBeGreaterThan(ITEM); // it counted again, and ran out again
  });
});

describe('a walk longer than MAX_WALK_DEPTH is refused, never a stack overflow (issue 10: a 10^4-company supply cycle)', () => {
  /**
   * Products sourced from companies of one supply ring C0 <- C1 <- ... <- C(n-1) <- C0; C(n-1) operates a plant
   * with DPRK labor. The one possible path of P0 (sourced from C0) walks the whole ring: n - 1 supply hops.
   */
  function ring(n: number, products = 1): TaintGraph {
    const cs = Array.from({ length: n }, (_, i) => `C${i}`);
    const ps = Array.from({ length: products }, (_, i) => `P${i}`);
    return graph(
      [['F', 'Factory', 'CN'], ['W', 'Worker', 'KP'], ...ps.map((p) => [p, 'Product'] as [string, NodeKind]), ...cs.map((c) => [c, 'Company'] as [string, NodeKind])],
      [['EMPLOYED_AT', 'W', 'F'], ['OPERATES', cs[n - 1], 'F'], ...ps.map((p, i) => ['SOURCED_FROM', cs[i % n], p] as [RelType, string, string]),
        ...cs.map((c, i) => ['SUPPLIES', cs[(i + 1) % n], c] as [RelType, string, string])],
    );
  }

  it('a ring whose path has MAX_WALK_DEPTH supply hops is counted exactly; one more hop is refused', () => {
    const fits = ring(MAX_WALK_DEPTH + 1);
    const counted = countOrReach(fits, new TraceEngine(fits, { asOf: null }), 'P0');
    expect([counted.countStatus, counted.exposure, counted.counts!.possible.all]).toEqual(['EXACT', 'POSSIBLE', 1n]);
    const longer = ring(MAX_WALK_DEPTH + 2);
    const refused = countOrReach(longer, new TraceEngine(longer, { asOf: null }), 'P0');
    expect([refused.countStatus, refused.exposure, refused.counts]).toEqual(['TOO_COMPLEX', 'POSSIBLE', null]);
    expect(() => new TraceEngine(longer, { asOf: null }).counts('P0')).toThrow(/walk of more than 1000 hops/);
  });

  it('a path of a few hundred supply hops is listed, and its subgraph marked', () => {
    const g = ring(300);
    const e = new TraceEngine(g, { asOf: null });
    const path = e.pathAt('P0', 'possible', 0n);
    expect(path.nodes).toEqual(['W', 'F', ...Array.from({ length: 300 }, (_, i) => `C${299 - i}`), 'P0']);
    expect(e.subgraph('P0').nodes).toHaveLength(303);
  });

  it('a screen through a 10^4-company ring completes: every product TOO_COMPLEX with its exact exposure, the ring walked once', () => {
    const g = ring(10_000, 50);
    const e = new TraceEngine(g, { asOf: null });
    const rows = screenGraph(g, e);
    expect(rows.map((r) => [r.countStatus, r.exposure])).toEqual(Array(50).fill(['TOO_COMPLEX', 'POSSIBLE']));
    // each product enters the ring at another company: each entry is walked to the depth limit once, no more
    const once = e.work.steps;
    expect(once).toBeLessThan(50 * (MAX_WALK_DEPTH + 10));
    screenGraph(g, e);
    expect(e.work.steps).toBe(once); // refused at every entry at once the second time
  });

  it('the first pages of paths of a product refused a count are listed by walking, and resumed after a path', () => {
    // the ring of 10^4, with a plant with DPRK labor at every 100th company: P0's n-th possible path goes 100·n hops in
    const g = ring(10_000);
    for (let i = 99; i < 10_000; i += 100) {
      g.addNode({ id: `F${i}`, kind: 'Factory', country: 'CN', dprkLinked: false });
      g.addRow({ key: relationshipKey('OPERATES', `C${i}`, `F${i}`, null, null), type: 'OPERATES', source: `C${i}`, target: `F${i}`, from: null, to: null, rebuttals: [] });
      g.addRow({ key: relationshipKey('EMPLOYED_AT', 'W', `F${i}`, null, null), type: 'EMPLOYED_AT', source: 'W', target: `F${i}`, from: null, to: null, rebuttals: [] });
    }
    const e = new TraceEngine(g, { asOf: null });
    expect(countOrReach(g, e, 'P0').countStatus).toBe('TOO_COMPLEX');
    const firstFive = () => {
      const out = [];
      for (const p of e.listPaths('P0', 'possible')) {
        out.push(p.nodes);
        if (out.length === 5) break; // closes the walk: its hops leave the depth count
      }
      return out;
    };
    const five = firstFive();
    expect(five.map((nodes) => [nodes.length, nodes[1], nodes.at(-2)])).toEqual([100, 200, 300, 400, 500].map((n) => [n + 3, `F${n - 1}`, 'C0']));
    expect(firstFive()).toEqual(five); // the same again: the first listing left nothing on the budget's depth count
    const resumed = e.listPaths('P0', 'possible', five[2]);
    expect(resumed.next().value!.nodes).toEqual(five[3]);
    resumed.return(undefined);
    // the tenth path is 1,000 hops in; the eleventh would be deeper than a walk may go
    const all = e.listPaths('P0', 'possible');
    for (let i = 0; i < 10; i++) all.next();
    expect(() => all.next()).toThrow(/walk of more than 1000 hops/);
  });

  it('their exposures walk the ring once between them (ReachMemo), not once per product', () => {
    const g = ring(10_000, 50);
    const memo = new ReachMemo(g);
    expect(reachableExposure(g, 'P0', null, memo)).toBe('POSSIBLE');
    const first = memo.walked;
    expect(first).toBeGreaterThanOrEqual(10_000); // P0's walk went round the ring to C9999's plant
    for (let p = 1; p < 50; p++) expect(reachableExposure(g, `P${p}`, null, memo)).toBe('POSSIBLE');
    // each later product's walk stops at its first step into the ring: a state already known to reach the source
    expect(memo.walked).toBeLessThanOrEqual(first + 49);
    const alone = new ReachMemo(g);
    reachableExposure(g, 'P1', null, alone);
    expect(alone.walked).toBeGreaterThanOrEqual(10_000); // what P1 costs without the memo
  });
});

describe('a cycle in the bill of materials is an error naming it, never a hang', () => {
  const items: [string, NodeKind][] = [['P', 'Product'], ['A', 'Component'], ['B', 'Component'], ['C', 'Component']];
  const labor: [RelType, string, string][] = [['EMPLOYED_AT', 'W', 'F'], ['PRODUCED', 'F', 'C']];
  const withWorker = (extra: [RelType, string, string][]) =>
    graph([['W', 'Worker', 'KP'], ['F', 'Factory'], ...items], [...labor, ...extra]);

  it('A -> B -> C -> A below a product', () => {
    // COMPONENT_OF is stored child -> parent; the cycle is named parent -> child
    const g = withWorker([['COMPONENT_OF', 'A', 'P'], ['COMPONENT_OF', 'B', 'A'], ['COMPONENT_OF', 'C', 'B'], ['COMPONENT_OF', 'A', 'C']]);
    const e = new TraceEngine(g, { asOf: null });
    expect(() => e.counts('P')).toThrow(BomCycleError);
    expect(() => e.counts('P')).toThrow('bill of materials has a cycle: A -> B -> C -> A');
    expect(() => e.pathAt('P', 'direct', 0n)).toThrow(BomCycleError);
    expect(() => e.subgraph('P')).toThrow(BomCycleError);
    expect(() => screenGraph(g, e)).toThrow(BomCycleError);
  });

  it('an item that is its own component', () => {
    const g = withWorker([['COMPONENT_OF', 'C', 'P'], ['COMPONENT_OF', 'C', 'C']]);
    expect(() => new TraceEngine(g, { asOf: null }).counts('P')).toThrow('bill of materials has a cycle: C -> C');
  });

  it('a diamond (shared components) is no cycle', () => {
    const g = withWorker([['COMPONENT_OF', 'A', 'P'], ['COMPONENT_OF', 'B', 'P'], ['COMPONENT_OF', 'C', 'A'], ['COMPONENT_OF', 'C', 'B']]);
    expect(new TraceEngine(g, { asOf: null }).counts('P').direct.all).toBe(2n);
  });
});

describe('numeric settings are checked at start-up, naming the variable', () => {
  it.each([
    ['LABORTRACE_TRACE_MAX_STEPS', 'lots'],
    ['LABORTRACE_TRACE_MAX_STEPS', '0'],
    ['LABORTRACE_TRACE_MAX_STEPS', '1e6'],
    ['LABORTRACE_SNAPSHOT_MAX_ROWS', '-5'],
    ['LABORTRACE_BOLT_PORT', '70000'],
    ['LABORTRACE_BOLT_PORT', '76a'],
    ['PORT', '4000.5'],
    ['LABORTRACE_NEO4J_HEAP', '4gb'],
    ['LABORTRACE_NEO4J_PAGECACHE', '1.5g'],
  ])('%s=%s', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: value })).toThrow(new RegExp(`^${name}: `));
  });

  it('valid values and defaults', () => {
    const c = loadConfig({ LABORTRACE_TRACE_MAX_STEPS: '5_000', LABORTRACE_BOLT_PORT: '7688', LABORTRACE_NEO4J_HEAP: '12G' });
    expect(c.traceMaxSteps).toBe(5000);
    expect(c.boltPort).toBe(7688);
    expect(c.heap).toBe('12g');
    expect(loadConfig({}).traceMaxSteps).toBe(5_000_000);
    expect(loadConfig({}).snapshotMaxRows).toBe(10_000_000);
    expect(intSetting({ X: ' 12 ' }, 'X', 1, 1, 100)).toBe(12);
    expect(intSetting({}, 'X', undefined, 1, 100)).toBeUndefined();
    expect(sizeSetting({ X: '' }, 'X', '2g')).toBe('2g');
  });
});

describe('a trace too complex to count keeps its exact exposure', () => {
  it('a screen with a per-item budget: the item too complex to count does not affect the others', () => {
    const g = catalogue();
    const request = new WorkBudget(100 * perProductOf(g), perProductOf(g) - 1); // no product fits its item budget
    expect(screenGraph(g, new TraceEngine(g, { asOf: null, budget: request })).map((r) => r.countStatus)).toEqual(Array(PRODUCTS).fill('TOO_COMPLEX'));
    const roomy = new WorkBudget(100 * perProductOf(g), perProductOf(g)); // each fits its own; any order
    expect(screenGraph(g, new TraceEngine(g, { asOf: null, budget: roomy })).map((r) => r.countStatus)).toEqual(Array(PRODUCTS).fill('EXACT'));
  });

  it('counts null and TOO_COMPLEX, exposure by reachability, a simple item beside it unaffected', () => {
    const g = catalogue();
    const tight = new TraceEngine(g, { asOf: null, maxSteps: 10 });
    expect(countOrReach(g, tight, 'P0')).toEqual({ counts: null, countStatus: 'TOO_COMPLEX', exposure: 'POSSIBLE' });
    const roomy = new TraceEngine(g, { asOf: null });
    const exact = countOrReach(g, roomy, 'P0');
    expect(exact.countStatus).toBe('EXACT');
    expect(exact.exposure).toBe('POSSIBLE');
    expect(exact.counts!.possible.all).toBeGreaterThan(0n);
  });
});
