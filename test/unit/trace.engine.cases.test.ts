import { dayOf } from '../../src/trace/engine/interval';
import { TaintGraph } from '../../src/trace/engine/taint-graph';
import { exposureOf } from '../../src/trace/engine/counts';
import { reachableExposure } from '../../src/trace/engine/exposure';
import { TraceEngine } from '../../src/trace/engine/trace.engine';
import { TraceTooComplexError, WorkBudget } from '../../src/trace/engine/work-budget';
import { impactExclusion, impactRows, screenGraph } from '../../src/trace/trace.service';
import { relationshipId, relationshipKey, type NodeKind, type RelType } from '../../src/model/graph-model';
import { resolveFrom, resolveTo } from '../helpers/random-dataset';

function graph(nodes: [string, NodeKind, string?][], rows: [RelType, string, string, (string | null)?, (string | null)?, boolean?][]): TaintGraph {
  const g = new TaintGraph();
  for (const [id, kind, extra] of nodes) g.addNode({ id, kind, nationality: extra, country: extra, dprkLinked: extra === 'linked' });
  for (const [type, source, target, from, to, rebutted] of rows) {
    g.addRow({ key: relationshipKey(type, source, target, from, to), type, source, target, from, to, rebuttals: rebutted ? [{ id: 'E', itemIds: null }] : [] });
  }
  return g;
}

const engine = (g: TaintGraph, asOf?: string) => new TraceEngine(g, { asOf: asOf ? dayOf(asOf) : null });

describe('trace engine: cases from TRACE-SEMANTICS.md', () => {
  const inventory = graph(
    [['W', 'Worker', 'KP'], ['F', 'Factory'], ['C', 'Component'], ['P', 'Product'], ['G', 'Factory']],
    [['EMPLOYED_AT', 'W', 'F', '2012-01-01', '2012-12-31'], ['PRODUCED', 'F', 'C', '2010-01-01', null],
      ['COMPONENT_OF', 'C', 'P'], ['PRODUCED', 'G', 'P', '2019-01-01', null]],
  );

  it('inventory taint: labor in 2012 reaches a product shipped in 2019', () => {
    expect(engine(inventory, '2019-06-01').counts('P').direct.all).toBe(1n);
  });

  it('labor that began after asOf cannot have touched the goods', () => {
    expect(engine(inventory, '2011-12-31').counts('P').direct.all).toBe(0n);
  });

  it('subcontractor labor, agency routes, and a KP worker placed by any agency', () => {
    const g = graph(
      [['W', 'Worker', 'KP'], ['V', 'Worker', 'CN'], ['A', 'LaborAgency', 'linked'], ['B', 'LaborAgency', 'RU'],
        ['S', 'Factory'], ['F', 'Factory'], ['P', 'Product']],
      [['RECRUITED_BY', 'W', 'A'], ['RECRUITED_BY', 'V', 'A'], ['RECRUITED_BY', 'W', 'B'],
        ['SUPPLIES_LABOR_TO', 'A', 'S'], ['SUPPLIES_LABOR_TO', 'B', 'S'],
        ['SUBCONTRACTOR_OF', 'S', 'F'], ['PRODUCED', 'F', 'P']],
    );
    const e = engine(g);
    // A→S→F→P, W→A→S→F→P, W→B→S→F→P; V is no source and B is not DPRK-linked
    expect(e.counts('P').direct.all).toBe(3n);
    const paths = [0n, 1n, 2n].map((i) => e.pathAt('P', 'direct', i).nodes.join('>'));
    expect(paths.sort()).toEqual(['A>S>F>P', 'W>A>S>F>P', 'W>B>S>F>P']);
  });

  it('possible paths go through company sourcing; exposure prefers direct', () => {
    const g = graph(
      [['W', 'Worker', 'KP'], ['F', 'Factory'], ['O', 'Company'], ['T', 'Company'], ['P', 'Product']],
      [['EMPLOYED_AT', 'W', 'F'], ['OPERATES', 'O', 'F'], ['SUPPLIES', 'O', 'T'], ['SOURCED_FROM', 'T', 'P'], ['SOURCED_FROM', 'O', 'P']],
    );
    const c = engine(g).counts('P');
    expect(c.direct.all).toBe(0n);
    expect(c.possible.all).toBe(2n);
  });

  it('parallel rows: the sequence counts once when any choice fits; rebutted only if every fitting choice is rebutted', () => {
    const g = graph(
      [['W', 'Worker', 'KP'], ['F', 'Factory'], ['P', 'Product']],
      [['EMPLOYED_AT', 'W', 'F', '2010-01-01', '2010-12-31', true], ['EMPLOYED_AT', 'W', 'F', '2015-01-01', null, false],
        ['PRODUCED', 'F', 'P', '2009-01-01', '2011-01-01']],
    );
    const c = engine(g).counts('P');
    expect(c.direct).toEqual({ all: 1n, open: 0n });
    expect(engine(g).pathAt('P', 'direct', 0n).hops[0].rows.map((r) => r.from)).toEqual(['2010-01-01']);
  });

  /** W works at F, operated by K0; P is sourced from the last of `n` companies that all supply one another. */
  function clique(n: number): TaintGraph {
    const ks = Array.from({ length: n }, (_, i) => `K${i}`);
    return graph(
      [['W', 'Worker', 'KP'], ['F', 'Factory'], ['P', 'Product'], ...ks.map((c) => [c, 'Company'] as [string, NodeKind])],
      [['EMPLOYED_AT', 'W', 'F'], ['OPERATES', 'K0', 'F'], ['SOURCED_FROM', ks[n - 1], 'P'],
        ...ks.flatMap((a) => ks.filter((b) => b !== a).map((b) => ['SUPPLIES', a, b] as [RelType, string, string]))],
    );
  }
  /** Simple paths from K0 to the last of n companies in a complete digraph: the n-2 others, any j of them in any order. */
  const cliquePaths = (n: number) => {
    let total = 0n;
    let orderings = 1n;
    for (let j = 0; j <= n - 2; j++) {
      total += orderings;
      orderings *= BigInt(n - 2 - j);
    }
    return total;
  };

  it('counts a dense supply cycle of a dozen companies exactly, through the subset memo, not by enumerating its paths', () => {
    expect(engine(clique(4)).counts('P').possible.all).toBe(5n); // 1 + 2 + 2
    const e = new TraceEngine(clique(12), { asOf: null, maxSteps: 1_000_000 });
    expect(e.counts('P').possible.all).toBe(cliquePaths(12)); // 9,864,101 paths
    expect(cliquePaths(12)).toBe(9_864_101n);
    // walk states (company, members visited) and their reads of one another, not the 9.9·10^6 paths
    const states = 12 * 2 ** 11;
    expect(e.work.steps).toBeLessThan(12 * states);
    // numbering and marking go by the same states
    expect(e.pathAt('P', 'possible', cliquePaths(12) - 1n).nodes).toHaveLength(12 + 3);
    const before = e.work.steps;
    expect(e.subgraph('P').nodes).toHaveLength(12 + 3);
    expect(e.work.steps - before).toBeLessThan(4 * 12 * states);
  });

  it('refuses at once, rather than hangs or guesses, a supply cycle too large and dense to count exactly', () => {
    const e = new TraceEngine(clique(40), { asOf: null, maxSteps: 1_000_000 });
    expect(() => e.counts('P')).toThrow(/strongly connected part .* with 40 nodes/);
    expect(e.work.steps).toBeLessThan(5); // at the component's entry, before walking into it
    expect(reachableExposure(clique(40), 'P', null)).toBe('POSSIBLE');
  });

  it('the refusal at entry depends on the graph and the budget, not on what was counted before', () => {
    // a second product Q sourced from K39 of the same 40-company clique, and a product R beside it with its own labor
    const g = clique(40);
    g.addNode({ id: 'Q', kind: 'Product' });
    g.addNode({ id: 'R', kind: 'Product' });
    g.addNode({ id: 'F2', kind: 'Factory', country: 'KP' });
    for (const [type, source, target] of [['SOURCED_FROM', 'K39', 'Q'], ['PRODUCED', 'F2', 'R']] as [RelType, string, string][]) {
      g.addRow({ key: relationshipKey(type, source, target, null, null), type, source, target, from: null, to: null, rebuttals: [] });
    }
    const alone = (item: string) => {
      try {
        return new TraceEngine(g, { asOf: null, maxSteps: 1_000_000 }).counts(item).direct.all;
      } catch (e) {
        return e instanceof TraceTooComplexError ? 'TOO_COMPLEX' : e;
      }
    };
    const budget = new WorkBudget(10_000_000, 1_000_000);
    const screened = new Map(screenGraph(g, new TraceEngine(g, { asOf: null, budget })).map((r) => [r.itemId, r]));
    for (const item of ['P', 'Q', 'R']) {
      const trace = alone(item);
      expect(screened.get(item)!.countStatus).toBe(trace === 'TOO_COMPLEX' ? 'TOO_COMPLEX' : 'EXACT');
    }
    expect(alone('R')).toBe(1n);
    expect(screened.get('Q')!.exposure).toBe('POSSIBLE');
    expect(budget.steps).toBeLessThan(20); // no product's refusal spent a walk
  });

  it('a 64-level diamond bill of materials has exactly 2^64 paths, and deep pages are reachable', () => {
    const nodes: [string, NodeKind, string?][] = [['W', 'Worker', 'KP'], ['F', 'Factory'], ['L0', 'Component']];
    const rows: [RelType, string, string][] = [['EMPLOYED_AT', 'W', 'F'], ['PRODUCED', 'F', 'L0']];
    for (let i = 1; i <= 64; i++) {
      nodes.push([`A${i}`, 'Component'], [`B${i}`, 'Component'], [`L${i}`, i === 64 ? 'Product' : 'Component']);
      rows.push(['COMPONENT_OF', `L${i - 1}`, `A${i}`], ['COMPONENT_OF', `L${i - 1}`, `B${i}`], ['COMPONENT_OF', `A${i}`, `L${i}`], ['COMPONENT_OF', `B${i}`, `L${i}`]);
    }
    const e = engine(graph(nodes, rows));
    expect(e.counts('L64').direct.all).toBe(18446744073709551616n);
    const last = e.pathAt('L64', 'direct', 18446744073709551615n);
    expect(last.nodes).toHaveLength(3 + 128);
    const first = e.pathAt('L64', 'direct', 0n).nodes.join('>');
    const middle = e.pathAt('L64', 'direct', 1n << 63n).nodes.join('>');
    expect(new Set([first, middle, last.nodes.join('>')]).size).toBe(3);
    expect(() => e.pathAt('L64', 'direct', 18446744073709551616n)).toThrow(RangeError);
  });
});

/**
 * A graph as an investigator would write it down. Nodes: id -> [kind, nationality/country, 'linked']; rows in the
 * CSV's terms, dates as an analyst writes them (partial dates resolved as DATA-FORMAT.md says).
 */
interface CaseRow { type: RelType; s: string; t: string; from?: string; to?: string; rebutted?: boolean; placement?: string }
function net(nodes: Record<string, [NodeKind, string?, 'linked'?]>, rows: CaseRow[]): TaintGraph {
  const g = new TaintGraph();
  for (const [id, [kind, code, linked]] of Object.entries(nodes)) {
    g.addNode({ id, kind, name: id, nationality: code, country: code, dprkLinked: linked === 'linked' });
  }
  for (const r of rows) {
    const from = resolveFrom(r.from ?? null);
    const to = resolveTo(r.to ?? null);
    g.addRow({
      key: relationshipKey(r.type, r.s, r.t, from, to, r.placement), type: r.type, source: r.s, target: r.t, from, to,
      rebuttals: r.rebutted ? [{ id: 'AUDIT', itemIds: null }] : [], placement: r.placement ?? null,
    });
  }
  return g;
}

const allPaths = (e: TraceEngine, item: string, kind: 'direct' | 'possible') => {
  const n = e.counts(item)[kind].all;
  const out: string[] = [];
  for (let i = 0n; i < n; i++) out.push(e.pathAt(item, kind, i).nodes.join('>'));
  return out.sort();
};

describe('trace engine: what an investigator expects (revised contract)', () => {
  it('(a) a parka sewn in a factory in the DPRK, with no workers recorded, is DIRECT', () => {
    const g = net({ PY: ['Factory', 'KP'], PARKA: ['Product'] }, [{ type: 'PRODUCED', s: 'PY', t: 'PARKA', from: '2021', to: '2022' }]);
    const e = engine(g);
    expect(exposureOf(e.counts('PARKA'))).toBe('DIRECT');
    expect(e.counts('PARKA').direct).toEqual({ all: 1n, open: 1n });
    expect(allPaths(e, 'PARKA', 'direct')).toEqual(['PY>PARKA']);
    expect(e.laborFacts('PARKA')).toEqual({ sources: ['PY'], sites: ['PY'] });
    // a parka made there in 2021-2022 cannot be in goods made before 2021
    expect(exposureOf(engine(g, '2020-12-31').counts('PARKA'))).toBe('NONE');
    expect(exposureOf(engine(g, '2021-01-01').counts('PARKA'))).toBe('DIRECT');
  });

  it('(b) a DPRK state corporation dispatching through a local intermediary: the path starts at the corporation', () => {
    const g = net(
      { KOREA: ['LaborAgency', 'KP'], LOCAL: ['LaborAgency', 'CN'], PLANT: ['Factory', 'CN'], SEAFOOD: ['Product'], HIRE: ['Worker', 'CN'] },
      [{ type: 'DISPATCHES_TO', s: 'KOREA', t: 'LOCAL', from: '2019-03' }, { type: 'SUPPLIES_LABOR_TO', s: 'LOCAL', t: 'PLANT', from: '2019' },
        { type: 'PRODUCED', s: 'PLANT', t: 'SEAFOOD' },
        // a local hire of the intermediary is no source, and the intermediary itself is not DPRK-linked
        { type: 'RECRUITED_BY', s: 'HIRE', t: 'LOCAL' }],
    );
    const e = engine(g);
    expect(exposureOf(e.counts('SEAFOOD'))).toBe('DIRECT');
    expect(allPaths(e, 'SEAFOOD', 'direct')).toEqual(['KOREA>LOCAL>PLANT>SEAFOOD']);
    expect(e.laborFacts('SEAFOOD')).toEqual({ sources: ['KOREA'], sites: ['PLANT'] });
    const path = e.pathAt('SEAFOOD', 'direct', 0n);
    expect(path.hops.map((h) => h.rows.map((r) => r.type))).toEqual([['DISPATCHES_TO'], ['SUPPLIES_LABOR_TO'], ['PRODUCED']]);
    // dispatch began in March 2019: goods made in February 2019 are clear
    expect(exposureOf(engine(g, '2019-02-28').counts('SEAFOOD'))).toBe('NONE');
    expect(exposureOf(engine(g, '2019-03-01').counts('SEAFOOD'))).toBe('DIRECT');
  });

  it('(c) a cohort placed by a broker at one of its five plants taints only that plant\'s products', () => {
    const plants = ['P1', 'P2', 'P3', 'P4', 'P5'];
    const nodes: Record<string, [NodeKind, string?]> = { COHORT: ['Worker', 'KP'], BROKER: ['LaborAgency', 'CN'] };
    const rows: CaseRow[] = [{ type: 'RECRUITED_BY', s: 'COHORT', t: 'BROKER', from: '2020-01-01', placement: 'P3' }];
    for (const p of plants) {
      nodes[p] = ['Factory', 'CN'];
      nodes[`X${p}`] = ['Product'];
      rows.push({ type: 'SUPPLIES_LABOR_TO', s: 'BROKER', t: p }, { type: 'PRODUCED', s: p, t: `X${p}` });
    }
    const e = engine(net(nodes, rows));
    expect(allPaths(e, 'XP3', 'direct')).toEqual(['COHORT>BROKER>P3>XP3']);
    expect(e.laborFacts('XP3')).toEqual({ sources: ['COHORT'], sites: ['P3'] });
    for (const p of ['P1', 'P2', 'P4', 'P5']) {
      expect({ p, exposure: exposureOf(e.counts(`X${p}`)) }).toEqual({ p, exposure: 'NONE' });
      expect(e.laborFacts(`X${p}`)).toEqual({ sources: [], sites: [] });
    }
    // the same recruitment without a placement reaches every plant the broker supplies
    const unplaced = engine(net(nodes, [{ ...rows[0], placement: undefined }, ...rows.slice(1)]));
    for (const p of plants) expect(unplaced.counts(`X${p}`).direct.all).toBe(1n);
    // parallel recruitment rows are separate choices: a second stint placed at P5 reaches P5 in its own interval only
    const twice = net(nodes, [...rows, { type: 'RECRUITED_BY', s: 'COHORT', t: 'BROKER', from: '2023-01-01', to: '2023-12-31', placement: 'P5' }]);
    expect(engine(twice).counts('XP5').direct.all).toBe(1n);
    expect(engine(twice, '2022-12-31').counts('XP5').direct.all).toBe(0n);
    expect(engine(twice, '2022-12-31').counts('XP3').direct.all).toBe(1n);
    expect(engine(twice).counts('XP1').direct.all).toBe(0n);
  });

  it('(d) a supplier link that ended 2024-01-25 carries taint only to goods sourced while it lasted', () => {
    const g = net(
      { W: ['Worker', 'KP'], MILL: ['Factory', 'CN'], MILLCO: ['Company', 'CN'], BRAND: ['Company', 'US'],
        OLD: ['Product'], NEW: ['Product'] },
      [{ type: 'EMPLOYED_AT', s: 'W', t: 'MILL', from: '2022-01-01' }, { type: 'OPERATES', s: 'MILLCO', t: 'MILL' },
        { type: 'SUPPLIES', s: 'MILLCO', t: 'BRAND', from: '2022-06-01', to: '2024-01-25' },
        // OLD sourced since mid-2023; NEW only from February 2024, after the supply link ended
        { type: 'SOURCED_FROM', s: 'BRAND', t: 'OLD', from: '2023-06-01' },
        { type: 'SOURCED_FROM', s: 'BRAND', t: 'NEW', from: '2024-02-01' }],
    );
    expect(exposureOf(engine(g, '2023-12-01').counts('OLD'))).toBe('POSSIBLE');
    expect(allPaths(engine(g, '2023-12-01'), 'OLD', 'possible')).toEqual(['W>MILL>MILLCO>BRAND>OLD']);
    // inventory: goods exported long after the link ended may still hold what came through it
    expect(exposureOf(engine(g, '2025-06-01').counts('OLD'))).toBe('POSSIBLE');
    // but not goods made before any of it started (the common interval starts 2023-06-01)
    expect(exposureOf(engine(g, '2023-05-31').counts('OLD'))).toBe('NONE');
    // the link [.., 2024-01-25] and the sourcing [2024-02-01, ..] never overlap: no asOf makes NEW exposed
    for (const asOf of [undefined, '2023-12-01', '2024-01-25', '2024-03-01', '2030-01-01']) {
      expect({ asOf, exposure: exposureOf(engine(g, asOf).counts('NEW')) }).toEqual({ asOf, exposure: 'NONE' });
    }
    // sourcing that starts on the link's last day still meets it
    const edge = net(
      { W: ['Worker', 'KP'], MILL: ['Factory', 'CN'], MILLCO: ['Company', 'CN'], BRAND: ['Company', 'US'], LAST: ['Product'] },
      [{ type: 'EMPLOYED_AT', s: 'W', t: 'MILL' }, { type: 'OPERATES', s: 'MILLCO', t: 'MILL' },
        { type: 'SUPPLIES', s: 'MILLCO', t: 'BRAND', to: '2024-01-25' }, { type: 'SOURCED_FROM', s: 'BRAND', t: 'LAST', from: '2024-01-25' }],
    );
    expect(engine(edge).counts('LAST').possible.all).toBe(1n);
    expect(engine(edge, '2024-01-24').counts('LAST').possible.all).toBe(0n);
  });

  it('(e) a report "seen in December 2023" meets production from 2023-12-31 but not from 2024-01-01', () => {
    const g = net(
      { W: ['Worker', 'KP'], BROKER: ['LaborAgency', 'RU', 'linked'], F: ['Factory', 'CN'], LATE: ['Product'], NEXT: ['Product'] },
      [{ type: 'EMPLOYED_AT', s: 'W', t: 'F', from: '2023-12', to: '2023-12' },
        { type: 'SUPPLIES_LABOR_TO', s: 'BROKER', t: 'F', from: '2023-12', to: '2023-12' },
        { type: 'PRODUCED', s: 'F', t: 'LATE', from: '2023-12-31', to: '2024-03-01' },
        { type: 'PRODUCED', s: 'F', t: 'NEXT', from: '2024-01-01' }],
    );
    const e = engine(g);
    expect(allPaths(e, 'LATE', 'direct')).toEqual(['BROKER>F>LATE', 'W>F>LATE']);
    expect(e.pathAt('LATE', 'direct', 0n).hops[0].rows.map((r) => [r.from, r.to])).toEqual([['2023-12-01', '2023-12-31']]);
    expect(exposureOf(e.counts('NEXT'))).toBe('NONE');
    // the common interval is the single day 2023-12-31
    expect(engine(g, '2023-12-30').counts('LATE').direct.all).toBe(0n);
    expect(engine(g, '2023-12-31').counts('LATE').direct.all).toBe(2n);
  });

  it('(f) five reports of one cohort at one factory, two routes to the product: two paths, one source, one site', () => {
    const rows: CaseRow[] = ['2019', '2020', '2021-03', '2022-07-01', '2023'].map((y) => ({ type: 'EMPLOYED_AT' as RelType, s: 'COHORT', t: 'F', from: y, to: y }));
    rows.push(
      { type: 'PRODUCED', s: 'F', t: 'SHIRT' }, // route 1: made at F
      { type: 'SUBCONTRACTOR_OF', s: 'F', t: 'G' }, { type: 'PRODUCED', s: 'G', t: 'SHIRT' }, // route 2: F works for G
    );
    const e = engine(net({ COHORT: ['Worker', 'KP'], F: ['Factory', 'VN'], G: ['Factory', 'VN'], SHIRT: ['Product'] }, rows));
    expect(e.counts('SHIRT').direct).toEqual({ all: 2n, open: 2n });
    expect(allPaths(e, 'SHIRT', 'direct')).toEqual(['COHORT>F>G>SHIRT', 'COHORT>F>SHIRT']);
    // the labor segment ends at F on both routes: G is where the work went, not where DPRK labor worked
    expect(e.laborFacts('SHIRT')).toEqual({ sources: ['COHORT'], sites: ['F'] });
    expect(e.pathAt('SHIRT', 'direct', 0n).hops[0].rows).toHaveLength(5);
  });

  it('(g) the impact of a company includes the products of its own plants', () => {
    const g = net(
      { W: ['Worker', 'KP'], OWN: ['Factory', 'CN'], OTHER: ['Factory', 'CN'], CO: ['Company', 'CN'], BUYER: ['Company', 'US'],
        MADE: ['Product'], ELSEWHERE: ['Product'], BOUGHT: ['Product'] },
      [{ type: 'EMPLOYED_AT', s: 'W', t: 'OWN' }, { type: 'EMPLOYED_AT', s: 'W', t: 'OTHER' }, { type: 'OPERATES', s: 'CO', t: 'OWN' },
        { type: 'PRODUCED', s: 'OWN', t: 'MADE' }, { type: 'PRODUCED', s: 'OTHER', t: 'ELSEWHERE' },
        { type: 'SUPPLIES', s: 'CO', t: 'BUYER' }, { type: 'SOURCED_FROM', s: 'BUYER', t: 'BOUGHT' }],
    );
    expect([...impactExclusion(g, 'CO')].sort()).toEqual(['CO', 'OWN']);
    expect([...impactExclusion(g, 'OTHER')]).toEqual(['OTHER']);
    const without = new TraceEngine(g, { asOf: null, excluded: impactExclusion(g, 'CO') });
    expect(impactRows(g, engine(g), without)).toEqual([
      { itemId: 'BOUGHT', direct: 0n, possible: 1n, openDirect: 0n, openPossible: 1n },
      { itemId: 'MADE', direct: 1n, possible: 0n, openDirect: 1n, openPossible: 0n },
    ]);
    const sub = engine(g).subgraphThrough(impactExclusion(g, 'CO'), without);
    expect(sub.nodes).toEqual(['BOUGHT', 'BUYER', 'CO', 'MADE', 'OWN', 'W']);
  });

  it('dispatch cycles are walked as simple paths, each source on the chain starting its own', () => {
    const g = net(
      { W: ['Worker', 'KP'], A1: ['LaborAgency', 'KP'], A2: ['LaborAgency', 'CN', 'linked'], F: ['Factory', 'CN'], X: ['Product'] },
      [{ type: 'RECRUITED_BY', s: 'W', t: 'A1' }, { type: 'DISPATCHES_TO', s: 'A1', t: 'A2' }, { type: 'DISPATCHES_TO', s: 'A2', t: 'A1' },
        { type: 'DISPATCHES_TO', s: 'A1', t: 'A1' }, // a self-loop adds nothing
        { type: 'SUPPLIES_LABOR_TO', s: 'A1', t: 'F' }, { type: 'SUPPLIES_LABOR_TO', s: 'A2', t: 'F' }, { type: 'PRODUCED', s: 'F', t: 'X' }],
    );
    const e = engine(g);
    expect(allPaths(e, 'X', 'direct')).toEqual([
      'A1>A2>F>X', 'A1>F>X', 'A2>A1>F>X', 'A2>F>X', 'W>A1>A2>F>X', 'W>A1>F>X',
    ]);
    expect(e.counts('X').direct).toEqual({ all: 6n, open: 6n });
    expect(e.laborFacts('X')).toEqual({ sources: ['A1', 'A2', 'W'], sites: ['F'] });
  });

  it('a non-source agency before a source on a dispatch chain is on no path', () => {
    const g = net(
      { V: ['Worker', 'CN'], LOCAL: ['LaborAgency', 'CN'], STATE: ['LaborAgency', 'KP'], F: ['Factory', 'CN'], X: ['Product'] },
      [{ type: 'RECRUITED_BY', s: 'V', t: 'LOCAL' }, { type: 'DISPATCHES_TO', s: 'LOCAL', t: 'STATE' },
        { type: 'SUPPLIES_LABOR_TO', s: 'STATE', t: 'F' }, { type: 'PRODUCED', s: 'F', t: 'X' }],
    );
    expect(allPaths(engine(g), 'X', 'direct')).toEqual(['STATE>F>X']);
  });

  it('a rebutted dispatch row marks the path rebutted, unless a parallel unrebutted row fits the time', () => {
    const g = net(
      { STATE: ['LaborAgency', 'KP'], LOCAL: ['LaborAgency', 'CN'], F: ['Factory', 'CN'], OLD: ['Product'], NEW: ['Product'] },
      [{ type: 'DISPATCHES_TO', s: 'STATE', t: 'LOCAL', from: '2020', to: '2020', rebutted: true },
        { type: 'DISPATCHES_TO', s: 'STATE', t: 'LOCAL', from: '2022' },
        { type: 'SUPPLIES_LABOR_TO', s: 'LOCAL', t: 'F' },
        { type: 'PRODUCED', s: 'F', t: 'OLD', from: '2019', to: '2020' }, { type: 'PRODUCED', s: 'F', t: 'NEW', from: '2019' }],
    );
    const e = engine(g);
    expect(e.counts('OLD').direct).toEqual({ all: 1n, open: 0n });
    const old = e.pathAt('OLD', 'direct', 0n);
    expect(old.rebutted).toBe(true);
    expect(old.hops[0].rows.map((r) => [r.from, r.rebutted])).toEqual([['2020-01-01', true]]);
    expect(e.counts('NEW').direct).toEqual({ all: 1n, open: 1n });
    expect(e.pathAt('NEW', 'direct', 0n).rebutted).toBe(false);
    expect(e.pathAt('NEW', 'direct', 0n).hops[0].rows).toHaveLength(2);
    // with the second row rebutted as well, NEW is rebutted too
    const both = net(
      { STATE: ['LaborAgency', 'KP'], LOCAL: ['LaborAgency', 'CN'], F: ['Factory', 'CN'], NEW: ['Product'] },
      [{ type: 'DISPATCHES_TO', s: 'STATE', t: 'LOCAL', from: '2020', to: '2020', rebutted: true },
        { type: 'DISPATCHES_TO', s: 'STATE', t: 'LOCAL', from: '2022', rebutted: true },
        { type: 'SUPPLIES_LABOR_TO', s: 'LOCAL', t: 'F' }, { type: 'PRODUCED', s: 'F', t: 'NEW', from: '2019' }],
    );
    expect(engine(both).counts('NEW').direct).toEqual({ all: 1n, open: 0n });
  });
});

describe('trace engine: rebuttals scoped to items (tracing.md, "Rebuttal")', () => {
  const rowId = (type: RelType, s: string, t: string) => relationshipId(relationshipKey(type, s, t, null, null));

  /** A KP cohort at a yard that built two vessels, one of them fitted with a hull section the yard also built. */
  function yard(): TaintGraph {
    const g = net(
      { W: ['Worker', 'KP'], YARD: ['Factory', 'CN'], V1: ['Product'], V2: ['Product'], HULL: ['Component'] },
      [{ type: 'EMPLOYED_AT', s: 'W', t: 'YARD' }, { type: 'PRODUCED', s: 'YARD', t: 'V1' }, { type: 'PRODUCED', s: 'YARD', t: 'V2' },
        { type: 'PRODUCED', s: 'YARD', t: 'HULL' }, { type: 'COMPONENT_OF', s: 'HULL', t: 'V2' }],
    );
    return g;
  }

  it("a yard's denial about one vessel rebuts its paths and says nothing about another", () => {
    const g = yard();
    expect(g.setRebuttals(rowId('EMPLOYED_AT', 'W', 'YARD'), [{ id: 'R-V1', itemIds: ['V1'] }])).toBe(true);
    const e = engine(g);
    expect(e.counts('V1').direct).toEqual({ all: 1n, open: 0n });
    expect(e.pathAt('V1', 'direct', 0n).rebutted).toBe(true);
    expect(e.counts('V2').direct).toEqual({ all: 2n, open: 2n });
    expect([0n, 1n].map((i) => e.pathAt('V2', 'direct', i).rebutted)).toEqual([false, false]);
    const row = g.row(rowId('EMPLOYED_AT', 'W', 'YARD'))!;
    expect([row.rebutted, [...row.rebuttedFor!], row.rebuttalIds]).toEqual([false, ['V1'], ['R-V1']]);
  });

  it('a rebuttal scoped to a component holds for paths ending at it, not for the same labor in the parent', () => {
    for (const childFirst of [false, true]) {
      const g = yard();
      g.setRebuttals(rowId('EMPLOYED_AT', 'W', 'YARD'), [{ id: 'R-HULL', itemIds: ['HULL'] }]);
      const e = engine(g);
      // counting V2 counts HULL's paths as its own building blocks: judged for V2, not for HULL
      const order = childFirst ? ['HULL', 'V2'] : ['V2', 'HULL'];
      const counts = Object.fromEntries(order.map((id) => [id, e.counts(id).direct]));
      expect(counts).toEqual({ V2: { all: 2n, open: 2n }, HULL: { all: 1n, open: 0n } });
      expect(e.pathAt('HULL', 'direct', 0n).rebutted).toBe(true);
      expect(e.pathAt('V2', 'direct', 1n)).toMatchObject({ nodes: ['W', 'YARD', 'HULL', 'V2'], rebutted: false });
    }
  });

  it('a rebuttal scoped to the parent holds on every path ending at it, through its components too', () => {
    const g = yard();
    g.setRebuttals(rowId('EMPLOYED_AT', 'W', 'YARD'), [{ id: 'R-V2', itemIds: ['V2'] }]);
    const e = engine(g);
    expect(e.counts('HULL').direct).toEqual({ all: 1n, open: 1n });
    expect(e.counts('V2').direct).toEqual({ all: 2n, open: 0n });
    expect(screenGraph(g, e).map((r) => [r.itemId, r.counts!.direct.open])).toEqual([['V1', 1n], ['V2', 0n]]);
  });

  it('an empty scope holds for no path; setRebuttals replaces the accepted rebuttals and the engine sees it', () => {
    const g = yard();
    const id = rowId('EMPLOYED_AT', 'W', 'YARD');
    g.setRebuttals(id, [{ id: 'R-NONE', itemIds: [] }]);
    const e = engine(g);
    expect(['V1', 'V2', 'HULL'].map((i) => e.counts(i).direct.open)).toEqual([1n, 2n, 1n]);
    g.setRebuttals(id, [{ id: 'R-ALL', itemIds: null }]);
    expect(['V1', 'V2', 'HULL'].map((i) => e.counts(i).direct.open)).toEqual([0n, 0n, 0n]);
    g.setRebuttals(id, [{ id: 'R-V1', itemIds: ['V1', 'HULL'] }]);
    expect(['V1', 'V2', 'HULL'].map((i) => e.counts(i).direct.open)).toEqual([0n, 2n, 0n]);
    g.setRebuttals(id, []);
    expect(['V1', 'V2', 'HULL'].map((i) => e.counts(i).direct.open)).toEqual([1n, 2n, 1n]);
    expect(g.setRebuttals('no-such-row', [{ id: 'R', itemIds: null }])).toBe(false);
  });

  it('impact counts open paths per item row with that item\'s scope', () => {
    const g = yard();
    g.setRebuttals(rowId('EMPLOYED_AT', 'W', 'YARD'), [{ id: 'R-V1', itemIds: ['V1', 'HULL'] }]);
    const without = new TraceEngine(g, { asOf: null, excluded: impactExclusion(g, 'W') });
    expect(impactRows(g, engine(g), without).map((r) => [r.itemId, r.direct, r.openDirect])).toEqual([
      ['HULL', 1n, 0n], ['V1', 1n, 0n], ['V2', 2n, 2n],
    ]);
  });
});
