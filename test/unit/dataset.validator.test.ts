import { readDataset } from '../../src/dataset/dataset.reader';
import { formatError } from '../../src/dataset/dataset.types';
import { datasetDir } from '../helpers/neo4j';

const valid = {
  'products.csv': 'id,name\nP1,Jacket\n',
  'components.csv': 'id,name\nC1,Zipper\nC2,Tape\n',
  'factories.csv': 'id,name,country\nF1,Plant,cn\n',
  'workers.csv': 'id,nationality\nW1,kp\n',
  'bom.csv': 'parent_id,child_id\nP1,C1\nC1,C2\n',
  'employment.csv': 'worker_id,factory_id,from,to\nW1,F1,2012-01-01,2013-01-01\n',
};

async function errorsOf(overrides: Record<string, string>): Promise<string[]> {
  const result = await readDataset(datasetDir({ ...valid, ...overrides }));
  return result.ok ? [] : result.errors.map(formatError);
}

describe('dataset validation (DATA-FORMAT.md)', () => {
  it('accepts a valid dataset, normalizing codes and keeping x_ columns', async () => {
    const result = await readDataset(datasetDir({ ...valid, 'workers.csv': '\uFEFFid,nationality,x_source\n W1 ,kp,"a, b"\n' }));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const w = result.dataset.nodes.find((n) => n.id === 'W1')!;
    expect(w.props).toEqual({ nationality: 'KP', x_source: 'a, b' });
  });

  it.each([
    ['missing required column', { 'products.csv': 'id\nP1\n' }, "products.csv:1:1: missing required column 'name'"],
    ['unknown column', { 'products.csv': 'id,name,colour\nP1,J,red\n' }, "products.csv:1:3: unknown column 'colour'"],
    ['empty required value', { 'products.csv': 'id,name\nP1,\n' }, "products.csv:2:2: 'name' is required"],
    ['duplicate id across files', { 'components.csv': 'id,name\nC1,Z\nP1,Dup\n' }, "components.csv:3:1: duplicate id 'P1' (already defined at products.csv:2)"],
    ['dangling reference', { 'bom.csv': 'parent_id,child_id\nP1,C9\n' }, "bom.csv:2:2: child_id 'C9' is not defined in any node file"],
    ['reference to the wrong kind', { 'bom.csv': 'parent_id,child_id\nP1,F1\n' }, "bom.csv:2:2: child_id 'F1' is a Factory (factories.csv:2), expected Product or Component"],
    ['bad date', { 'employment.csv': 'worker_id,factory_id,from\nW1,F1,2012-02-30\n' }, "employment.csv:2:3: from: '2012-02-30' is not a calendar date"],
    ['from after to', { 'employment.csv': 'worker_id,factory_id,from,to\nW1,F1,2014-01-01,2013-01-01\n' }, "employment.csv:2:4: 'from' 2014-01-01 is after 'to' 2013-01-01"],
    ['bad boolean', { 'agencies.csv': 'id,name,dprk_linked\nA1,Agency,maybe\n' }, "agencies.csv:2:3: dprk_linked: 'maybe' is not a boolean (true/false/yes/no/1/0 or empty)"],
    ['bad country', { 'factories.csv': 'id,name,country\nF1,Plant,XX\n' }, "factories.csv:2:3: country: 'XX' is not an ISO 3166-1 alpha-2 country code"],
    ['unknown evidence id', { 'products.csv': 'id,name,evidence\nP1,J,E1;E2\n' }, "products.csv:2:3: evidence 'E1' is not defined in any node file"],
    ['wrong field count', { 'products.csv': 'id,name\nP1,J,extra\n' }, 'products.csv:2:3: expected 2 fields as in the header, found 3'],
    ['unknown file', { 'product.csv': 'id,name\n' }, 'product.csv:1:1: unknown file; a dataset has products.csv'],
  ])('%s', async (_, files, expected) => {
    const errors = await errorsOf(files as Record<string, string>);
    expect(errors.some((e) => e.startsWith(expected))).toBe(true);
  });

  it('names the ids on a bill-of-materials cycle', async () => {
    const errors = await errorsOf({ 'bom.csv': 'parent_id,child_id\nP1,C1\nC1,C2\nC2,C1\n' });
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^bom\.csv:\d+:\d+: bill of materials has a cycle: (C1 -> C2 -> C1|C2 -> C1 -> C2)$/);
  });

  it('reports the line where a multi-line quoted record starts', async () => {
    const errors = await errorsOf({ 'products.csv': 'id,name,brand\nP1,"Jacket\nwith two lines",x\nP2,,y\n' });
    expect(errors).toEqual(["products.csv:4:2: 'name' is required"]);
  });

  it('reports every error, in file order, up to the cap', async () => {
    const rows = Array.from({ length: 150 }, (_, i) => `X${i},`).join('\n');
    const result = await readDataset(datasetDir({ ...valid, 'components.csv': `id,name\n${rows}\n` }));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errorCount).toBeGreaterThanOrEqual(150);
    expect(result.errors).toHaveLength(100);
  });
});
