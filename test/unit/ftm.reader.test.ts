import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { formatError } from '../../src/dataset/dataset.types';
import { programIdNamesDprk, programTextNamesDprk, readFtmFile, readFtmLines, type FtmListRead } from '../../src/lists/ftm.reader';
import type { ListEntry } from '../../src/lists/list-entry';

const line = (id: string, schema: string, properties: Record<string, unknown>) => JSON.stringify({ id, schema, properties });

/** Lines shaped like OpenSanctions' entities.ftm.json (extra top-level fields included), one per schema kind. */
const KP_COMPANY = JSON.stringify({
  id: 'NK-abc123', schema: 'Company', caption: 'Korea Ryonbong General Corporation', datasets: ['us_ofac_sdn'], first_seen: '2020-01-01T00:00:00',
  properties: {
    name: ['Korea Ryonbong General Corporation', 'KOREA RYONBONG GENERAL CORPORATION'],
    alias: ['Yonbong General Corp.', 'Lyongaksan General Trading Corporation'],
    previousName: ['Ryonbong Trading'],
    weakAlias: ['Ryonbong'],
    country: ['kp'],
    topics: ['sanction'],
    programId: ['US-NK', 'UN-SC1718'],
    program: ['Executive Order 13382'],
    notes: ['Defense industry conglomerate.', 'Listed 2005.'],
  },
});
const PERSON = line('Q123', 'Person', { name: ['Jane Roe'], nationality: ['gb'], country: ['suhh', 'xk'], topics: ['role.pep'] });
const SANCTION = line('san-1', 'Sanction', { entity: ['NK-abc123'], program: ['DPRK3'], authority: ['OFAC'] });
const ADDRESS = line('addr-1', 'Address', { full: ['Pyongyang'], country: ['kp'] });

function ok(read: FtmListRead): Extract<FtmListRead, { ok: true }> {
  if (!read.ok) throw new Error(`expected a valid file:\n${read.errors.map(formatError).join('\n')}`);
  return read;
}
const errorsOf = (text: string) => {
  const read = readFtmLines(text, 'list.ftm.json');
  return read.ok ? [] : read.errors.map(formatError);
};

describe('readFtmLines: valid lines', () => {
  it('reads a company: first name, the other names, aliases of each kind, countries, programs, notes, line', () => {
    const read = ok(readFtmLines(['', KP_COMPANY, PERSON].join('\n'), 'os.ftm.json'));
    expect(read.label).toBeNull();
    expect(read.entries[0]).toEqual<ListEntry>({
      entryId: 'NK-abc123',
      name: 'Korea Ryonbong General Corporation',
      aliases: [
        { name: 'KOREA RYONBONG GENERAL CORPORATION', kind: 'aka' },
        { name: 'Yonbong General Corp.', kind: 'aka' },
        { name: 'Lyongaksan General Trading Corporation', kind: 'aka' },
        { name: 'Ryonbong Trading', kind: 'fka' },
        { name: 'Ryonbong', kind: 'aka', weak: true },
      ],
      type: 'entity',
      programs: ['US-NK', 'UN-SC1718', 'Executive Order 13382'],
      countries: ['KP'],
      dprk: true,
      linkedTo: [],
      remarks: 'Defense industry conglomerate.\nListed 2005.',
      file: 'os.ftm.json',
      line: 2,
    });
  });

  it('a Person is an individual; non-ISO FtM countries are dropped; no program, no notes', () => {
    const [person] = ok(readFtmLines(PERSON, 'f')).entries;
    expect(person).toMatchObject({ entryId: 'Q123', type: 'individual', countries: ['GB'], programs: [], dprk: false, remarks: null, aliases: [], line: 1 });
  });

  it('reads Organization, LegalEntity and PublicBody (a descendant of LegalEntity) as entities', () => {
    const text = [
      line('o', 'Organization', { name: ['Org'] }), line('l', 'LegalEntity', { name: ['Legal'] }), line('p', 'PublicBody', { name: ['Ministry'] }),
    ].join('\n');
    expect(ok(readFtmLines(text, 'f')).entries.map((e) => [e.entryId, e.type])).toEqual([['o', 'entity'], ['l', 'entity'], ['p', 'entity']]);
  });

  it('skips other schemata and counts them; blank lines, CRLF and a BOM are fine', () => {
    const text = `\uFEFF${[SANCTION, '', KP_COMPANY, ADDRESS, '   ', SANCTION, PERSON].join('\r\n')}\r\n`;
    const read = ok(readFtmLines(text, 'f'));
    expect(read.entries.map((e) => [e.entryId, e.line])).toEqual([['NK-abc123', 3], ['Q123', 7]]);
    expect(read.skipped).toEqual({ Sanction: 2, Address: 1 });
  });

  it('a file of skipped schemata only, or an empty one, reads as no entries', () => {
    expect(ok(readFtmLines(`${ADDRESS}\n`, 'f'))).toMatchObject({ entries: [], skipped: { Address: 1 } });
    expect(ok(readFtmLines('', 'f'))).toMatchObject({ entries: [], skipped: {} });
  });

  it('readFtmFile reads a file and names it in entries', async () => {
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'labortrace-ftm-')), 'os.ftm.json');
    writeFileSync(file, `${KP_COMPANY}\n${SANCTION}\n`);
    const read = ok(await readFtmFile(file));
    expect(read.entries.map((e) => [e.file, e.line])).toEqual([[file, 1]]);
    expect(read.skipped).toEqual({ Sanction: 1 });
  });
});

describe('readFtmLines: errors, each at its file:line', () => {
  it('invalid JSON, with the parser message', () => {
    const errors = errorsOf(`${PERSON}\n{"id": "x", "schema": \n`);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^list\.ftm\.json:2:1: invalid JSON: .+/);
    expect(errors[0]).toContain(errorMessageOf('{"id": "x", "schema": '));
  });

  it('not an object, missing id, missing schema, unknown schema, missing name', () => {
    const text = [
      '["Company"]',
      line('', 'Company', { name: ['x'] }),
      JSON.stringify({ id: 'a', properties: { name: ['x'] } }),
      line('b', 'Factory', { name: ['x'] }),
      line('c', 'Company', { alias: ['only an alias'] }),
      line('d', 'Person', { name: [''] }),
    ].join('\n');
    expect(errorsOf(text)).toEqual([
      'list.ftm.json:1:1: not an FtM entity: expected a JSON object {"id", "schema", "properties"}',
      'list.ftm.json:2:1: missing id',
      'list.ftm.json:3:1: a: missing schema',
      "list.ftm.json:4:1: b: unknown schema 'Factory' (not in the FollowTheMoney model)",
      'list.ftm.json:5:1: c: missing name',
      'list.ftm.json:6:1: d: missing name',
    ]);
  });

  it('a property the schema does not have, a value that is not a list of strings, a repeated id', () => {
    const text = [
      line('a', 'Company', { name: ['A'], nationality: ['kp'] }), // Person's, not Company's
      line('b', 'Person', { name: ['B'], jurisdiction: ['kp'], bogus: ['x'] }), // jurisdiction is LegalEntity's: fine
      line('c', 'Company', { name: 'C' }),
      line('d', 'Company', { name: ['D'], country: [7] }),
      line('a', 'Company', { name: ['A again'] }),
    ].join('\n');
    expect(errorsOf(text)).toEqual([
      "list.ftm.json:1:1: a: Company has no property 'nationality'",
      "list.ftm.json:2:1: b: Person has no property 'bogus'",
      "list.ftm.json:3:1: c: property 'name' must be a list of strings",
      "list.ftm.json:4:1: d: property 'country' must be a list of strings",
      'list.ftm.json:5:1: a: entity id already used on line 1',
    ]);
  });

  it('refuses the whole file: valid lines give no entries when any line is bad', () => {
    const read = readFtmLines(`${KP_COMPANY}\nnot json\n${PERSON}\n`, 'f');
    expect(read.ok).toBe(false);
    expect(read).not.toHaveProperty('entries');
  });

  it('reports the first 100 errors and how many more', () => {
    const read = readFtmLines(Array.from({ length: 130 }, () => '{').join('\n'), 'f');
    if (read.ok) throw new Error('expected errors');
    expect(read.errors).toHaveLength(101);
    expect(read.errors[99].line).toBe(100);
    expect(read.errors[100]).toMatchObject({ line: 101, message: 'and 30 more errors' });
  });
});

describe('the DPRK rule', () => {
  const dprkOf = (properties: Record<string, string[]>) => ok(readFtmLines(line('x', 'Company', { name: ['X'], ...properties }), 'f')).entries[0].dprk;

  it('country kp (or nationality, citizenship, jurisdiction) makes an entry DPRK', () => {
    expect(dprkOf({ country: ['kp'] })).toBe(true);
    expect(dprkOf({ jurisdiction: ['KP'] })).toBe(true);
    expect(ok(readFtmLines(line('p', 'Person', { name: ['P'], nationality: ['kp'] }), 'f')).entries[0].dprk).toBe(true);
    expect(dprkOf({ country: ['kr', 'cn'] })).toBe(false);
  });

  it.each(['UN-SC1718', 'US-NK', 'EU-PRK', 'GB-DPRK', 'AU-DPRK', 'DPRK3', 'kp-x'])('programId %s names the DPRK', (id) => {
    expect(programIdNamesDprk(id)).toBe(true);
    expect(dprkOf({ programId: [id] })).toBe(true);
  });

  it.each(['US-IRAN', 'EU-RUS', 'UN-SC1267', 'GB-RUS', 'US-NS-PLC', 'UN-SC17180', 'EU-PRKX', 'NKVD-1'])('programId %s does not', (id) => {
    expect(programIdNamesDprk(id)).toBe(false);
    expect(dprkOf({ programId: [id] })).toBe(false);
  });

  it('program texts naming North Korea do; others and topics do not', () => {
    for (const t of ['North Korea Sanctions Regulations', 'DPRK2', 'PRK - 2022/2429 (OJ L318I)', "Democratic People's Republic of Korea (UN)", 'Korea, North']) {
      expect([t, programTextNamesDprk(t)]).toEqual([t, true]);
    }
    for (const t of ['Iran Sanctions', 'South Korea export controls', 'Executive Order 13382', 'SPRKL']) expect([t, programTextNamesDprk(t)]).toEqual([t, false]);
    expect(dprkOf({ topics: ['sanction', 'forced.labor'] })).toBe(false);
    expect(dprkOf({ program: ['Executive Order 13722 (DPRK3)'] })).toBe(true);
  });
});

function errorMessageOf(json: string): string {
  try {
    JSON.parse(json);
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('valid JSON');
}
