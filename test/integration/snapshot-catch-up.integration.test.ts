import fc from 'fast-check';
import { HistoryService } from '../../src/changes/history.service';
import { decideRebuttal, proposeRebuttal } from '../../src/changes/rebuttal.store';
import type { Neo4jClient } from '../../src/db/neo4j-client';
import { ImportConflictError, writeDatasetChange } from '../../src/import/import.service';
import { LABOR_REL_TYPES, REL_TYPES, type RelType } from '../../src/model/graph-model';
import { plainProps, toEntityNode, type EntityNode, type EntityRel } from '../../src/entity/entity.types';
import { GraphSnapshotCache } from '../../src/trace/graph-snapshot';
import type { TaintGraph } from '../../src/trace/engine/taint-graph';
import { loadWholeGraph } from '../../src/trace/taint-graph.loader';
import { SnapshotFile } from '../../src/trace/snapshot-file';
import { TraceEngine } from '../../src/trace/engine/trace.engine';
import { readDataset } from '../../src/dataset/dataset.reader';
import { mkdtempSync, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { datasetArb, toCsvFiles, type GenDataset } from '../helpers/random-dataset';
import { datasetDir, importDir, resetGraph, testClient } from '../helpers/neo4j';

/**
 * The snapshot that follows change sets by patching itself from the change log (README, "Changes and history") must
 * be the graph a fresh read gives: same nodes, same hop lists in the same order, same rows with the same rebuttals,
 * and the same counts — after upserts, retirements of nodes and relationships, and rebuttal decisions.
 */

let client: Neo4jClient;
beforeAll(async () => {
  client = await testClient();
});
afterAll(() => client.close());

const meta = { actor: 'test', reason: 'catch-up property', source: 'api' as const };

/** Everything tracing reads from a taint graph, in the order it reads it. */
function tracedView(g: TaintGraph): string[] {
  const out: string[] = [];
  for (const id of [...g.nodes.keys()].sort()) {
    const n = g.nodes.get(id)!;
    out.push(`node ${id} ${n.kind} ${n.name} ${n.source}`);
    for (const type of REL_TYPES) {
      for (const hop of g.into(id, type)) {
        const rows = hop.rows.map((r) => `${r.id}|${r.key}|${r.from}|${r.to}|${r.placement}|${r.rebutted}|${[...(r.rebuttedFor ?? [])].sort()}|${r.evidence}`);
        out.push(`  in ${type} ${hop.source}->${hop.target} open=${hop.openIntervals.length}/${hop.intervals.length} ${rows.join(' ; ')}`);
      }
      for (const hop of g.outOf(id, type)) out.push(`  out ${type} ${hop.source}->${hop.target}`);
    }
  }
  return out;
}

/** Every node and relationship with its plain properties (version included), one line each, sorted. */
function entityLines(nodes: Iterable<EntityNode>, rels: Iterable<EntityRel>): string[] {
  const props = (p: Record<string, unknown>) => JSON.stringify(Object.keys(p).sort().map((k) => [k, p[k]]));
  return [
    ...[...nodes].map((n) => `node ${n.id} ${n.kind} ${props(n.props)}`),
    ...[...rels].map((r) => `rel ${r.id} ${r.type} ${r.source}->${r.target} ${props(r.props)}`),
  ].sort();
}

async function storedEntities(): Promise<string[]> {
  const nodes: EntityNode[] = [];
  const rels: EntityRel[] = [];
  await client.readTx(async (tx) => {
    for await (const r of tx.stream<{ labels: string[]; props: Record<string, unknown> }>('export/nodes')) nodes.push(toEntityNode(r.labels, r.props));
    for await (const r of tx.stream<{ type: RelType; source: string; target: string; props: Record<string, unknown> }>('export/relationships')) {
      const p = plainProps(r.props);
      rels.push({ id: String(p.id), key: String(p.key), type: r.type, source: r.source, target: r.target, props: p });
    }
  });
  return entityLines(nodes, rels);
}

/** B with A's kinds for the ids both have (a change set may not turn a product into a component). */
function sameKinds(a: GenDataset, b: GenDataset): GenDataset {
  const product = new Map(a.items.map((i) => [i.id, i.product]));
  return { ...b, items: b.items.map((i) => ({ ...i, product: product.get(i.id) ?? i.product })) };
}

describe('the whole-graph snapshot catches up through the change log', () => {
  it('equals a fresh read after upserts, retirements and rebuttal decisions, without reading the graph again; knownAt replays give each earlier graph', async () => {
    await fc.assert(
      fc.asyncProperty(datasetArb, datasetArb, fc.array(fc.nat(), { maxLength: 4 }), fc.array(fc.nat(), { maxLength: 3 }), async (a, b0, retirePicks, rebutPicks) => {
        await resetGraph(client);
        await importDir(client, datasetDir(toCsvFiles(a)));
        const history = new HistoryService(client);
        const cache = new GraphSnapshotCache(client, 1e9, history);
        const snap = await cache.fresh();
        // the graph after each change set, read from Neo4j: what knownAt at that change set must give back
        const seen = new Map<number, { traced: string[]; entities: string[] }>();
        const remember = async () => seen.set(await history.latestSeq(), { traced: tracedView((await loadWholeGraph(client)).graph), entities: await storedEntities() });
        await remember();

        // 1. upserts: another random dataset over the same ids (a BOM cycle with the stored graph is refused whole)
        const read = await readDataset(datasetDir(toCsvFiles(sameKinds(a, b0))));
        if (!read.ok) throw new Error('generated dataset invalid');
        await writeDatasetChange(client, { dataset: read.dataset, meta }).catch((e) => {
          if (!(e instanceof ImportConflictError)) throw e;
        });
        await remember();
        // 2. retirements of nodes and relationships
        const stored = await loadWholeGraph(client);
        const nodeIds = [...stored.graph.nodes.keys()].sort();
        const rowIds = stored.graph.rows().map((r) => r.id).sort();
        const candidates = [...nodeIds, ...rowIds];
        const retire = [...new Set(retirePicks.map((p) => candidates[p % Math.max(1, candidates.length)]).filter(Boolean))];
        if (retire.length > 0) {
          await writeDatasetChange(client, { dataset: { nodes: [], relationships: [] }, retire: retire.map((id, line) => ({ id, at: { file: 'retire', line } })), meta });
          await remember();
        }
        // 3. rebuttals: proposed, then accepted (some scoped to an item) or rejected
        // (from the graph as it is now: a retired item cannot be named by a rebuttal's scope)
        const now = (await loadWholeGraph(client)).graph;
        const labor = now.rows().filter((r) => LABOR_REL_TYPES.has(r.type));
        const items = [...now.nodes.values()].filter((n) => n.kind === 'Product' || n.kind === 'Component').map((n) => n.id).sort();
        for (const [i, pick] of rebutPicks.entries()) {
          if (labor.length === 0) break;
          const row = labor[pick % labor.length];
          const scope = pick % 3 === 0 && items.length > 0 ? [items[pick % items.length]] : null;
          const { rebuttal } = await proposeRebuttal(client, { ...meta, actor: 'proposer' }, { relationshipId: row.id, prong: 'NOT_FORCED', evidence: ['EV'], itemIds: scope });
          await remember();
          await decideRebuttal(client, { ...meta, actor: 'reviewer' }, rebuttal.id, i % 2 === 0 ? 'ACCEPTED' : 'REJECTED', null, false);
          await remember();
        }

        const caught = await cache.fresh();
        expect(caught).toBe(snap); // patched in place, not read again
        const fresh = await loadWholeGraph(client);
        expect(tracedView(caught.graph)).toEqual(tracedView(fresh.graph));
        const patched = new TraceEngine(caught.graph, { asOf: null });
        const read2 = new TraceEngine(fresh.graph, { asOf: null });
        for (const id of [...fresh.graph.nodes.keys()].filter((n) => n.startsWith('I'))) expect(patched.counts(id)).toEqual(read2.counts(id));

        // knownAt: replaying the log up to each change set gives the graph that was stored then, versions included
        for (const [seq, then] of seen) {
          const recorded = await history.recordedGraph(seq);
          expect(tracedView(recorded.taintGraph())).toEqual(then.traced);
          expect(entityLines(recorded.nodes.values(), recorded.rels.values())).toEqual(then.entities);
        }
      }),
      // a failure found is reported before jest's timeout, shrunk as far as the time allows
      { numRuns: Number(process.env.LABORTRACE_PROPERTY_RUNS ?? 100) / 10, interruptAfterTimeLimit: 90_000 },
    );
  });

  it('reads the graph again when the store was wiped (another epoch), even at a higher version', async () => {
    await resetGraph(client);
    await importDir(client, datasetDir({ 'products.csv': 'id,name\nP1,One\n' }));
    const cache = new GraphSnapshotCache(client, 1e9, new HistoryService(client));
    const first = await cache.fresh();
    await resetGraph(client);
    await importDir(client, datasetDir({ 'products.csv': 'id,name\nP2,Two\n' }));
    await importDir(client, datasetDir({ 'products.csv': 'id,name\nP3,Three\n' }));
    const second = await cache.fresh();
    expect(second).not.toBe(first);
    expect([...second.graph.nodes.keys()].sort()).toEqual(['P2', 'P3']);
  });

  it("a request's traces use the graph version read as it arrived (no read of their own), unless this process wrote since", async () => {
    await resetGraph(client);
    await importDir(client, datasetDir({ 'products.csv': 'id,name\nP1,One\n' }));
    const cache = new GraphSnapshotCache(client, 1e9, new HistoryService(client));
    await cache.fresh();
    const probe = cache.probeVersion();
    await probe.read;
    const before = client.roundTrips;
    const unchanged = await GraphSnapshotCache.withProbe(probe, () => cache.fresh());
    expect(client.roundTrips).toBe(before);
    expect([...unchanged.graph.nodes.keys()]).toEqual(['P1']);
    // a write of this process after the probe (a mutation of the same request, say): the version is read again
    await importDir(client, datasetDir({ 'products.csv': 'id,name\nP2,Two\n' }));
    const changed = await GraphSnapshotCache.withProbe(probe, () => cache.fresh());
    expect([...changed.graph.nodes.keys()].sort()).toEqual(['P1', 'P2']);
    // without a probe every call reads it
    const reads = client.roundTrips;
    await cache.fresh();
    expect(client.roundTrips).toBeGreaterThan(reads);
  });

  it('a process starting beside a saved snapshot reads it and catches up through the change log; a damaged or other store\'s file is not used', async () => {
    await fc.assert(
      fc.asyncProperty(datasetArb, datasetArb, fc.nat(), async (a, b0, pick) => {
        await resetGraph(client);
        await importDir(client, datasetDir(toCsvFiles(a)));
        const dir = mkdtempSync(path.join(os.tmpdir(), 'labortrace-snapshot-'));
        const history = new HistoryService(client);
        const first = new GraphSnapshotCache(client, 1e9, history, new SnapshotFile(dir));
        expect((await first.fresh()).readFrom).toBe('neo4j');
        await first.saved();
        const files = await fs.readdir(dir);
        expect(files).toHaveLength(1);
        expect((await fs.stat(path.join(dir, files[0]))).mode & 0o777).toBe(0o600);

        // changes after the save: a change set over the same ids, and an accepted rebuttal
        const read = await readDataset(datasetDir(toCsvFiles(sameKinds(a, b0))));
        if (!read.ok) throw new Error('generated dataset invalid');
        await writeDatasetChange(client, { dataset: read.dataset, meta }).catch((e) => {
          if (!(e instanceof ImportConflictError)) throw e;
        });
        const labor = (await loadWholeGraph(client)).graph.rows().filter((r) => LABOR_REL_TYPES.has(r.type));
        if (labor.length > 0) {
          const { rebuttal } = await proposeRebuttal(client, { ...meta, actor: 'proposer' }, { relationshipId: labor[pick % labor.length].id, prong: 'NOT_FORCED', evidence: ['EV'] });
          await decideRebuttal(client, { ...meta, actor: 'reviewer' }, rebuttal.id, 'ACCEPTED', null, false);
        }

        const second = new GraphSnapshotCache(client, 1e9, history, new SnapshotFile(dir));
        const started = await second.fresh();
        expect(started.readFrom).toBe('file');
        expect(second.stats()).toMatchObject({ fromFile: true }); // the metric labortrace_snapshot_from_file
        const fresh = await loadWholeGraph(client);
        expect(tracedView(started.graph)).toEqual(tracedView(fresh.graph));
        const fromFile = new TraceEngine(started.graph, { asOf: null });
        const fromNeo4j = new TraceEngine(fresh.graph, { asOf: null });
        for (const id of [...fresh.graph.nodes.keys()].filter((n) => n.startsWith('I'))) expect(fromFile.counts(id)).toEqual(fromNeo4j.counts(id));

        // a damaged file: read from Neo4j instead (and saved again)
        const file = path.join(dir, files[0]);
        await fs.writeFile(file, (await fs.readFile(file)).subarray(0, 100));
        // what a process killed while saving leaves: its temporary file, removed by the next save
        await fs.writeFile(`${file}.2147483646.tmp`, 'partial');
        const third = new GraphSnapshotCache(client, 1e9, history, new SnapshotFile(dir));
        const again = await third.fresh();
        expect(again.readFrom).toBe('neo4j');
        expect(tracedView(again.graph)).toEqual(tracedView(fresh.graph));
        await third.saved();
        expect(await fs.readdir(dir)).toEqual(files);
        // another store (wiped: another epoch): its file is not used
        await resetGraph(client);
        await importDir(client, datasetDir({ 'products.csv': 'id,name\nP9,Nine\n' }));
        const fourth = new GraphSnapshotCache(client, 1e9, history, new SnapshotFile(dir));
        const other = await fourth.fresh();
        expect(other.readFrom).toBe('neo4j');
        expect([...other.graph.nodes.keys()]).toEqual(['P9']);
        await fourth.saved();
        expect(await fs.readdir(dir)).toHaveLength(1); // the other epoch's file went
        await fs.rm(dir, { recursive: true, force: true });
      }),
      { numRuns: Number(process.env.LABORTRACE_PROPERTY_RUNS ?? 100) / 20, interruptAfterTimeLimit: 60_000 },
    );
  });
});
