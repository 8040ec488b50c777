import { readFileSync } from 'node:fs';
import path from 'node:path';
import { isDate } from 'neo4j-driver';
import { readDataset } from '../../src/dataset/dataset.reader';
import { formatError } from '../../src/dataset/dataset.types';
import type { Neo4jClient } from '../../src/db/neo4j-client';
import { IMPORT_BATCH_SIZE, ImportConflictError, importDataset } from '../../src/import/import.service';
import { REL_TYPES, relationshipId, relationshipKey } from '../../src/model/graph-model';
import { loadItemRegion, loadWholeGraph } from '../../src/trace/taint-graph.loader';
import type { TaintRow } from '../../src/trace/engine/taint-graph';
import { datasetDir, dumpGraph, exportAndReimport, importDir, resetGraph, testClient } from '../helpers/neo4j';

const SEED = path.join(__dirname, '..', '..', 'seed');
let client: Neo4jClient;

beforeAll(async () => {
  client = await testClient();
});
afterAll(() => client.close());
beforeEach(() => resetGraph(client));

describe('import into a real Neo4j', () => {
  it('imports the demo dataset; importing it again leaves the graph unchanged', async () => {
    const first = await importDir(client, SEED);
    const products = readFileSync(path.join(SEED, 'products.csv'), 'utf8').trim().split('\n').length - 1;
    expect(first.nodes.Product).toBe(products);
    const before = await dumpGraph(client);
    await importDir(client, SEED);
    expect(await dumpGraph(client)).toEqual(before);
  });

  it('round-trips: import -> export -> import into an empty database gives the same graph', async () => {
    await importDir(client, SEED);
    const before = await dumpGraph(client);
    await exportAndReimport(client);
    expect(await dumpGraph(client)).toEqual(before);
  });

  it('--replace makes the dataset the whole graph, in the same transaction', async () => {
    await importDir(client, SEED);
    const result = await readDataset(datasetDir({ 'products.csv': 'id,name\nONLY,Only product\n' }));
    if (!result.ok) throw new Error('expected a valid dataset');
    await importDataset(client, result.dataset, { replace: true });
    expect(await dumpGraph(client)).toEqual(['node Entity:Item:Product ' + JSON.stringify([['evidence', []], ['id', 'ONLY'], ['name', 'Only product']])]);
  });

  it('keeps parallel relationships with different intervals apart', async () => {
    await importDir(client, datasetDir({
      'workers.csv': 'id,nationality\nW1,KP\n',
      'factories.csv': 'id,name,country\nF1,Plant,CN\n',
      'employment.csv': 'worker_id,factory_id,from,to\nW1,F1,2012-01-01,2012-12-31\nW1,F1,2015-01-01,\nW1,F1,2012-01-01,2012-12-31\n',
    }));
    const rels = (await dumpGraph(client)).filter((l) => l.startsWith('rel EMPLOYED_AT'));
    expect(rels).toHaveLength(2);
  });

  it('a dataset with one invalid row is refused whole and the graph is unchanged', async () => {
    await importDir(client, SEED);
    const before = await dumpGraph(client);
    const dir = datasetDir({
      'products.csv': 'id,name\nNEW-1,New product\n',
      'factories.csv': 'id,name,country\nNEW-F,New plant,CN\n',
      'production.csv': 'item_id,factory_id,from,to\nNEW-1,NEW-F,2020-01-01,2019-01-01\n',
    });
    const result = await readDataset(dir);
    expect(result.ok ? [] : result.errors.map(formatError)).toEqual(["production.csv:2:4: 'from' 2020-01-01 is after 'to' 2019-01-01"]);
    expect(await dumpGraph(client)).toEqual(before);
  });

  it('a write that fails part-way (in a later batch, after updates and new nodes) is rolled back whole', async () => {
    await importDir(client, SEED);
    const before = await dumpGraph(client);
    // A valid dataset that updates seed nodes and adds more than one batch of new ones; the last node then gets a
    // name Neo4j cannot index (the validator would refuse it; here it is given to the writer directly), so the
    // transaction fails after earlier batches have been written inside it.
    const seedProducts = readFileSync(path.join(SEED, 'products.csv'), 'utf8');
    const extra = Array.from({ length: IMPORT_BATCH_SIZE + 5 }, (_, i) => `BULK-${i},Bulk ${i}`).join('\n');
    const result = await readDataset(datasetDir({
      'products.csv': seedProducts.replace(/^([^\n]*\n[^,\n]*,)/, '$1RENAMED '),
      'components.csv': `id,name\n${extra}\n`,
    }));
    if (!result.ok) throw new Error(`expected a valid dataset:\n${result.errors.map(formatError).join('\n')}`);
    const last = result.dataset.nodes[result.dataset.nodes.length - 1];
    expect(last.id).toBe(`BULK-${IMPORT_BATCH_SIZE + 4}`);
    last.props.name = '中'.repeat(20_000); // 60 KB: over Neo4j's text-index limit
    await expect(importDataset(client, result.dataset)).rejects.toThrow(/too large|index/i);
    expect(await dumpGraph(client)).toEqual(before);
  });

  it('refuses an id that exists as another kind, writing nothing', async () => {
    await importDir(client, SEED);
    const before = await dumpGraph(client);
    const result = await readDataset(datasetDir({
      'products.csv': 'id,name\nBRAND-NEW,Fresh\n',
      'components.csv': 'id,name\nF-DANDONG-SEW,Not a factory\n',
    }));
    if (!result.ok) throw new Error('expected a valid dataset');
    await expect(importDataset(client, result.dataset)).rejects.toBeInstanceOf(ImportConflictError);
    expect(await dumpGraph(client)).toEqual(before);
  });

  it('stores partial dates as the resolved Neo4j dates, with the text as given only when partial', async () => {
    await importDir(client, datasetDir({
      'workers.csv': 'id,nationality\nW1,KP\n',
      'factories.csv': 'id,name,country\nF1,Plant,CN\n',
      'employment.csv': 'worker_id,factory_id,from,to\nW1,F1,2012,2013-02\nW1,F1,2015-01-01,2015-06-30\n',
    }));
    const rels = await relationshipsOf('EMPLOYED_AT');
    expect(rels.map((r) => [r.from, r.to, r.from_text ?? null, r.to_text ?? null, r.fromIsDate, r.toIsDate])).toEqual([
      ['2012-01-01', '2013-02-28', '2012', '2013-02', true, true],
      ['2015-01-01', '2015-06-30', null, null, true, true],
    ]);
  });

  it('stores recruitment placement, dispatch, shipments and their relationships', async () => {
    await importDir(client, datasetDir(REVISED));
    const recruited = await relationshipsOf('RECRUITED_BY');
    expect(recruited.map((r) => [r.source, r.target, r.placement ?? null, r.from, r.to])).toEqual([
      ['W1', 'A1', 'F1', '2019-01-01', null], ['W2', 'A2', null, null, null], ['W3', 'A0', null, null, null],
    ]);
    expect((await relationshipsOf('DISPATCHES_TO')).map((r) => [r.id, r.source, r.target, r.from, r.to, r.rebuttals ?? null]))
      .toEqual([
        [relationshipId(relationshipKey('DISPATCHES_TO', 'A0', 'A1')), 'A0', 'A1', null, null, null],
        ['disp-1', 'A1', 'A2', '2021-03-01', '2023-12-31', ['E1']],
      ]);
    expect((await relationshipsOf('SHIPMENT_OF')).map((r) => [r.source, r.target])).toEqual([['S1', 'P1']]);
    expect((await relationshipsOf('IMPORTED_BY')).map((r) => [r.source, r.target])).toEqual([['S1', 'CO1']]);
    const [shipment] = await client.read<{ p: Record<string, unknown> }>('entity/nodes-by-id', { ids: ['S1'] })
      .then((rows) => rows.map((r) => ({ p: (r as unknown as { props: Record<string, unknown> }).props })));
    expect(String(shipment.p.produced_to)).toBe('2023-12-31');
    expect(shipment.p.produced_to_text).toBe('2023-12');
  });

  it('corrects a relationship in place when a row with its id gives another interval', async () => {
    const files = {
      'workers.csv': 'id,nationality\nW1,KP\n',
      'factories.csv': 'id,name,country\nF1,Plant,CN\n',
    };
    await importDir(client, datasetDir({ ...files, 'employment.csv': 'id,worker_id,factory_id,from,to\nemp-1,W1,F1,2012-01-01,2012-12-31\n' }));
    await importDir(client, datasetDir({ 'employment.csv': 'id,worker_id,factory_id,from,to,x_note\nemp-1,W1,F1,2014,2015-06,checked\n', ...files }));
    const rels = await relationshipsOf('EMPLOYED_AT');
    expect(rels.map((r) => [r.id, r.from, r.to, r.key, r.x_note])).toEqual([
      ['emp-1', '2014-01-01', '2015-06-30', relationshipKey('EMPLOYED_AT', 'W1', 'F1', '2014-01-01', '2015-06-30'), 'checked'],
    ]);
  });

  it('a row without an id is the stored relationship with the same natural key, whatever its id', async () => {
    const files = { 'workers.csv': 'id,nationality\nW1,KP\n', 'factories.csv': 'id,name,country\nF1,Plant,CN\n' };
    await importDir(client, datasetDir({ ...files, 'employment.csv': 'id,worker_id,factory_id,from\nemp-1,W1,F1,2012\n' }));
    await importDir(client, datasetDir({ ...files, 'employment.csv': 'worker_id,factory_id,from\nW1,F1,2012-01-01\n' }));
    expect((await relationshipsOf('EMPLOYED_AT')).map((r) => r.id)).toEqual(['emp-1']);
  });

  it('without ids, re-importing the same rows keeps one relationship per natural key under its derived id', async () => {
    const dir = datasetDir({
      'workers.csv': 'id,nationality\nW1,KP\n', 'factories.csv': 'id,name,country\nF1,Plant,CN\n',
      'employment.csv': 'worker_id,factory_id,from\nW1,F1,2012\n',
    });
    await importDir(client, dir);
    await importDir(client, dir);
    expect((await relationshipsOf('EMPLOYED_AT')).map((r) => r.id))
      .toEqual([relationshipId(relationshipKey('EMPLOYED_AT', 'W1', 'F1', '2012-01-01', null))]);
  });

  it('refuses an id that exists on a relationship of another type or between other nodes, writing nothing', async () => {
    const files = {
      'workers.csv': 'id,nationality\nW1,KP\nW2,CN\n',
      'factories.csv': 'id,name,country\nF1,Plant,CN\n',
      'products.csv': 'id,name\nP1,Jacket\n',
    };
    await importDir(client, datasetDir({ ...files, 'employment.csv': 'id,worker_id,factory_id\nrel-1,W1,F1\n' }));
    const before = await dumpGraph(client);
    for (const [file, csv, message] of [
      ['production.csv', 'item_id,factory_id,id\nP1,F1,rel-1\n',
        "production.csv:2:3: relationship id 'rel-1' already exists in the database on EMPLOYED_AT W1 -> F1, not PRODUCED F1 -> P1"],
      ['employment.csv', 'worker_id,factory_id,id\nW2,F1,rel-1\n',
        "employment.csv:2:3: relationship id 'rel-1' already exists in the database on EMPLOYED_AT W1 -> F1, not EMPLOYED_AT W2 -> F1"],
      ['employment.csv', 'worker_id,factory_id,id\nW1,F1,rel-2\n',
        "employment.csv:2:3: relationship 'rel-2' is already in the database under the id 'rel-1' (same type, ends and interval)"],
    ]) {
      const result = await readDataset(datasetDir({ ...files, [file]: csv }));
      if (!result.ok) throw new Error(result.errors.map(formatError).join('\n'));
      const error = await importDataset(client, result.dataset).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ImportConflictError);
      expect((error as ImportConflictError).errors.map(formatError)).toEqual([message]);
      expect(await dumpGraph(client)).toEqual(before);
    }
  });

  it('has an index on the id of every relationship type', async () => {
    const session = client.driver.session();
    try {
      const result = await session.run('SHOW INDEXES YIELD entityType, labelsOrTypes, properties WHERE entityType = "RELATIONSHIP" AND properties = ["id"] RETURN labelsOrTypes[0] AS type');
      expect(result.records.map((r) => r.get('type')).sort()).toEqual([...REL_TYPES].sort());
    } finally {
      await session.close();
    }
  });

  it('an old-format dataset (untimed recruitment, no ids, no new files) still imports', async () => {
    await importDir(client, datasetDir({
      'workers.csv': 'id,nationality,headcount\nW1,KP,\n',
      'agencies.csv': 'id,name,country\nA1,Agency,RU\n',
      'factories.csv': 'id,name,country\nF1,Plant,CN\n',
      'companies.csv': 'id,name\nCO1,Buyer\nCO2,Seller\n',
      'products.csv': 'id,name\nP1,Jacket\n',
      'recruitment.csv': 'worker_id,agency_id\nW1,A1\n',
      'labor_supply.csv': 'agency_id,factory_id,from,to\nA1,F1,2012-01-01,2013-01-01\n',
      'supply.csv': 'supplier_id,customer_id\nCO2,CO1\n',
      'sourcing.csv': 'item_id,company_id\nP1,CO2\n',
    }));
    const lines = await dumpGraph(client);
    expect(lines.filter((l) => l.startsWith('rel '))).toHaveLength(4);
    expect(lines.find((l) => l.includes('"W1"'))).not.toContain('headcount');
  });

  it('loads what tracing needs: taint rows only, with ids, placements, intervals and extras; dispatch chains in a region', async () => {
    await importDir(client, datasetDir(REVISED));
    const { graph } = await loadWholeGraph(client);
    expect(graph.node('S1')).toBeUndefined();
    expect(graph.node('E1')).toBeUndefined();
    expect(graph.node('F9')?.source).toBe(true); // a factory in the DPRK
    expect(graph.rows().some((r) => r.type === 'SHIPMENT_OF' || r.type === 'IMPORTED_BY')).toBe(false);

    const region = await loadItemRegion(client, 'P1');
    expect(region).not.toBeNull();
    const rows = region!.rows().map((r) => ({ type: r.type, id: r.id, source: r.source, target: r.target, from: r.from, to: r.to, placement: r.placement, extras: r.extras }));
    // A0 -> A1 -> A2 -> F1: the dispatch chain behind the supplying agency, and recruitment into all of them
    expect(rows.filter((r) => r.type === 'DISPATCHES_TO').map((r) => `${r.source}->${r.target}`).sort()).toEqual(['A0->A1', 'A1->A2']);
    expect(rows.filter((r) => r.type === 'RECRUITED_BY').map((r) => [r.source, r.target, r.placement, r.from])).toEqual(
      expect.arrayContaining([['W1', 'A1', 'F1', '2019-01-01'], ['W2', 'A2', null, null], ['W3', 'A0', null, null]]));
    expect(rows.find((r) => r.type === 'SUPPLIES')).toMatchObject({ source: 'CO2', target: 'CO1', from: '2020-06-01', to: '2022-12-31' });
    expect(rows.find((r) => r.type === 'SOURCED_FROM')).toMatchObject({ source: 'CO1', target: 'P1', from: '2021-01-01', to: null });
    expect(rows.find((r) => r.type === 'DISPATCHES_TO' && r.source === 'A1')).toMatchObject({ id: 'disp-1', extras: { x_route: 'rail' } });
    expect(region!.node('A0')?.source).toBe(false);
    expect(region!.node('A1')?.source).toBe(true);
    expect(region!.node('W3')?.source).toBe(true);
    // the whole-graph load (rows as lists) reads every row of the region (rows as maps) with the same fields
    const whole = (await loadWholeGraph(client)).graph;
    const fields = (r: TaintRow) => ({ ...r, key: r.key, from: r.from, to: r.to, extras: r.extras, interval: { ...r.interval }, rebuttedFor: r.rebuttedFor && [...r.rebuttedFor] });
    for (const r of region!.rows()) expect(fields(whole.rows().find((w) => w.id === r.id)!)).toEqual(fields(r));
    for (const id of region!.nodes.keys()) expect(whole.node(id)).toEqual(region!.node(id));
  });
});

/** A dataset using the revised format's files and columns. */
const REVISED: Record<string, string> = {
  'products.csv': 'id,name\nP1,Jacket\n',
  'components.csv': 'id,name\nC1,Shell\n',
  'bom.csv': 'parent_id,child_id\nP1,C1\n',
  'factories.csv': 'id,name,country,operator_id\nF1,Plant,CN,CO1\nF9,Pyongyang plant,KP,\n',
  'production.csv': 'item_id,factory_id,from,to\nC1,F1,2018,2024\n',
  'companies.csv': 'id,name\nCO1,Brand\nCO2,Supplier\n',
  'agencies.csv': 'id,name,country,dprk_linked\nA0,Broker,CN,\nA1,State corporation,KP,\nA2,Local agency,RU,\n',
  'workers.csv': 'id,nationality,headcount\nW1,KP,40\nW2,KP,\nW3,KP,\n',
  'evidence.csv': 'id,title,published\nE1,Report,2021-03\n',
  'recruitment.csv': 'worker_id,agency_id,factory_id,from,to\nW1,A1,F1,2019,\nW2,A2,,,\nW3,A0,,,\n',
  'dispatch.csv': 'id,agency_id,to_agency_id,from,to,rebuttal,x_route\ndisp-1,A1,A2,2021-03,2023,E1,rail\n,A0,A1,,,,\n',
  'labor_supply.csv': 'agency_id,factory_id,from,to\nA2,F1,2020,\n',
  'supply.csv': 'supplier_id,customer_id,from,to\nCO2,CO1,2020-06,2022\n',
  'sourcing.csv': 'item_id,company_id,from,to\nP1,CO1,2021,\n',
  'shipments.csv': 'id,item_id,importer_id,entry_date,produced_from,produced_to\nS1,P1,CO1,2024-02-12,2023-10,2023-12\n',
};

/** The stored relationships of one type, dates as ISO strings, in source/target/from order. */
async function relationshipsOf(type: string): Promise<Record<string, any>[]> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const out: Record<string, unknown>[] = [];
  await client.readTx(async (tx) => {
    for await (const r of tx.stream<{ type: string; source: string; target: string; props: Record<string, unknown> }>('export/relationships')) {
      if (r.type !== type) continue;
      const p = r.props;
      out.push({
        ...p, source: r.source, target: r.target,
        from: p.from === undefined ? null : String(p.from), to: p.to === undefined ? null : String(p.to),
        fromIsDate: p.from !== undefined && isDate(p.from as object), toIsDate: p.to !== undefined && isDate(p.to as object),
      });
    }
  });
  return out.sort((a, b) => `${a.source} ${a.target} ${a.from}`.localeCompare(`${b.source} ${b.target} ${b.from}`));
}
