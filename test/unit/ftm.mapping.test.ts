import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { readDataset } from '../../src/dataset/dataset.reader';
import { formatError, type Dataset } from '../../src/dataset/dataset.types';
import { LINK_ROLES, OPERATOR_ROLE, ftmId, graphToFtm, type GraphNodeRow, type GraphRelationshipRow } from '../../src/export/ftm.mapping';
import type { FtmEntity } from '../../src/ftm/ftm.model';
import { ftmProblems } from '../../src/ftm/ftm.validation';
import { readFtmLines } from '../../src/lists/ftm.reader';
import { datasetDir } from '../helpers/neo4j';
import { SEED_DIR } from '../helpers/seed-dataset';

/** A dataset's rows as the import stores them (import.service.ts nodeRow/relRow): what `export/*` reads back. */
function graphRowsOf(d: Dataset): { nodes: GraphNodeRow[]; relationships: GraphRelationshipRow[] } {
  return {
    nodes: d.nodes.map((n) => ({ kind: n.kind, props: { ...n.props, id: n.id, evidence: n.evidence } })),
    relationships: d.relationships.map((r) => ({
      type: r.type, source: r.source, target: r.target,
      props: {
        ...r.props, id: r.id, key: r.key, evidence: r.evidence,
        ...(r.rebuttals.length > 0 ? { rebuttals: r.rebuttals } : {}),
        ...(r.placement !== null ? { placement: r.placement } : {}),
        ...(r.from !== null ? { from: r.from } : {}), ...(r.to !== null ? { to: r.to } : {}),
      },
    })),
  };
}

async function exportOf(dir: string): Promise<FtmEntity[]> {
  const read = await readDataset(dir);
  if (!read.ok) throw new Error(read.errors.map(formatError).join('\n'));
  const { nodes, relationships } = graphRowsOf(read.dataset);
  return graphToFtm(nodes, relationships);
}

/** The seed's CSV rows, read with a plain CSV parser: the expectations come from the files, not from the program. */
const csv = (file: string): Record<string, string>[] => parse(readFileSync(path.join(SEED_DIR, file)), { columns: true, bom: true });

describe('graphToFtm over the demo data (seed/)', () => {
  let entities: FtmEntity[];
  const byId = (id: string) => {
    const e = entities.find((x) => x.id === id);
    if (!e) throw new Error(`no entity ${id}`);
    return e;
  };
  const links = (schema: string, role?: string) => entities.filter((e) => e.schema === schema && (role === undefined || e.properties.role?.[0] === role));

  beforeAll(async () => {
    entities = await exportOf(SEED_DIR);
  });

  it('every entity is valid for the FtM model: schema, properties, required values, references within the file', () => {
    expect(ftmProblems(entities)).toEqual([]);
  });

  it('has one entity per node and relationship row, of the documented schema', () => {
    const count = (schema: string) => entities.filter((e) => e.schema === schema).length;
    const factories = csv('factories.csv');
    const workers = csv('workers.csv');
    expect(count('Company')).toBe(csv('companies.csv').length + factories.length + csv('agencies.csv').length);
    expect(count('Person')).toBe(workers.filter((w) => w.headcount === '1').length);
    expect(count('Organization')).toBe(workers.filter((w) => w.headcount !== '1').length);
    expect(count('Document')).toBe(csv('evidence.csv').length);
    expect(count('Asset')).toBe(csv('products.csv').length + csv('components.csv').length);
    expect(count('EconomicActivity')).toBe(csv('shipments.csv').length);
    expect(count('Address')).toBe(factories.filter((f) => f.address || f.lat || f.lon).length);
    expect(count('Ownership')).toBe(factories.filter((f) => f.operator_id).length);
    const roles: [string, string][] = [
      ['bom.csv', LINK_ROLES.COMPONENT_OF], ['production.csv', LINK_ROLES.PRODUCED], ['subcontracts.csv', LINK_ROLES.SUBCONTRACTOR_OF],
      ['recruitment.csv', LINK_ROLES.RECRUITED_BY], ['dispatch.csv', LINK_ROLES.DISPATCHES_TO], ['labor_supply.csv', LINK_ROLES.SUPPLIES_LABOR_TO],
      ['supply.csv', LINK_ROLES.SUPPLIES], ['sourcing.csv', LINK_ROLES.SOURCED_FROM], ['employment.csv', LINK_ROLES.EMPLOYED_AT],
    ];
    for (const [file, role] of roles) expect([file, links('UnknownLink', role).length]).toEqual([file, csv(file).length]);
    expect(entities).toHaveLength(new Set(entities.map((e) => e.id)).size);
  });

  it('companies, factories and agencies keep their names and lower-case countries', () => {
    for (const file of ['companies.csv', 'factories.csv', 'agencies.csv']) {
      for (const row of csv(file)) {
        expect(byId(`lt-${row.id}`).properties).toMatchObject({ name: [row.name], ...(row.country ? { country: [row.country.toLowerCase()] } : {}) });
      }
    }
    expect(byId('lt-AG-KP-HAEYANG').properties.description).toEqual(['Labor agency']);
    expect(byId('lt-AG-SEAGULL').properties.notes).toEqual(['dprk_linked: true (known to dispatch DPRK nationals)']);
    expect(byId('lt-F-KP-RIVERSIDE-SEW').properties.description).toEqual(['Factory (production site)']);
  });

  it('cohorts are Organizations with their nationality as country and their headcount described', () => {
    for (const w of csv('workers.csv')) {
      const e = byId(`lt-${w.id}`);
      expect(e.properties.country).toEqual([w.nationality.toLowerCase()]);
      expect(e.properties.description).toEqual([w.headcount ? `Cohort of ${w.headcount} workers` : 'Cohort of workers (number unknown)']);
    }
  });

  it('an operator is an Ownership with role operator, from company to factory', () => {
    const f = csv('factories.csv').find((r) => r.id === 'F-DANDONG-SEW')!;
    const [own] = links('Ownership').filter((e) => e.properties.asset[0] === 'lt-F-DANDONG-SEW');
    expect(own.properties).toMatchObject({ owner: [`lt-${f.operator_id}`], role: [OPERATOR_ROLE] });
  });

  it('links keep direction, interval as given (partial dates too), evidence, rebuttals and placement', () => {
    const glove = links('UnknownLink', LINK_ROLES.EMPLOYED_AT).find((e) => e.properties.subject[0] === 'lt-W-KP-COHORT-09')!;
    expect(glove.properties).toMatchObject({ object: ['lt-F-GLOVE-WORKS'], startDate: ['2023-12'], endDate: ['2023-12'] });
    expect(glove.properties.description).toEqual(['evidence: lt-EV-013']);
    expect(glove.properties.sourceUrl).toEqual(['https://example.org/news/glove-plant']);

    const tile = links('UnknownLink', LINK_ROLES.EMPLOYED_AT).filter((e) => e.properties.subject[0] === 'lt-W-KP-COHORT-06');
    expect(tile.map((e) => e.properties.description[0])).toEqual(['evidence: lt-EV-007\nrebutted by: lt-EV-008', 'evidence: lt-EV-007\nrebutted by: lt-EV-008']);

    const placed = links('UnknownLink', LINK_ROLES.RECRUITED_BY).find((e) => e.properties.subject[0] === 'lt-W-KP-COHORT-07')!;
    expect(placed.properties.object).toEqual(['lt-AG-PEARL-BROKER']);
    expect(placed.properties.description[0]).toContain('placement: Golden Step Footwear Plant 1 (lt-F-STEP-PLANT-1)');

    const sourced = links('UnknownLink', LINK_ROLES.SOURCED_FROM).find((e) => e.properties.subject[0] === 'lt-P-PARKA-07')!;
    expect(sourced.properties).toMatchObject({ object: ['lt-CO-LIAODONG-EXPORT'], startDate: ['2022-06-01'] });
    expect(sourced.properties).not.toHaveProperty('endDate');

    const bom = links('UnknownLink', LINK_ROLES.COMPONENT_OF).find((e) => e.properties.subject[0] === 'lt-C-CAPACITOR')!;
    expect(bom.properties).toMatchObject({ object: ['lt-C-PCB-MAIN'], description: ['quantity: 14'] });
  });

  it('evidence is a Document with its title, date and URL; nodes point at their documents with proof', () => {
    for (const ev of csv('evidence.csv')) {
      expect(byId(`lt-${ev.id}`).properties).toMatchObject({ title: [ev.title], publishedAt: [ev.published], ...(ev.url ? { sourceUrl: [ev.url] } : {}) });
    }
    expect(byId('lt-CO-LIAODONG-EXPORT').properties.proof).toEqual(['lt-EV-009']);
    expect(byId('lt-W-KP-COHORT-01').properties.proof).toEqual(['lt-EV-001']);
  });

  it('products and components are Assets; a shipment is a customs entry (EconomicActivity) of its importer', () => {
    expect(byId('lt-P-PARKA-07')).toMatchObject({ schema: 'Asset', properties: { name: ['Harbour Parka'], notes: ['sku: HP-07', 'hs_code: 620193', 'brand: Bluepeak Outfitters'] } });
    expect(byId('lt-SH-2024-0001').properties).toMatchObject({
      ccdNumber: ['LT9-0000117-3'], date: ['2024-02-12'], declarant: ['lt-CO-BLUEPEAK'], goodsDescription: ['Harbour Parka'], originCountry: ['cn'],
    });
    expect(byId('lt-SH-2024-0001').properties.description[0]).toContain('produced: 2023-10 to 2023-12');
  });

  it('read back as a list, gives every company and agency with its name and country', () => {
    const read = readFtmLines(entities.map((e) => JSON.stringify(e)).join('\n'), 'graph.ftm.json');
    if (!read.ok) throw new Error(read.errors.map(formatError).join('\n'));
    const entries = new Map(read.entries.map((e) => [e.entryId, e]));
    for (const row of [...csv('companies.csv'), ...csv('agencies.csv')]) {
      expect(entries.get(`lt-${row.id}`)).toMatchObject({ name: row.name, countries: row.country ? [row.country] : [], dprk: row.country === 'KP' });
    }
    expect(read.skipped).toMatchObject({ Document: csv('evidence.csv').length, UnknownLink: expect.any(Number) });
  });
});

describe('graphToFtm: cases the demo data lacks', () => {
  it('a worker of headcount 1 is a Person and its employment an Employment; ids FtM cannot take are hashed and valid', async () => {
    const entities = await exportOf(datasetDir({
      'factories.csv': 'id,name,country,x_audit\nF 1/ü,Plant,CN,2023-Q4\n',
      'workers.csv': 'id,nationality,name,headcount\nW_1,KP,Kim,1\n',
      'evidence.csv': 'id,title,url\nE1,Contract,file://share/contract.pdf\n',
      'employment.csv': 'id,worker_id,factory_id,from,to,evidence\nemp_1,W_1,F 1/ü,2020,,E1\n',
    }));
    expect(ftmProblems(entities)).toEqual([]);
    const factory = entities.find((e) => e.properties.name?.[0] === 'Plant')!;
    expect(factory.id).toBe(ftmId('lt', 'F 1/ü'));
    expect(factory.id).toMatch(/^lt\.[0-9a-f]{40}$/);
    expect(factory.properties.notes).toEqual(['labortrace id: F 1/ü', 'x_audit: 2023-Q4']);
    const person = entities.find((e) => e.schema === 'Person')!;
    expect(person.properties).toMatchObject({ name: ['Kim'], nationality: ['kp'] });
    const [employment] = entities.filter((e) => e.schema === 'Employment');
    expect(employment.properties).toMatchObject({
      employee: [person.id], employer: [factory.id], startDate: ['2020'], recordId: ['emp_1'], description: [`evidence: ${ftmId('lt', 'E1')}`],
    });
    expect(employment.properties).not.toHaveProperty('sourceUrl'); // not a web address
    expect(entities.find((e) => e.schema === 'Document')!.properties.notes).toEqual(['url: file://share/contract.pdf']);
  });

  it('ftmId is stable, prefixed by namespace, and keeps plain ids readable', () => {
    expect(ftmId('lt', 'CO-1')).toBe('lt-CO-1');
    expect(ftmId('ltr', 'r-3f9c')).toBe('ltr-r-3f9c');
    expect(ftmId('lt', 'a_b')).toBe(ftmId('lt', 'a_b'));
    expect(ftmId('lt', 'a_b')).not.toBe(ftmId('ltr', 'a_b'));
    expect(ftmId('lt', 'x'.repeat(300))).toMatch(/^lt\.[0-9a-f]{40}$/);
    expect(ftmId('lt', 'ends-with-dash-')).toMatch(/^lt\./);
  });
});

describe('ftmProblems finds what a loader would refuse', () => {
  const company = { id: 'c1', schema: 'Company', properties: { name: ['C'] } };
  it.each([
    [{ id: 'x', schema: 'Factory', properties: {} }, "x: unknown schema 'Factory'"],
    [{ id: 'x', schema: 'Thing', properties: { name: ['T'] } }, 'x: schema Thing is abstract'],
    [{ id: 'x', schema: 'Company', properties: { name: ['C'], nationality: ['kp'] } }, "x: Company has no property 'nationality'"],
    [{ id: 'x', schema: 'Company', properties: {} }, "x: Company requires 'name'"],
    [{ id: 'x', schema: 'Document', properties: { name: ['D'] } }, "x: Document requires 'fileName'"],
    [{ id: 'x', schema: 'UnknownLink', properties: { subject: ['c1'], object: ['nowhere'] } }, "x: object names 'nowhere', which is not an entity of the file"],
    [{ id: 'x', schema: 'Employment', properties: { employee: ['c1'], employer: ['c1'] } }, "x: employee names 'c1', a Company, not a Person"],
    [{ id: 'x_1', schema: 'Company', properties: { name: ['C'] } }, 'x_1: not a valid FtM entity id'],
    [{ id: 'x', schema: 'Company', properties: { name: [''] } }, 'x: name must be a non-empty list of non-empty strings'],
  ])('%j', (bad, problem) => {
    expect(ftmProblems([company, bad as FtmEntity])).toContain(problem);
  });
  it('and nothing in a valid set', () => {
    expect(ftmProblems([company, { id: 'o', schema: 'Ownership', properties: { owner: ['c1'], asset: ['c1'], role: ['operator'] } }])).toEqual([]);
  });
});
