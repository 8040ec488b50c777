import { fieldPath, finishChangeInput, inputListName, parseChangeInput } from '../../src/changes/change-input';
import { DatasetValidator } from '../../src/dataset/dataset.validator';
import type { Dataset } from '../../src/dataset/dataset.types';

/** What the CSV path gives for the same rows: the validator fed file by file, header then lines. */
function viaCsv(files: Record<string, string[][]>): Dataset {
  const v = new DatasetValidator();
  for (const [file, [header, ...rows]] of Object.entries(files)) {
    v.startFile(file, header);
    rows.forEach((row, i) => v.addRow(file, i + 2, row));
  }
  const result = v.finish();
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.dataset;
}

/** Datasets compared without where each row came from (a file line for CSV, an input index for the API). */
const content = (d: Dataset) => ({
  nodes: d.nodes.map(({ at: _at, ...n }) => n).sort((a, b) => a.id.localeCompare(b.id)),
  relationships: d.relationships.map(({ at: _at, ...r }) => r).sort((a, b) => a.id.localeCompare(b.id)),
});

describe('applyChanges input goes through the dataset validator', () => {
  it('names each input list like its dataset file in camelCase (CHANGES.md)', () => {
    expect(inputListName('labor_supply.csv')).toBe('laborSupply');
    expect(inputListName('employment.csv')).toBe('employment');
    expect(inputListName('bom.csv')).toBe('bom');
  });

  it('gives the dataset the same rows give as CSV: partial dates, lists, booleans, numbers, x_ columns, placements', () => {
    const parsed = parseChangeInput({
      lists: {
        workers: [{ id: 'W1', nationality: 'kp', headcount: 12, evidence: ['E1'], extra: [{ key: 'x_source', value: 'audit' }] }],
        factories: [{ id: 'F1', name: 'Plant', country: 'CN', lat: 40.5 }],
        agencies: [{ id: 'A1', name: 'Agency', dprkLinked: true }],
        evidence: [{ id: 'E1', title: 'Report', published: '2024-03' }],
        employment: [{ workerId: 'W1', factoryId: 'F1', from: '2023', to: '2023-06', evidence: ['E1'], rebuttal: ['E1'] }],
        recruitment: [{ id: 'rec-1', workerId: 'W1', agencyId: 'A1', factoryId: 'F1', from: '2022-01-15' }],
      },
    });
    const result = finishChangeInput(parsed, new Map());
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    expect(content(result.dataset)).toEqual(content(viaCsv({
      'workers.csv': [['id', 'nationality', 'headcount', 'evidence', 'x_source'], ['W1', 'kp', '12', 'E1', 'audit']],
      'factories.csv': [['id', 'name', 'country', 'lat'], ['F1', 'Plant', 'CN', '40.5']],
      'agencies.csv': [['id', 'name', 'dprk_linked'], ['A1', 'Agency', 'true']],
      'evidence.csv': [['id', 'title', 'published'], ['E1', 'Report', '2024-03']],
      'employment.csv': [['worker_id', 'factory_id', 'from', 'to', 'evidence', 'rebuttal'], ['W1', 'F1', '2023', '2023-06', 'E1', 'E1']],
      'recruitment.csv': [['id', 'worker_id', 'agency_id', 'factory_id', 'from'], ['rec-1', 'W1', 'A1', 'F1', '2022-01-15']],
    })));
  });

  it('reports every problem at its input path, references to the stored graph included', () => {
    const parsed = parseChangeInput({
      lists: {
        employment: [
          { workerId: 'W-STORED', factoryId: 'F-STORED', from: '2020-01-01' },
          { workerId: 'W-STORED', factoryId: 'F-NOWHERE', from: '2020-01-01' },
          { workerId: 'W-STORED', factoryId: 'F-STORED', from: '2021-05-01', to: '2021-01-01' },
          { workerId: 'P-STORED', factoryId: 'F-STORED' },
        ],
        products: [{ id: 'P-NEW' }],
      },
      retire: ['X'],
    });
    expect(parsed.validator.referencedOutside().sort()).toEqual(['F-NOWHERE', 'F-STORED', 'P-STORED', 'W-STORED']);
    const result = finishChangeInput(parsed, new Map([['W-STORED', 'Worker'], ['F-STORED', 'Factory'], ['P-STORED', 'Product']]));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const at = result.errors.map((e) => `${fieldPath(parsed.files, e)}: ${e.message}`);
    expect(at).toEqual(expect.arrayContaining([
      expect.stringMatching(/^input\.employment\[1\]\.factoryId: .*F-NOWHERE.*not defined in the change set or the graph/),
      expect.stringMatching(/^input\.employment\[2\]\.to: /),
      expect.stringMatching(/^input\.employment\[3\]\.workerId: .*P-STORED.* is a Product in the graph/),
      expect.stringMatching(/^input\.products\[0\]\.name: /),
    ]));
    expect(at.filter((e) => e.startsWith('input.employment[0]'))).toEqual([]);
    expect(parsed.retire).toEqual([{ id: 'X', at: { file: 'retire', line: 0 } }]);
    expect(fieldPath(parsed.files, parsed.retire[0].at)).toBe('input.retire[0]');
  });

  it('keeps each row\'s expected version by its position', () => {
    const parsed = parseChangeInput({ lists: { products: [{ id: 'P1', name: 'a' }, { id: 'P2', name: 'b', expectedVersion: 3 }] } });
    expect([...parsed.expected.values()]).toEqual([3]);
    const result = finishChangeInput(parsed, new Map());
    if (!result.ok) throw new Error('valid');
    const p2 = result.dataset.nodes.find((n) => n.id === 'P2')!;
    expect(fieldPath(parsed.files, p2.at)).toBe('input.products[1].id');
    expect(fieldPath(parsed.files, { ...p2.at, column: 0 })).toBe('input.products[1].expectedVersion');
  });
});
