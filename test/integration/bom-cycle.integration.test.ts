import { readDataset } from '../../src/dataset/dataset.reader';
import { formatError } from '../../src/dataset/dataset.types';
import type { Neo4jClient } from '../../src/db/neo4j-client';
import { ImportConflictError, importDataset } from '../../src/import/import.service';
import { BomCycleError } from '../../src/trace/engine/trace.engine';
import { TraceService } from '../../src/trace/trace.service';
import { datasetDir, dumpGraph, importDir, resetGraph, testClient } from '../helpers/neo4j';

let client: Neo4jClient;

beforeAll(async () => {
  client = await testClient();
});
afterAll(() => client.close());
beforeEach(() => resetGraph(client));

const components = (...ids: string[]) => `id,name\n${ids.map((id) => `${id},Part ${id}`).join('\n')}\n`;
const bom = (...rows: [string, string][]) => `parent_id,child_id,quantity\n${rows.map(([p, c]) => `${p},${c},1`).join('\n')}\n`;

/** The errors an import of `files` is refused with (formatted), or null when it is accepted. */
async function refusal(files: Record<string, string>): Promise<string[] | null> {
  const result = await readDataset(datasetDir(files));
  if (!result.ok) throw new Error(`invalid test dataset:\n${result.errors.map(formatError).join('\n')}`);
  try {
    await importDataset(client, result.dataset);
    return null;
  } catch (e) {
    if (!(e instanceof ImportConflictError)) throw e;
    return e.errors.map(formatError);
  }
}

describe('a BOM cycle can never be stored', () => {
  it('two imports that together close a cycle: the second is refused at its closing row, naming the ids, and writes nothing', async () => {
    await importDir(client, datasetDir({
      'products.csv': 'id,name\nP,Product\n',
      'components.csv': components('A', 'B', 'C'),
      'bom.csv': bom(['P', 'A'], ['A', 'B'], ['B', 'C']),
    }));
    const before = await dumpGraph(client);
    const errors = await refusal({
      'components.csv': components('A', 'C', 'D'),
      'bom.csv': bom(['A', 'D'], ['C', 'A']), // C -> A closes A -> B -> C (stored) into a cycle
    });
    expect(errors).not.toBeNull();
    expect(errors).toHaveLength(1);
    expect(errors![0]).toMatch(/^bom\.csv:3:\d+: bill of materials has a cycle: A -> B -> C -> A$/);
    expect(await dumpGraph(client)).toEqual(before); // not even component D or the row A -> D
  });

  it('the closing row is the last row of the dataset on the cycle; the cycle may run through several imports', async () => {
    await importDir(client, datasetDir({ 'components.csv': components('A', 'B'), 'bom.csv': bom(['A', 'B']) }));
    await importDir(client, datasetDir({ 'components.csv': components('C', 'B'), 'bom.csv': bom(['B', 'C']) }));
    const before = await dumpGraph(client);
    const errors = await refusal({
      'components.csv': components('C', 'D', 'A', 'X'),
      'bom.csv': bom(['C', 'D'], ['X', 'A'], ['D', 'A']),
    });
    expect(errors).toEqual([expect.stringMatching(/^bom\.csv:4:\d+: bill of materials has a cycle: A -> B -> C -> D -> A$/)]);
    expect(await dumpGraph(client)).toEqual(before);
  });

  it('shared components (a diamond across imports) are no cycle', async () => {
    await importDir(client, datasetDir({ 'products.csv': 'id,name\nP,Product\n', 'components.csv': components('A', 'B', 'C'), 'bom.csv': bom(['P', 'A'], ['A', 'C']) }));
    expect(await refusal({ 'products.csv': 'id,name\nP,Product\n', 'components.csv': components('B', 'C'), 'bom.csv': bom(['P', 'B'], ['B', 'C']) })).toBeNull();
    expect((await dumpGraph(client)).filter((l) => l.startsWith('rel COMPONENT_OF'))).toHaveLength(4);
  });

  it('two imports at once that would close a cycle together: one is stored, the other refused', async () => {
    await importDir(client, datasetDir({ 'components.csv': components('A', 'B', 'C', 'D'), 'bom.csv': bom(['A', 'B'], ['C', 'D']) }));
    const one = { 'components.csv': components('B', 'C'), 'bom.csv': bom(['B', 'C']) };
    const two = { 'components.csv': components('D', 'A'), 'bom.csv': bom(['D', 'A']) };
    const outcomes = await Promise.all([refusal(one), refusal(two)]);
    expect(outcomes.filter((o) => o === null)).toHaveLength(1);
    const refused = outcomes.find((o) => o !== null)!;
    expect(refused).toEqual([expect.stringMatching(/^bom\.csv:2:\d+: bill of materials has a cycle: ([ABCD]) -> [ABCD] -> [ABCD] -> [ABCD] -> \1$/)]);
    expect((await dumpGraph(client)).filter((l) => l.startsWith('rel COMPONENT_OF'))).toHaveLength(3);
  });

  it('a cycle already in the store (written before this check): the engine names it instead of hanging; imports touching it are refused', async () => {
    await importDir(client, datasetDir({
      'workers.csv': 'id,nationality\nW,KP\n',
      'factories.csv': 'id,name,country\nF,Plant,CN\n',
      'employment.csv': 'worker_id,factory_id,from,to\nW,F,,\n',
      'production.csv': 'factory_id,item_id,from,to\nF,B,,\n',
      'products.csv': 'id,name\nP,Product\n',
      'components.csv': components('A', 'B'),
      'bom.csv': bom(['P', 'A'], ['A', 'B']),
    }));
    // as a store filled by hand or by an earlier labortrace could be
    await client.driver.executeQuery("MATCH (a:Entity {id: 'A'}), (b:Entity {id: 'B'}) CREATE (a)-[:COMPONENT_OF {id: 'r-hand', key: 'hand'}]->(b)");
    const service = new TraceService(client);
    const started = Date.now();
    await expect(service.trace('P')).rejects.toThrow(BomCycleError);
    await expect(service.trace('P')).rejects.toThrow('bill of materials has a cycle: A -> B -> A');
    await expect(service.screen()).rejects.toThrow(BomCycleError);
    expect(Date.now() - started).toBeLessThan(30_000);
    // a row below the cycle does not reach it and is accepted; one above it reaches it and is refused
    expect(await refusal({ 'components.csv': components('B', 'C'), 'bom.csv': bom(['B', 'C']) })).toBeNull();
    const errors = await refusal({ 'components.csv': components('A', 'D'), 'bom.csv': bom(['D', 'A']) });
    expect(errors).toEqual([expect.stringMatching(/^bom\.csv:2:\d+: bill of materials has a cycle: [AB] -> [AB] -> [AB] \(already in the database; import with --replace to repair it\)$/)]);
  });
});
