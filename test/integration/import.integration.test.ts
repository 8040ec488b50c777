import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readDataset } from '../../src/dataset/dataset.reader';
import type { Neo4jClient } from '../../src/db/neo4j-client';
import { exportDataset } from '../../src/export/export.service';
import { ImportConflictError, importDataset } from '../../src/import/import.service';
import { datasetDir, dumpGraph, importDir, resetGraph, testClient } from '../helpers/neo4j';

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
    const out = mkdtempSync(path.join(os.tmpdir(), 'labortrace-export-'));
    await exportDataset(client, out);
    await resetGraph(client);
    await importDir(client, out);
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
    expect(result.ok).toBe(false);
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
});
