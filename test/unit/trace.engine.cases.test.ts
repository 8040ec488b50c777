import { dayOf } from '../../src/trace/interval';
import { TaintGraph } from '../../src/trace/taint-graph';
import { TraceEngine, TraceTooComplexError } from '../../src/trace/trace.engine';
import { relationshipKey, type NodeKind, type RelType } from '../../src/model/graph-model';

function graph(nodes: [string, NodeKind, string?][], rows: [RelType, string, string, (string | null)?, (string | null)?, boolean?][]): TaintGraph {
  const g = new TaintGraph();
  for (const [id, kind, extra] of nodes) g.addNode({ id, kind, nationality: extra, country: extra, dprkLinked: extra === 'linked' });
  for (const [type, source, target, from, to, rebutted] of rows) {
    g.addRow({ key: relationshipKey(type, source, target, from, to), type, source, target, from, to, rebuttals: rebutted ? ['E'] : [] });
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

  it('refuses, rather than hangs or guesses, when a supply cycle makes exact counting exponential', () => {
    const companies = Array.from({ length: 12 }, (_, i) => `K${i}`);
    const g = graph(
      [['W', 'Worker', 'KP'], ['F', 'Factory'], ['P', 'Product'], ...companies.map((c) => [c, 'Company'] as [string, NodeKind])],
      [['EMPLOYED_AT', 'W', 'F'], ['OPERATES', 'K0', 'F'], ['SOURCED_FROM', 'K11', 'P'],
        ...companies.flatMap((a) => companies.filter((b) => b !== a).map((b) => ['SUPPLIES', a, b] as [RelType, string, string]))],
    );
    expect(() => new TraceEngine(g, { asOf: null, maxSteps: 100_000 }).counts('P')).toThrow(TraceTooComplexError);
    // a small cycle is counted exactly: simple paths K0 -> ... -> K3 in a complete digraph of 4 = 1 + 2 + 2
    const small = graph(
      [['W', 'Worker', 'KP'], ['F', 'Factory'], ['P', 'Product'], ...companies.slice(0, 4).map((c) => [c, 'Company'] as [string, NodeKind])],
      [['EMPLOYED_AT', 'W', 'F'], ['OPERATES', 'K0', 'F'], ['SOURCED_FROM', 'K3', 'P'],
        ...companies.slice(0, 4).flatMap((a) => companies.slice(0, 4).filter((b) => b !== a).map((b) => ['SUPPLIES', a, b] as [RelType, string, string]))],
    );
    expect(engine(small).counts('P').possible.all).toBe(5n);
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
