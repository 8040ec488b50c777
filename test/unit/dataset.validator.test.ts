import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DatasetDirectoryError, readDataset } from '../../src/dataset/dataset.reader';
import { MAX_CELL_CHARS, MAX_FIELD_CHARS, MAX_ID_CHARS, MAX_NAME_CHARS } from '../../src/dataset/dataset.spec';
import { formatError, type Dataset } from '../../src/dataset/dataset.types';
import { relationshipId, relationshipKey } from '../../src/model/graph-model';
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

async function datasetOf(overrides: Record<string, string>): Promise<Dataset> {
  const result = await readDataset(datasetDir({ ...valid, ...overrides }));
  if (!result.ok) throw new Error(`expected a valid dataset:\n${result.errors.map(formatError).join('\n')}`);
  return result.dataset;
}

/** Nodes and files the revised format adds: agencies, a company, a dispatch chain, a shipment. */
const revised = {
  ...valid,
  'factories.csv': 'id,name,country\nF1,Plant,cn\nF2,Other plant,ru\n',
  'companies.csv': 'id,name\nCO1,Importer\nCO2,Supplier\n',
  'agencies.csv': 'id,name,country\nA1,State corp,kp\nA2,Local agency,ru\n',
  'evidence.csv': 'id,title\nE1,Report\n',
};

describe('dataset validation (DATA-FORMAT.md)', () => {
  it('accepts a valid dataset, normalizing codes and keeping x_ columns', async () => {
    const result = await readDataset(datasetDir({ ...valid, 'workers.csv': '\uFEFFid,nationality,x_source\n W1 ,kp,"a, b"\n' }));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const w = result.dataset.nodes.find((n) => n.id === 'W1')!;
    expect(w.props).toEqual({ nationality: 'KP', x_source: 'a, b' });
  });

  // Each case lists every error the dataset has: a spurious extra error (a knock-on of the first) fails the test.
  it.each([
    ['missing required column', { 'products.csv': 'id\nP1\n' }, ["products.csv:1:1: missing required column 'name'"]],
    ['unknown column', { 'products.csv': 'id,name,colour\nP1,J,red\n' },
      ["products.csv:1:3: unknown column 'colour'; products.csv has id, name, sku, hs_code, brand, evidence (and x_* extras)"]],
    ['empty required value', { 'products.csv': 'id,name\nP1,\n' }, ["products.csv:2:2: 'name' is required"]],
    ['duplicate id across files (C2 now undefined as well)', { 'components.csv': 'id,name\nC1,Z\nP1,Dup\n' }, [
      "components.csv:3:1: duplicate id 'P1' (already defined at products.csv:2)",
      "bom.csv:3:2: child_id 'C2' is not defined in any node file",
    ]],
    ['dangling reference', { 'bom.csv': 'parent_id,child_id\nP1,C9\n' }, ["bom.csv:2:2: child_id 'C9' is not defined in any node file"]],
    ['reference to the wrong kind', { 'bom.csv': 'parent_id,child_id\nP1,F1\n' },
      ["bom.csv:2:2: child_id 'F1' is a Factory (factories.csv:2), expected Product or Component"]],
    ['bad date', { 'employment.csv': 'worker_id,factory_id,from\nW1,F1,2012-02-30\n' }, ["employment.csv:2:3: from: '2012-02-30' is not a calendar date"]],
    ['from after to', { 'employment.csv': 'worker_id,factory_id,from,to\nW1,F1,2014-01-01,2013-01-01\n' },
      ["employment.csv:2:4: 'from' 2014-01-01 is after 'to' 2013-01-01"]],
    ['bad boolean', { 'agencies.csv': 'id,name,dprk_linked\nA1,Agency,maybe\n' },
      ["agencies.csv:2:3: dprk_linked: 'maybe' is not a boolean (true/false/yes/no/1/0 or empty)"]],
    ['bad country (the factory is not reported again as undefined)', { 'factories.csv': 'id,name,country\nF1,Plant,XX\n' },
      ["factories.csv:2:3: country: 'XX' is not an ISO 3166-1 alpha-2 country code"]],
    ['unknown evidence ids', { 'products.csv': 'id,name,evidence\nP1,J,E1;E2\n' }, [
      "products.csv:2:3: evidence 'E1' is not defined in any node file",
      "products.csv:2:3: evidence 'E2' is not defined in any node file",
    ]],
    ['wrong field count', { 'products.csv': 'id,name\nP1,J,extra\n' }, ['products.csv:2:3: expected 2 fields as in the header, found 3']],
    ['unknown file', { 'product.csv': 'id,name\n' }, [
      'product.csv:1:1: unknown file; a dataset has products.csv, components.csv, factories.csv, companies.csv, agencies.csv, workers.csv, '
        + 'evidence.csv, shipments.csv, bom.csv, production.csv, subcontracts.csv, employment.csv, recruitment.csv, dispatch.csv, '
        + 'labor_supply.csv, supply.csv, sourcing.csv',
    ]],
  ])('%s', async (_, files, expected) => {
    expect(await errorsOf(files as Record<string, string>)).toEqual(expected);
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
    // 150 rows without a name, and bom.csv's three references to C1 and C2, which components.csv no longer defines
    expect(result.errorCount).toBe(153);
    expect(result.errors.map(formatError)).toEqual(Array.from({ length: 100 }, (_, i) => `components.csv:${i + 2}:2: 'name' is required`));
  });

  describe('the revised format', () => {
    it('resolves a partial from to its first day and a partial to to its last, keeping the text', async () => {
      const d = await datasetOf({ 'employment.csv': 'worker_id,factory_id,from,to\nW1,F1,2012,2013-02\n' });
      const r = d.relationships.find((x) => x.type === 'EMPLOYED_AT')!;
      expect([r.from, r.to]).toEqual(['2012-01-01', '2013-02-28']);
      expect(r.props).toEqual({ from_text: '2012', to_text: '2013-02' });
      expect(r.key).toBe(relationshipKey('EMPLOYED_AT', 'W1', 'F1', '2012-01-01', '2013-02-28'));
    });

    it('keeps no text for full dates', async () => {
      const d = await datasetOf({});
      const r = d.relationships.find((x) => x.type === 'EMPLOYED_AT')!;
      expect([r.from, r.to, r.props]).toEqual(['2012-01-01', '2013-01-01', {}]);
    });

    it.each([
      ['a month 13', '2023-13', "employment.csv:2:3: from: '2023-13' is not a month (expected YYYY-MM with MM 01..12)"],
      ['five digits', '20234', "employment.csv:2:3: from: '20234' is not a date (expected YYYY-MM-DD, YYYY-MM or YYYY)"],
    ])('refuses a bad partial date: %s', async (_, text, expected) => {
      expect(await errorsOf({ 'employment.csv': `worker_id,factory_id,from\nW1,F1,${text}\n` })).toEqual([expected]);
    });

    it('compares from and to as the resolved days', async () => {
      // the same month as from and to is one month, not an error; a day inside a partial `to` month is before its end
      expect(await errorsOf({ 'employment.csv': 'worker_id,factory_id,from,to\nW1,F1,2013-06,2013-06\nW1,F1,2013-06-20,2013-06\n' })).toEqual([]);
      expect(await errorsOf({ 'employment.csv': 'worker_id,factory_id,from,to\nW1,F1,2013-07,2013-06\n' }))
        .toEqual(["employment.csv:2:4: 'from' 2013-07 (2013-07-01) is after 'to' 2013-06 (2013-06-30)"]);
    });

    it('accepts partial dates in evidence published and shipment dates, as their first (or, produced_to, last) day', async () => {
      const d = await datasetOf({
        ...revised,
        'evidence.csv': 'id,title,published\nE1,Report,2021-03\n',
        'shipments.csv': 'id,item_id,importer_id,entry_date,produced_from,produced_to,quantity,declared_origin\nS1,P1,CO1,2024,2023-10,2023-12,2400,cn\n',
      });
      expect(d.nodes.find((n) => n.id === 'E1')!.props).toEqual({ title: 'Report', published: '2021-03-01', published_text: '2021-03' });
      expect(d.nodes.find((n) => n.id === 'S1')!.props).toEqual({
        entry_date: '2024-01-01', entry_date_text: '2024', produced_from: '2023-10-01', produced_from_text: '2023-10',
        produced_to: '2023-12-31', produced_to_text: '2023-12', quantity: 2400, declared_origin: 'CN',
      });
    });

    it('makes a shipment a node with SHIPMENT_OF and IMPORTED_BY relationships', async () => {
      const d = await datasetOf({ ...revised, 'shipments.csv': 'id,item_id,importer_id,evidence\nS1,P1,CO1,E1\nS2,C1,,\n' });
      expect(d.nodes.find((n) => n.id === 'S1')!.kind).toBe('Shipment');
      const rels = d.relationships.filter((r) => r.source === 'S1' || r.source === 'S2').map((r) => `${r.type} ${r.source}->${r.target}`);
      expect(rels.sort()).toEqual(['IMPORTED_BY S1->CO1', 'SHIPMENT_OF S1->P1', 'SHIPMENT_OF S2->C1']);
    });

    it.each([
      ['item_id is required', 'id,item_id\nS1,\n', "shipments.csv:2:2: 'item_id' is required"],
      ['item_id must name an item', 'id,item_id\nS1,F1\n', "shipments.csv:2:2: item_id 'F1' is a Factory (factories.csv:2), expected Product or Component"],
      ['importer_id must name a company', 'id,item_id,importer_id\nS1,P1,A1\n', "shipments.csv:2:3: importer_id 'A1' is a LaborAgency (agencies.csv:2), expected Company"],
      ['produced_from after produced_to', 'id,item_id,produced_from,produced_to\nS1,P1,2024-01,2023\n', "shipments.csv:2:4: 'produced_from' 2024-01 (2024-01-01) is after 'produced_to' 2023 (2023-12-31)"],
      ['bad declared_origin', 'id,item_id,declared_origin\nS1,P1,ZZ\n', "shipments.csv:2:3: declared_origin: 'ZZ' is not an ISO 3166-1 alpha-2 country code"],
      ['bad quantity', 'id,item_id,quantity\nS1,P1,many\n', "shipments.csv:2:3: quantity: 'many' is not a number (expected a decimal number such as 12.5 or -3)"],
      ['bad entry_date', 'id,item_id,entry_date\nS1,P1,2024-13\n', "shipments.csv:2:3: entry_date: '2024-13' is not a month (expected YYYY-MM with MM 01..12)"],
      ['id shared with another node', 'id,item_id\nP1,P1\n', "shipments.csv:2:1: duplicate id 'P1' (already defined at products.csv:2)"],
    ])('shipments: %s', async (_, csv, expected) => {
      expect(await errorsOf({ ...revised, 'shipments.csv': csv })).toEqual([expected]);
    });

    it('stores a recruitment placement, which must be a factory', async () => {
      const d = await datasetOf({ ...revised, 'recruitment.csv': 'worker_id,agency_id,factory_id,from,to\nW1,A2,F1,2019,\nW1,A2,,2019,\n' });
      const rows = d.relationships.filter((r) => r.type === 'RECRUITED_BY');
      expect(rows.map((r) => [r.placement, r.from, r.to])).toEqual([['F1', '2019-01-01', null], [null, '2019-01-01', null]]);
      expect(rows[0].key).toBe(relationshipKey('RECRUITED_BY', 'W1', 'A2', '2019-01-01', null, 'F1'));
      expect(await errorsOf({ ...revised, 'recruitment.csv': 'worker_id,agency_id,factory_id\nW1,A2,CO1\n' }))
        .toEqual(["recruitment.csv:2:3: factory_id 'CO1' is a Company (companies.csv:2), expected Factory"]);
      expect(await errorsOf({ ...revised, 'recruitment.csv': 'worker_id,agency_id,factory_id\nW1,A2,F9\n' }))
        .toEqual(["recruitment.csv:2:3: factory_id 'F9' is not defined in any node file"]);
    });

    it('reads dispatch.csv between agencies, timed, with rebuttals', async () => {
      const d = await datasetOf({ ...revised, 'dispatch.csv': 'agency_id,to_agency_id,from,to,evidence,rebuttal\nA1,A2,2021-03,2023,E1,E1\n' });
      const r = d.relationships.find((x) => x.type === 'DISPATCHES_TO')!;
      expect([r.source, r.target, r.from, r.to, r.evidence, r.rebuttals]).toEqual(['A1', 'A2', '2021-03-01', '2023-12-31', ['E1'], ['E1']]);
      expect(await errorsOf({ ...revised, 'dispatch.csv': 'agency_id,to_agency_id\nA1,F1\nW1,A2\n' })).toEqual([
        "dispatch.csv:2:2: to_agency_id 'F1' is a Factory (factories.csv:2), expected LaborAgency",
        "dispatch.csv:3:1: agency_id 'W1' is a Worker (workers.csv:2), expected LaborAgency",
      ]);
    });

    it('times supply and sourcing', async () => {
      const d = await datasetOf({
        ...revised,
        'supply.csv': 'supplier_id,customer_id,from,to\nCO2,CO1,2020-06,2022\n',
        'sourcing.csv': 'item_id,company_id,from,to\nC1,CO2,2021,\n',
      });
      expect(d.relationships.filter((r) => r.type === 'SUPPLIES' || r.type === 'SOURCED_FROM').map((r) => [r.type, r.from, r.to]))
        .toEqual([['SUPPLIES', '2020-06-01', '2022-12-31'], ['SOURCED_FROM', '2021-01-01', null]]);
    });

    it('keeps an empty headcount absent (unknown), never 1', async () => {
      const d = await datasetOf({ 'workers.csv': 'id,nationality,headcount\nW1,kp,\n' });
      expect(d.nodes.find((n) => n.id === 'W1')!.props).toEqual({ nationality: 'KP' });
    });

    it('still reads an old-format dataset (untimed recruitment, no ids, no new files)', async () => {
      const d = await datasetOf({
        ...revised,
        'recruitment.csv': 'worker_id,agency_id,evidence\nW1,A1,E1\n',
        'supply.csv': 'supplier_id,customer_id\nCO2,CO1\n',
        'sourcing.csv': 'item_id,company_id\nC1,CO2\n',
      });
      const r = d.relationships.find((x) => x.type === 'RECRUITED_BY')!;
      expect([r.from, r.to, r.placement, r.id]).toEqual([null, null, null, relationshipId(r.key)]);
    });
  });

  describe('relationship ids', () => {
    it('derives an opaque id from the natural key when the row gives none', async () => {
      const d = await datasetOf({});
      for (const r of d.relationships) expect(r.id).toBe(relationshipId(r.key));
      expect(d.relationships[0].id).toMatch(/^r-[0-9a-f]{20}$/);
    });

    it('takes the id a row gives, in any relationship file', async () => {
      const d = await datasetOf({
        'bom.csv': 'id,parent_id,child_id\nbom-1,P1,C1\n,C1,C2\n',
        'employment.csv': 'worker_id,factory_id,from,to,id\nW1,F1,2012-01-01,2013-01-01,emp_W1-F1\n',
      });
      expect(d.relationships.map((r) => r.id).sort()).toEqual(['bom-1', 'emp_W1-F1', relationshipId(relationshipKey('COMPONENT_OF', 'C2', 'C1'))].sort());
    });

    it.each([
      ['starts with a digit', '1abc'],
      ['has a space', 'emp 1'],
      ['has a dot', 'emp.1'],
      ['is too long', `e${'x'.repeat(128)}`],
    ])('refuses an id that %s, at its column', async (_, id) => {
      const quoted = id.length > 40 ? `'${id.slice(0, 40)}…'` : `'${id}'`; // long values are shortened in messages
      expect(await errorsOf({ 'employment.csv': `worker_id,factory_id,id\nW1,F1,${id}\n` }))
        .toEqual([`employment.csv:2:3: id: ${quoted} is not a relationship id (a letter, then up to 127 letters, digits, '_' or '-')`]);
    });

    it('accepts the same id twice only on identical rows (their evidence merged)', async () => {
      const d = await datasetOf({
        'evidence.csv': 'id,title\nE1,One\nE2,Two\n',
        'employment.csv': 'id,worker_id,factory_id,from,evidence\nemp-1,W1,F1,2012,E1\nemp-1,W1,F1,2012,E2\n',
      });
      expect(d.relationships.filter((r) => r.type === 'EMPLOYED_AT').map((r) => [r.id, r.evidence])).toEqual([['emp-1', ['E1', 'E2']]]);
      expect(await errorsOf({ 'employment.csv': 'id,worker_id,factory_id,from\nemp-1,W1,F1,2012\nemp-1,W1,F1,2013\n' }))
        .toEqual(["employment.csv:3:1: relationship id 'emp-1' is already the id of another relationship at employment.csv:2"]);
    });

    it('keeps ids unique across relationship files', async () => {
      expect(await errorsOf({
        'bom.csv': 'id,parent_id,child_id\nrel-1,P1,C1\n',
        'employment.csv': 'id,worker_id,factory_id\nrel-1,W1,F1\n',
      })).toEqual(["employment.csv:2:1: relationship id 'rel-1' is already the id of another relationship at bom.csv:2"]);
    });

    it('a row without an id repeating a named row is that relationship; two ids for one relationship are an error', async () => {
      const d = await datasetOf({ 'employment.csv': 'id,worker_id,factory_id,from\n,W1,F1,2012\nemp-1,W1,F1,2012\n' });
      expect(d.relationships.filter((r) => r.type === 'EMPLOYED_AT').map((r) => r.id)).toEqual(['emp-1']);
      expect(await errorsOf({ 'employment.csv': 'id,worker_id,factory_id,from\nemp-1,W1,F1,2012\nemp-2,W1,F1,2012-01-01\n' }))
        .toEqual(["employment.csv:3:1: repeats the relationship 'emp-1' at employment.csv:2 (same type, ends and interval) under another id"]);
    });

    it('keeps the merge rule for rows without ids (same natural key: one relationship)', async () => {
      const d = await datasetOf({ 'employment.csv': 'worker_id,factory_id,from,to\nW1,F1,2012-01-01,2013-12-31\nW1,F1,2012-01-01,2013-12-31\n' });
      expect(d.relationships.filter((r) => r.type === 'EMPLOYED_AT')).toHaveLength(1);
      expect(await errorsOf({ 'bom.csv': 'parent_id,child_id,quantity\nP1,C1,1\nP1,C1,2\nC1,C2,\n' }))
        .toEqual(['bom.csv:3:2: repeats the relationship at bom.csv:2 with different values']);
    });
  });
});


describe('corrupted and hostile input (issue 8)', () => {
  it('refuses a NUL character in a cell, at its column, instead of storing it', async () => {
    expect(await errorsOf({ 'products.csv': 'id,name\nP1,Jack\u0000et\n' }))
      .toEqual(['products.csv:2:2: name: contains a NUL character (U+0000); a cell holds text, not binary data']);
  });

  it('refuses cells over their size limit before anything is written, naming file, line and column', async () => {
    const huge = 'x'.repeat(MAX_NAME_CHARS + 1);
    expect(await errorsOf({ 'products.csv': `id,name,brand\nP1,${huge},ok\n` }))
      .toEqual([`products.csv:2:2: name: ${MAX_NAME_CHARS + 1} characters; at most ${MAX_NAME_CHARS} are allowed here (docs/data-format.md, "Size limits")`]);
    const longId = 'P'.repeat(MAX_ID_CHARS + 1);
    expect(await errorsOf({ 'products.csv': `id,name\n${longId},Jacket\nP1,Jacket\n` }))
      .toEqual([`products.csv:2:1: id: ${MAX_ID_CHARS + 1} characters; at most ${MAX_ID_CHARS} are allowed here (docs/data-format.md, "Size limits")`]);
    expect(await errorsOf({ 'products.csv': `id,name,x_notes\nP1,Jacket,${'n'.repeat(MAX_CELL_CHARS + 1)}\n` }))
      .toEqual([`products.csv:2:3: x_notes: ${MAX_CELL_CHARS + 1} characters; at most ${MAX_CELL_CHARS} are allowed here (docs/data-format.md, "Size limits")`]);
    // at the limit, in 4-byte characters (code points count once): accepted
    const d = await datasetOf({ 'products.csv': `id,name\nP1,${'𝄞'.repeat(MAX_NAME_CHARS)}\n` });
    expect(d.nodes.find((n) => n.id === 'P1')!.props.name).toBe('𝄞'.repeat(MAX_NAME_CHARS));
  });

  it('refuses a field longer than the reader holds at once, at the record it is in', async () => {
    const errors = await errorsOf({ 'products.csv': `id,name\nP0,Coat\nP1,"${'y'.repeat(MAX_FIELD_CHARS + 10)}"\n` });
    expect(errors).toEqual([`products.csv:3:2: malformed CSV or a field too long: more than ${MAX_FIELD_CHARS} characters in one field; the rest of the file was not read`]);
  });

  it('reports an unterminated quote where its record starts, without knock-on errors', async () => {
    const rows = Array.from({ length: 30 }, (_, i) => `C${i + 3},Part ${i}`).join('\n');
    const errors = await errorsOf({
      'components.csv': `id,name\nC1,Zipper\nC2,"Tape\n${rows}\n`,
      'bom.csv': `parent_id,child_id\nP1,C1\n${Array.from({ length: 30 }, (_, i) => `P1,C${i + 3}`).join('\n')}\n`,
    });
    expect(errors).toEqual([
      'components.csv:3:2: malformed CSV: a quoted field opens in this record and is never closed (a missing closing quote "); the rest of the file was not read',
    ]);
  });

  it('reports a stray quote inside an unquoted field at its line', async () => {
    expect(await errorsOf({ 'products.csv': 'id,name\nP1,Jacket\nP2,12" coat\n' })).toEqual([
      'products.csv:3:2: malformed CSV: a quote (") inside a field that does not start with one; quote the whole field and double the quotes inside it',
    ]);
  });

  it.each(['0x10', '0b1', '0o7', 'Infinity', '1_0', '١٢'])('reads lat %s as an error, not a number', async (text) => {
    expect(await errorsOf({ 'factories.csv': `id,name,country,lat\nF1,Plant,cn,${text}\n` }))
      .toEqual([`factories.csv:2:4: lat: '${text}' is not a number (expected a decimal number such as 12.5 or -3)`]);
  });

  it.each([['-12.5', -12.5], ['+7', 7], ['.5', 0.5], ['5.', 5], ['1e-7', 1e-7], ['-1.5E+1', -15]])('reads lat %s as %d', async (text, value) => {
    const d = await datasetOf({ 'factories.csv': `id,name,country,lat\nF1,Plant,cn,${text}\n` });
    expect(d.nodes.find((n) => n.id === 'F1')!.props.lat).toBe(value);
  });

  it('does not read a file that is a symbolic link out of the dataset directory (nor quote its lines)', async () => {
    const dir = datasetDir(valid);
    symlinkSync('/etc/passwd', path.join(dir, 'companies.csv'));
    const result = await readDataset(dir);
    expect(result.ok ? [] : result.errors.map(formatError)).toEqual([
      'companies.csv:1:1: a symbolic link to a file outside the dataset directory; copy the file into the directory instead',
    ]);
    // a link inside the directory is read
    const { 'products.csv': _products, ...rest } = valid;
    const inside = datasetDir(rest);
    writeFileSync(path.join(inside, 'products.data'), 'id,name\nP1,Jacket\n');
    symlinkSync(path.join(inside, 'products.data'), path.join(inside, 'products.csv'));
    expect((await readDataset(inside)).ok).toBe(true);
  });

  it('does not read a FIFO or a directory named like a dataset file', async () => {
    const dir = datasetDir(valid);
    mkdirSync(path.join(dir, 'companies.csv'));
    expect(await readDataset(dir).then((r) => (r.ok ? [] : r.errors.map(formatError)))).toEqual(['companies.csv:1:1: not a regular file']);
  });

  it('refuses a file that is not UTF-8 at the line of the first bad byte, and names UTF-16', async () => {
    const dir = datasetDir(valid);
    writeFileSync(path.join(dir, 'companies.csv'), Buffer.concat([Buffer.from('id,name\nCO1,Acme\nCO2,Soci'), Buffer.from([0xe9]), Buffer.from('t\n')]));
    expect(await readDataset(dir).then((r) => (r.ok ? [] : r.errors.map(formatError))))
      .toEqual(['companies.csv:3:1: not valid UTF-8 (byte 0xe9 in this line); save the file as UTF-8']);
    writeFileSync(path.join(dir, 'companies.csv'), Buffer.from('\uFEFFid,name\nCO1,Acme\n', 'utf16le'));
    expect(await readDataset(dir).then((r) => (r.ok ? [] : r.errors.map(formatError))))
      .toEqual(['companies.csv:1:1: the file is UTF-16 (it starts with a UTF-16 byte-order mark); save it as UTF-8']);
  });

  it('reads multi-byte characters cut at any chunk boundary', async () => {
    const name = '한국어 中文 𝄞'.repeat(20_000); // > 64 KiB: several read chunks
    const d = await datasetOf({ 'products.csv': `id,name,x_notes\nP1,Jacket,${name.slice(0, 60_000)}\n` });
    expect(d.nodes[0].props.x_notes).toBe(name.slice(0, 60_000));
  });

  it('refuses a directory without any .csv file (so that --replace cannot empty the graph by mistake)', async () => {
    const empty = mkdtempSync(path.join(os.tmpdir(), 'labortrace-empty-'));
    writeFileSync(path.join(empty, 'README.txt'), 'not a dataset');
    await expect(readDataset(empty)).rejects.toThrow(DatasetDirectoryError);
    await expect(readDataset(empty)).rejects.toThrow(/no dataset files \(no \.csv file in the directory\)/);
    await expect(readDataset(path.join(empty, 'missing'))).rejects.toThrow(DatasetDirectoryError);
    // header-only files are an explicit empty dataset: accepted
    expect(await readDataset(datasetDir({ 'products.csv': 'id,name\n' }))).toEqual({ ok: true, dataset: { nodes: [], relationships: [] } });
  });

  it('restores neutralized spreadsheet formulas in text, id and reference cells, not in numeric cells', async () => {
    const d = await datasetOf({
      'products.csv': "id,name,brand,x_note\n'=P1,'=SUM(A1),'''-x,'@me\n",
      'bom.csv': "parent_id,child_id\n'=P1,C1\nC1,C2\n",
      'factories.csv': "id,name,country,lat,lon\nF1,'+Plant,cn,-12.5,'-3\n",
    }).catch((e: Error) => e.message);
    expect(d).toContain("factories.csv:2:5: lon: ''-3' is not a number");
    const ok = await datasetOf({
      'products.csv': "id,name,brand,x_note\n'=P1,'=SUM(A1),'''-x,'@me\n",
      'bom.csv': "parent_id,child_id\n'=P1,C1\nC1,C2\n",
      'factories.csv': "id,name,country,lat\nF1,'+Plant,cn,-12.5\n",
    });
    expect(ok.nodes.find((n) => n.id === '=P1')!.props).toEqual({ name: '=SUM(A1)', brand: "''-x", x_note: '@me' });
    expect(ok.nodes.find((n) => n.id === 'F1')!.props).toEqual({ name: '+Plant', country: 'CN', lat: -12.5 });
    expect(ok.relationships.find((r) => r.type === 'COMPONENT_OF' && r.target === '=P1')).toBeDefined();
    // an apostrophe not followed by a formula character is text
    const plain = await datasetOf({ 'products.csv': "id,name\nP1,'Jacket'\n" });
    expect(plain.nodes[0].props.name).toBe("'Jacket'");
  });
});
