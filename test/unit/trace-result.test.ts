import { TaintGraph } from '../../src/trace/engine/taint-graph';
import { patchTaintGraph } from '../../src/trace/engine/taint-graph.patch';
import { TraceEngine } from '../../src/trace/engine/trace.engine';
import { GraphChangedError, TraceResult } from '../../src/trace/trace.service';

/** A KP cohort at a factory that makes P: one direct path. */
function graph(): TaintGraph {
  const g = new TaintGraph();
  g.addNode({ id: 'W', kind: 'Worker', nationality: 'KP' });
  g.addNode({ id: 'F', kind: 'Factory', name: 'F', country: 'CN' });
  g.addNode({ id: 'P', kind: 'Product', name: 'P' });
  g.addRow({ id: 'emp', key: 'EMPLOYED_AT:W->F@..', type: 'EMPLOYED_AT', source: 'W', target: 'F' });
  g.addRow({ id: 'prod', key: 'PRODUCED:F->P@..', type: 'PRODUCED', source: 'F', target: 'P' });
  return g;
}

describe('a trace result and the snapshot it was counted on', () => {
  it('answers paths and subgraph from the graph it counted', () => {
    const g = graph();
    const result = new TraceResult('P', g, new TraceEngine(g, { asOf: null }));
    expect(result.total('direct')).toBe(1n);
    expect(result.path('direct', 0n).nodes).toEqual(['W', 'F', 'P']);
  });

  it('refuses to mix versions: once a change set patched the snapshot, paths of the older count are refused', () => {
    const g = graph();
    const result = new TraceResult('P', g, new TraceEngine(g, { asOf: null }));
    expect(result.total('direct')).toBe(1n);
    patchTaintGraph(g, [{ op: 'removeRow', id: 'emp' }]);
    expect(() => result.path('direct', 0n)).toThrow(GraphChangedError);
    expect(() => result.subgraph()).toThrow(GraphChangedError);
    // a new result on the patched graph is consistent again
    expect(new TraceResult('P', g, new TraceEngine(g, { asOf: null })).exposure).toBe('NONE');
  });
});
