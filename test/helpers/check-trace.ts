import type { PathKind } from '../../src/trace/engine/counts';
import type { TraceEngine } from '../../src/trace/engine/trace.engine';
import { bruteForce, type BrutePath } from './brute-force';
import type { GenDataset } from './random-dataset';

const sorted = (ids: Iterable<string>) => [...new Set(ids)].sort();

/** Checks one dataset and asOf: the engine against brute force, for every item. Shared with the Neo4j test. */
export function checkAgainstBruteForce(d: GenDataset, asOf: string | null, engineFor: (itemId: string) => TraceEngine): void {
  const brute = bruteForce(d, asOf);
  for (const item of d.items) {
    const engine = engineFor(item.id);
    const counts = engine.counts(item.id);
    const all: BrutePath[] = [];
    for (const kind of ['direct', 'possible'] as PathKind[]) {
      const expected = brute[kind].filter((p) => p.nodes[p.nodes.length - 1] === item.id);
      all.push(...expected);
      expect({ item: item.id, kind, count: counts[kind].all }).toEqual({ item: item.id, kind, count: BigInt(expected.length) });
      expect({ item: item.id, kind, open: counts[kind].open }).toEqual({ item: item.id, kind, open: BigInt(expected.filter((p) => !p.rebutted).length) });
      const listed = new Map<string, { rebutted: boolean; rows: string[] }>();
      for (let i = 0n; i < counts[kind].all; i++) {
        const p = engine.pathAt(item.id, kind, i);
        const key = p.nodes.join('>');
        expect(listed.has(key)).toBe(false); // every path exactly once
        listed.set(key, { rebutted: p.rebutted, rows: p.hops.flatMap((h) => h.rows.map((r) => r.key)).sort() });
      }
      expect(() => engine.pathAt(item.id, kind, counts[kind].all)).toThrow(RangeError);
      expect(Object.fromEntries(listed)).toEqual(
        Object.fromEntries(expected.map((p) => [p.key, { rebutted: p.rebutted, rows: [...p.rows].sort() }])),
      );
    }
    const direct = brute.direct.filter((p) => p.nodes[p.nodes.length - 1] === item.id);
    expect({ item: item.id, facts: engine.laborFacts(item.id) }).toEqual({
      item: item.id, facts: { sources: sorted(direct.map((p) => p.source)), sites: sorted(direct.map((p) => p.site)) },
    });
    const sub = engine.subgraph(item.id);
    expect(sub.nodes).toEqual(sorted(all.flatMap((p) => p.nodes)));
    expect(sub.rows.map((r) => r.key)).toEqual(sorted(all.flatMap((p) => [...p.rows])));
  }
}
