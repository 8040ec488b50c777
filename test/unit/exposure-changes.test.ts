import { relationshipKey, type RelType } from '../../src/model/graph-model';
import { TaintGraph } from '../../src/trace/engine/taint-graph';
import { causesOf, exposureDifferences, NO_EXPOSURE, upstreamOf, type ExposureState } from '../../src/trace/exposure-changes';
import type { LogEntry } from '../../src/changes/recorded-graph';

function graph(rows: [RelType, string, string, string][]): TaintGraph {
  const g = new TaintGraph();
  g.addNode({ id: 'W', kind: 'Worker', nationality: 'KP' });
  g.addNode({ id: 'AG', kind: 'LaborAgency', country: 'CN' });
  for (const id of ['F', 'F2']) g.addNode({ id, kind: 'Factory', country: 'CN' });
  g.addNode({ id: 'CO', kind: 'Company', country: 'CN' });
  for (const id of ['P', 'P2']) g.addNode({ id, kind: 'Product' });
  for (const [type, source, target, id] of rows) g.addRow({ id, key: relationshipKey(type, source, target, null, null, null), type, source, target });
  return g;
}

const entry = (seq: number, entityId: string, kind: LogEntry['kind'], after: Record<string, unknown> | null): LogEntry & { seq: number } =>
  ({ seq, entityId, kind, after: after === null ? null : JSON.stringify(after) });

const state = (exposure: ExposureState['exposure'], direct: bigint | null, possible: bigint | null = 0n): ExposureState =>
  ({ exposure, pathCount: direct, possiblePathCount: possible, openPathCount: direct });

describe('re-screening', () => {
  it('lists the products whose exposure or counts differ, a missing row being NONE with no path', () => {
    const before = new Map([['A', state('DIRECT', 2n)], ['B', state('POSSIBLE', 0n, 1n)], ['C', state('DIRECT', 1n)]]);
    const after = new Map([['A', state('DIRECT', 3n)], ['B', state('POSSIBLE', 0n, 1n)], ['D', state('DIRECT', 1n)]]);
    expect(exposureDifferences(before, after)).toEqual([
      { itemId: 'A', before: state('DIRECT', 2n), after: state('DIRECT', 3n) },
      { itemId: 'C', before: state('DIRECT', 1n), after: NO_EXPOSURE },
      { itemId: 'D', before: NO_EXPOSURE, after: state('DIRECT', 1n) },
    ]);
    expect(exposureDifferences(before, before)).toEqual([]);
    // a count that could not be counted then and can now is a difference too
    expect(exposureDifferences(new Map([['A', state('DIRECT', null)]]), new Map([['A', state('DIRECT', 5n)]]))).toHaveLength(1);
  });

  it('finds what a product\'s paths can pass through, taint flowing from an operated factory to its company', () => {
    const g = graph([
      ['EMPLOYED_AT', 'W', 'F', 'r-emp'], ['PRODUCED', 'F', 'P', 'r-prod'], ['SUPPLIES_LABOR_TO', 'AG', 'F2', 'r-ls'],
      ['PRODUCED', 'F2', 'P2', 'r-prod2'], ['OPERATES', 'CO', 'F', 'r-op'], ['SOURCED_FROM', 'CO', 'P2', 'r-src'],
    ]);
    expect([...upstreamOf(g, 'P')].sort()).toEqual(['F', 'P', 'W', 'r-emp', 'r-prod']);
    expect([...upstreamOf(g, 'P2')].sort()).toEqual(['AG', 'CO', 'F', 'F2', 'P2', 'W', 'r-emp', 'r-ls', 'r-op', 'r-prod2', 'r-src']);
    expect(upstreamOf(g, 'nothing').size).toBe(0);
  });

  it('names as causes the change sets that touched the region then or now: rows, nodes, rebuttals, list decisions', () => {
    const then = graph([['PRODUCED', 'F', 'P', 'r-prod']]);
    const now = graph([['EMPLOYED_AT', 'W', 'F', 'r-emp'], ['PRODUCED', 'F', 'P', 'r-prod'], ['SUPPLIES_LABOR_TO', 'AG', 'F2', 'r-ls']]);
    const log = [
      entry(5, 'r-emp', 'EMPLOYED_AT', { source: 'W', target: 'F' }),
      entry(6, 'r-ls', 'SUPPLIES_LABOR_TO', { source: 'AG', target: 'F2' }),
      entry(7, 'rb-1', 'Rebuttal', { relationshipId: 'r-emp', status: 'ACCEPTED' }),
      entry(8, 'lm-1', 'ListMatch', { entityId: 'F', status: 'CONFIRMED' }),
      entry(9, 'lm-2', 'ListMatch', { entityId: 'AG', status: 'CONFIRMED' }),
      entry(10, 'rb-1', 'Rebuttal', null),
      entry(11, 'P2', 'Product', { name: 'other' }),
    ];
    expect(causesOf('P', then, now, log)).toEqual([5, 7, 8, 10]);
    expect(causesOf('P2', then, now, log)).toEqual([11]);
  });
});
