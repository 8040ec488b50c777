import path from 'node:path';
import fc from 'fast-check';
import { readDataset } from '../../src/dataset/dataset.reader';
import type { Dataset } from '../../src/dataset/dataset.types';
import { formatError } from '../../src/dataset/dataset.types';
import { Neo4jClient, type Tx } from '../../src/db/neo4j-client';
import { ImportInProgressError, settleStagedImports } from '../../src/changes/staging';
import { importDataset } from '../../src/import/import.service';
import { stagedImportDataset } from '../../src/import/staged-import';
import { relationshipKey } from '../../src/model/graph-model';
import { loadItemRegion, loadWholeGraph } from '../../src/trace/taint-graph.loader';
import { datasetDir, dumpGraph, resetGraph, testClient } from '../helpers/neo4j';
import { datasetArb, resolveFrom, toCsvFiles, type GenDataset } from '../helpers/random-dataset';

/**
 * Staged import (README, "Staged import"), against the real database: the same graph and the same change set as
 * the one-transaction import; nothing of it visible to readers until it is published, wherever its process dies;
 * what a dead one leaves removed by the next writer once its lease is out.
 */
let client: Neo4jClient;
beforeAll(async () => {
  client = await testClient();
});
afterAll(() => client.driver.close());

const meta = { actor: 'test', reason: 'staged', source: 'import' as const };

async function datasetOf(d: GenDataset): Promise<Dataset> {
  const result = await readDataset(datasetDir(toCsvFiles(d)));
  if (!result.ok) throw new Error(result.errors.map(formatError).join('\n'));
  return result.dataset;
}

/** B: A with some workers' nationality and factories' country changed (updates), some rows re-dated (new rows
 *  between stored nodes), and C's entities and rows under ids of their own (new nodes). */
function successor(a: GenDataset, c: GenDataset, flips: boolean[]): GenDataset {
  const flip = (i: number) => flips[i % flips.length];
  const p = (id: string) => `B${id}`;
  const rows = new Map<string, GenDataset['rows'][number]>();
  const put = (r: GenDataset['rows'][number]) => {
    const key = relationshipKey(r.type, r.source, r.target, r.from, r.to, r.placement);
    if (!rows.has(key)) rows.set(key, { ...r, key });
  };
  a.rows.forEach((r, i) => put(flip(i) && r.rawFrom !== null ? { ...r, rawFrom: '2001', from: resolveFrom('2001') } : r));
  c.rows.forEach((r) => put({ ...r, source: p(r.source), target: p(r.target), placement: r.placement && p(r.placement) }));
  return {
    workers: [...a.workers.map((w, i) => (flip(i) ? { ...w, nationality: w.nationality === 'KP' ? 'CN' : 'KP' } : w)), ...c.workers.map((w) => ({ ...w, id: p(w.id) }))],
    agencies: [...a.agencies, ...c.agencies.map((x) => ({ ...x, id: p(x.id) }))],
    factories: [...a.factories.map((f, i) => (flip(i + 1) ? { ...f, country: f.country === 'KP' ? 'CN' : 'KP' } : f)), ...c.factories.map((f) => ({ ...f, id: p(f.id) }))],
    companies: [...a.companies, ...c.companies.map((x) => ({ ...x, id: p(x.id) }))],
    items: [...a.items, ...c.items.map((x) => ({ ...x, id: p(x.id) }))],
    rows: [...rows.values()],
    scopedRebuttals: [],
  };
}

/** The change set's changes as a set (a staged import numbers them in another order); instants (a rebuttal's
 *  decision, the change set's own) differ between two runs. */
async function changesOf(seq: number): Promise<string[]> {
  const rows = await client.read<{ entityId: string; kind: string; after: string | null; version: number }>('changes/log-between', { fromSeq: seq - 1, toSeq: seq });
  const timeless = (after: string | null) => after?.replace(/"\d{4}-\d\d-\d\dT[\d:.]+Z"/g, '"<instant>"');
  return rows.map((r) => `${r.entityId} ${r.kind} ${timeless(r.after)} v${r.version}`).sort();
}

/** Every node and relationship with each property's value and type (a date stored as text would print the same). */
async function typedDump(): Promise<string[]> {
  const typeName = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'list' : typeof v === 'object' ? (v as object).constructor.name : typeof v);
  const typed = (props: Record<string, unknown>) =>
    JSON.stringify(Object.keys(props).filter((k) => !k.startsWith('_')).sort().map((k) => [k, typeName(props[k]), String(props[k])]));
  const lines: string[] = [];
  await client.readTx(async (tx) => {
    for await (const r of tx.stream<{ labels: string[]; props: Record<string, unknown> }>('export/nodes')) lines.push(`node ${[...r.labels].sort().join(':')} ${typed(r.props)}`);
    for await (const r of tx.stream<{ type: string; source: string; target: string; props: Record<string, unknown> }>('export/relationships')) {
      lines.push(`rel ${r.type} ${r.source} ${r.target} ${typed(r.props)}`);
    }
  });
  return lines.sort();
}

/**
 * What readers see: the export (`dump`), and the whole-graph snapshot (traces, screen) and each item's region as a
 * trace reads it without a snapshot (the closures and hop statements), summarised by the ids they hold (`loaded`).
 */
async function readerView(dataset: Dataset): Promise<{ dump: string[]; loaded: string[] }> {
  const dump = await dumpGraph(client);
  const present = (g: { nodes: Map<string, unknown>; row(id: string): unknown; rowCount: number }) =>
    `${[...g.nodes.keys()].sort().join(',')} | ${g.rowCount} rows | ${dataset.relationships.filter((r) => g.row(r.id) !== undefined).map((r) => r.id).sort().join(',')}`;
  const loaded = [`snapshot ${present((await loadWholeGraph(client)).graph)}`];
  for (const item of dataset.nodes.filter((n) => n.kind === 'Product' || n.kind === 'Component')) {
    const region = await loadItemRegion(client, item.id);
    loaded.push(`region ${item.id}: ${region === null ? 'no such item' : present(region)}`);
  }
  return { dump, loaded };
}

/** What readers see with `first` imported (left in the store), and with `second` imported over it in one transaction. */
async function beforeAndAfter<V>(first: Dataset, second: Dataset, view: (c: Neo4jClient) => Promise<V>): Promise<{ before: V; after: V }> {
  await resetGraph(client);
  await importDataset(client, first, { meta });
  await importDataset(client, second, { meta });
  const after = await view(client);
  await resetGraph(client);
  await importDataset(client, first, { meta });
  return { before: await view(client), after };
}

const marked = async () => (await client.read<Record<string, number>>('staging/count-marked'))[0];
const NOTHING_MARKED = { markers: 0, nodes: 0, relationships: 0, changes: 0 };

/** A client whose process "dies" at its n-th statement: that one and every later call fail, nothing rolls forward. */
class DyingClient extends Neo4jClient {
  statements = 0;
  dead = false;
  constructor(base: Neo4jClient, private readonly dieAt: number) {
    super(base.driver, base.database);
  }
  private tick(): void {
    if (this.dead || ++this.statements >= this.dieAt) {
      this.dead = true;
      throw new Error('simulated death of the import process');
    }
  }
  private wrap(tx: Tx): Tx {
    return new Proxy(tx, {
      get: (target, prop, receiver) => {
        const value = Reflect.get(target, prop, receiver) as unknown;
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) => {
          if (prop === 'run' || prop === 'stream' || prop === 'streamColumn') this.tick();
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    });
  }
  override readTx<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    return super.readTx((tx) => work(this.wrap(tx)));
  }
  override writeTx<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    return super.writeTx((tx) => work(this.wrap(tx)));
  }
}

describe('staged import', () => {
  it('gives the graph and the change set of the one-transaction import (random catalogues)', async () => {
    await fc.assert(
      fc.asyncProperty(datasetArb, datasetArb, fc.array(fc.boolean(), { minLength: 1, maxLength: 5 }), async (a, c, flips) => {
        const b = successor(a, c, flips);
        const [first, second] = [await datasetOf(a), await datasetOf(b)];
        await resetGraph(client);
        await importDataset(client, first, { meta });
        const reference = await importDataset(client, second, { meta });
        const expectedGraph = await typedDump();
        const expectedChanges = await changesOf(reference.graphVersion);

        await resetGraph(client);
        await importDataset(client, first, { meta });
        const staged = await stagedImportDataset(client, second, { meta });
        expect(staged.graphVersion).toBe(reference.graphVersion);
        expect(staged.changeCount).toBe(reference.changeCount);
        expect(await typedDump()).toEqual(expectedGraph);
        expect(await changesOf(staged.graphVersion)).toEqual(expectedChanges);
        expect(await marked()).toEqual(NOTHING_MARKED);
      }),
      { numRuns: 8 },
    );
  }, 300_000);

  it('gives the same typed properties for the demo data: evidence dates, shipments, every relationship type', async () => {
    const seed = await readDataset(path.join(__dirname, '..', '..', 'seed'));
    if (!seed.ok) throw new Error('seed/ is invalid');
    const base = await datasetOf({ workers: [{ id: 'W-BASE', nationality: 'CN' }], agencies: [], factories: [], companies: [], items: [{ id: 'I-BASE', product: true }], rows: [] });
    await resetGraph(client);
    await importDataset(client, base, { meta });
    await importDataset(client, seed.dataset, { meta });
    const expected = await typedDump();
    expect(expected.some((l) => l.includes('"Date"'))).toBe(true);
    await resetGraph(client);
    await importDataset(client, base, { meta });
    await stagedImportDataset(client, seed.dataset, { meta });
    expect(await typedDump()).toEqual(expected);
  }, 60_000);

  it('killed at any statement: readers see the graph before or after, never part; the next writer removes the rest', async () => {
    await fc.assert(
      fc.asyncProperty(datasetArb, datasetArb, fc.array(fc.boolean(), { minLength: 1, maxLength: 5 }), fc.nat(60), async (a, c, flips, dieAt) => {
        const [first, second] = [await datasetOf(a), await datasetOf(successor(a, c, flips))];
        const { before, after } = await beforeAndAfter(first, second, dumpGraph);

        const dying = new DyingClient(client, 1 + dieAt);
        await stagedImportDataset(dying, second, { meta }).catch((e: unknown) => {
          if (!dying.dead) throw e;
        });
        // it may also die after publishing, while clearing its marks (the import itself then reports success)
        const died = dying.dead;
        const seen = await dumpGraph(client);
        expect([before, after]).toContainEqual(seen);
        if (!died) expect(await marked()).toEqual(NOTHING_MARKED);
        const left = await marked();
        if (left.markers > 0) {
          // a live lease: other writers are refused, and still nothing is visible
          await expect(importDataset(client, first, { meta })).rejects.toBeInstanceOf(ImportInProgressError);
          expect(await dumpGraph(client)).toEqual(before);
        }
        // once its lease is out, the next one to settle removes what it wrote (or clears a published one's marks)
        await settleStagedImports(client, { leaseMs: 0 });
        expect(await marked()).toEqual(NOTHING_MARKED);
        expect(await dumpGraph(client)).toEqual(seen);
        // and the import done again gives the graph after
        await stagedImportDataset(client, second, { meta });
        expect(await dumpGraph(client)).toEqual(after);
      }),
      { numRuns: 15 },
    );
  }, 600_000);

  it('killed at each of its statements in turn: the same, and the staged rows were there, hidden', async () => {
    const [a, c] = fc.sample(datasetArb, { seed: 7, numRuns: 2 });
    const [first, second] = [await datasetOf(a), await datasetOf(successor(a, c, [true, false]))];
    const { before, after } = await beforeAndAfter(first, second, () => readerView(second));
    expect(after).not.toEqual(before);
    const counting = new DyingClient(client, Number.MAX_SAFE_INTEGER);
    await stagedImportDataset(counting, second, { meta });
    const statements = counting.statements;
    const outcomes = { before: 0, after: 0, hiddenRows: 0 };
    for (let dieAt = 1; dieAt <= statements; dieAt++) {
      await resetGraph(client);
      await importDataset(client, first, { meta });
      const dying = new DyingClient(client, dieAt);
      // it dies somewhere: while clearing its marks, after publishing, the import itself still reports success
      await stagedImportDataset(dying, second, { meta }).catch((e: unknown) => {
        if (!dying.dead) throw e;
      });
      expect(dying.dead).toBe(true);
      const seen = await readerView(second);
      expect([before, after]).toContainEqual(seen);
      outcomes[JSON.stringify(seen) === JSON.stringify(before) ? 'before' : 'after']++;
      const left = await marked();
      if (left.markers > 0 && left.nodes + left.relationships > 0) outcomes.hiddenRows++;
      await settleStagedImports(client, { leaseMs: 0 });
      expect(await marked()).toEqual(NOTHING_MARKED);
      // with nothing marked, every reader reads the store as it is: the export alone shows whether settling changed it
      expect(await dumpGraph(client)).toEqual(seen.dump);
    }
    // every phase was hit: dead before publishing (some with rows staged and hidden), and after
    expect(outcomes.before).toBeGreaterThan(0);
    expect(outcomes.after).toBeGreaterThan(0);
    expect(outcomes.hiddenRows).toBeGreaterThan(0);
    process.stderr.write(`staged import killed at each of ${statements} statements: ${JSON.stringify(outcomes)}\n`);
  }, 300_000);

  it('a writer that finds a stale staged import removes it and goes on', async () => {
    const base: GenDataset = {
      workers: [{ id: 'W0', nationality: 'KP' }], agencies: [], factories: [{ id: 'F0', country: 'CN' }], companies: [],
      items: [{ id: 'I0', product: true }], rows: [], scopedRebuttals: [],
    };
    const more: GenDataset = { ...base, workers: [...base.workers, { id: 'W1', nationality: 'KP' }] };
    await resetGraph(client);
    await importDataset(client, await datasetOf(base), { meta });
    const before = await dumpGraph(client);
    // dies after staging its rows (plan, open, one batch), before publishing
    const dying = new DyingClient(client, Number.MAX_SAFE_INTEGER);
    const original = dying.writeTx.bind(dying);
    let writes = 0;
    dying.writeTx = (work) => {
      if (++writes < 3) return original(work); // the marker, then the one batch
      dying.dead = true;
      return Promise.reject(new Error('died'));
    };
    await expect(stagedImportDataset(dying, await datasetOf(more), { meta })).rejects.toThrow('died');
    expect((await marked()).nodes).toBe(1);
    expect(await dumpGraph(client)).toEqual(before);
    process.env.LABORTRACE_STAGED_LEASE_MS = '0';
    try {
      await importDataset(client, await datasetOf(more), { meta });
    } finally {
      delete process.env.LABORTRACE_STAGED_LEASE_MS;
    }
    expect(await marked()).toEqual(NOTHING_MARKED);
    expect(await dumpGraph(client)).not.toEqual(before);
  }, 60_000);
});
