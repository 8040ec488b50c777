import { relationshipId, relationshipKey } from '../../src/model/graph-model';
import { TaintGraph, type RowRecordIn } from '../../src/trace/engine/taint-graph';

/**
 * A snapshot holds what rows share once (intervals, one-interval lists, evidence lists) and derives what a row's
 * other fields say (its key, its from/to texts). These check that sharing never lets one row's change reach another
 * and that a row whose key or dates say something else than the derived ones keeps them.
 */
describe('TaintGraph: shared and derived row values', () => {
  const employed = (worker: string, from: string | null, to: string | null, extra: Partial<RowRecordIn> = {}): RowRecordIn => {
    const key = relationshipKey('EMPLOYED_AT', worker, 'F', from, to);
    return { id: relationshipId(key), key, type: 'EMPLOYED_AT', source: worker, target: 'F', from, to, ...extra };
  };

  function graph(): TaintGraph {
    const g = new TaintGraph();
    for (const id of ['W1', 'W2']) g.addNode({ id, kind: 'Worker', nationality: 'KP' });
    g.addNode({ id: 'F', kind: 'Factory' });
    return g;
  }

  it('gives a hop its own interval list before a second row joins it, whether loading or patching', () => {
    const g = graph();
    g.addRow(employed('W1', '2012-01-01', '2012-12-31'));
    g.addRow(employed('W2', '2012-01-01', '2012-12-31'));
    const [h1, h2] = g.into('F', 'EMPLOYED_AT');
    expect(h1.intervals).toBe(h2.intervals); // shared while each hop has the one row
    g.addRow(employed('W1', '2014-01-01', null));
    g.upsertRow(employed('W2', '2016-01-01', '2016-06-30'));
    const [a, b] = g.into('F', 'EMPLOYED_AT');
    expect(a.intervals.map((i) => i.from)).toEqual([15340, 16071]);
    expect(b.intervals.map((i) => i.from)).toEqual([15340, 16801]);
    g.removeRow(employed('W1', '2014-01-01', null).id!);
    g.removeRow(employed('W2', '2016-01-01', '2016-06-30').id!);
    const [c, d] = g.into('F', 'EMPLOYED_AT');
    expect([c.intervals, d.intervals, c.openIntervals]).toEqual([[{ from: 15340, to: 15705 }], [{ from: 15340, to: 15705 }], [{ from: 15340, to: 15705 }]]);
  });

  it('derives key and dates, and keeps those that say something else', () => {
    const g = graph();
    g.addRow(employed('W1', '2012-01-01', null, { evidence: ['E1'] }));
    g.addRow({ ...employed('W2', '2012-01-01', null), id: 'own-id', key: 'a key of another form', from: '2012-01-01T00:00:00Z', extras: { x_note: 'n' } });
    const [derived, kept] = g.into('F', 'EMPLOYED_AT').map((h) => h.rows[0]);
    expect([derived.key, derived.from, derived.to, derived.extras, derived.evidence]).toEqual([relationshipKey('EMPLOYED_AT', 'W1', 'F', '2012-01-01', null), '2012-01-01', null, undefined, ['E1']]);
    expect([kept.id, kept.key, kept.from, kept.to, kept.extras, kept.interval.from]).toEqual(['own-id', 'a key of another form', '2012-01-01T00:00:00Z', null, { x_note: 'n' }, 15340]);
  });

  it('loads rows into an out-list longer than it scans, and finds each again', () => {
    const g = new TaintGraph();
    g.addNode({ id: 'W', kind: 'Worker', nationality: 'KP' });
    const rows = Array.from({ length: 40 }, (_, i) => {
      const target = `F${String(39 - i).padStart(2, '0')}`;
      const key = relationshipKey('EMPLOYED_AT', 'W', target, null, null);
      return { id: relationshipId(key), key, type: 'EMPLOYED_AT' as const, source: 'W', target };
    });
    for (const r of [...rows, ...rows]) g.addRow(r); // the second time: the same rows, found in their hops
    g.setRebuttals(rows[25].id, [{ id: 'RB', itemIds: null }]);
    expect(g.rowCount).toBe(40);
    expect(g.outOf('W', 'EMPLOYED_AT').map((h) => [h.target, h.rows.length])).toEqual(rows.map((r) => [r.target, 1]).reverse());
    expect(g.outOf('W', 'EMPLOYED_AT').filter((h) => h.openIntervals.length === 0).map((h) => h.target)).toEqual([rows[25].target]);
  });
});
