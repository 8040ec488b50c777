import { TraceResolver } from '../../src/graphql/resolvers/trace.resolver';
import { GraphRelationship } from '../../src/graphql/types/graph.type';
import { Trace } from '../../src/graphql/types/trace.type';
import { TaintGraph } from '../../src/trace/engine/taint-graph';
import { TraceEngine } from '../../src/trace/engine/trace.engine';
import { TraceResult } from '../../src/trace/trace.service';

/** A KP cohort at a plant making P1 and P2; its employment row has an accepted rebuttal scoped to P1. */
function graph(): TaintGraph {
  const g = new TaintGraph();
  g.addNode({ id: 'W', kind: 'Worker', nationality: 'KP' });
  g.addNode({ id: 'F', kind: 'Factory', name: 'F', country: 'CN' });
  g.addNode({ id: 'P1', kind: 'Product', name: 'P1' });
  g.addNode({ id: 'P2', kind: 'Product', name: 'P2' });
  g.addRow({ id: 'emp', key: 'EMPLOYED_AT:W->F@..', type: 'EMPLOYED_AT', source: 'W', target: 'F', rebuttals: [{ id: 'R1', itemIds: ['P1'] }] });
  g.addRow({ id: 'prod1', key: 'PRODUCED:F->P1@..', type: 'PRODUCED', source: 'F', target: 'P1' });
  g.addRow({ id: 'prod2', key: 'PRODUCED:F->P2@..', type: 'PRODUCED', source: 'F', target: 'P2' });
  return g;
}

function pathOf(g: TaintGraph, item: string) {
  const trace = new Trace(new TraceResult(item, g, new TraceEngine(g, { asOf: null })));
  const [edge] = new TraceResolver().paths(trace, 10, undefined, false).edges;
  return { rebutted: edge.node.rebutted, relationships: Object.fromEntries(edge.node.relationships.map((r) => [r.id, r.rebutted])) };
}

describe("a path's relationships", () => {
  it('are rebutted as on the path: for the traced item, counting the rebuttals scoped to it', () => {
    const g = graph();
    expect(pathOf(g, 'P1')).toEqual({ rebutted: true, relationships: { emp: true, prod1: false } });
    expect(pathOf(g, 'P2')).toEqual({ rebutted: false, relationships: { emp: false, prod2: false } });
  });

  it('without an item, a relationship is rebutted only by a rebuttal for every path', () => {
    const g = graph();
    expect(new GraphRelationship(g.row('emp')!).rebutted).toBe(false);
    expect(new GraphRelationship(g.row('emp')!, 'P1').rebutted).toBe(true);
    g.setRebuttals('emp', [{ id: 'R2', itemIds: null }]);
    expect(new GraphRelationship(g.row('emp')!).rebutted).toBe(true);
  });
});
