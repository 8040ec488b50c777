import { readFileSync } from 'node:fs';
import path from 'node:path';
import { countryCodeOf } from '../../src/lists/country-names';
import { parseRemarks, readOfacSdn, readOfacSdnDir, splitPrograms } from '../../src/lists/ofac-sdn.reader';
import type { ListEntry } from '../../src/lists/list-entry';

const SHIPPED = path.join(__dirname, '..', '..', 'seed', 'lists', 'ofac-sdn-2021-09-17');

/** The shipped file's records, split by a reading independent of the reader: one record per CRLF line. */
function rawLines(): string[] {
  return readFileSync(path.join(SHIPPED, 'sdn.csv'), 'latin1').split('\r\n').filter((l) => l !== '' && l !== '\x1a');
}

describe('OFAC SDN legacy CSV', () => {
  let entries: ListEntry[];
  beforeAll(async () => {
    const read = await readOfacSdnDir(SHIPPED);
    if (!read.ok) throw new Error(JSON.stringify(read.errors.slice(0, 3)));
    entries = read.entries;
  });

  it('reads every entry of the shipped 2021-09-17 version, with the DOS end-of-file byte after the last line', () => {
    const raw = readFileSync(path.join(SHIPPED, 'sdn.csv'));
    expect(raw[raw.length - 1]).toBe(0x1a);
    expect(entries).toHaveLength(9156);
    expect(entries).toHaveLength(rawLines().length);
    expect(new Set(entries.map((e) => e.entryId)).size).toBe(entries.length);
  });

  it('counts the entries on a DPRK program: every record whose Program cell names one', () => {
    // independent of the reader: the fourth quoted cell of each line holds the programs
    const onDprk = rawLines().filter((l) => /^\d+,"(?:[^"]|"")*",(?:-0- |"[^"]*"),"([^"]*)"/.exec(l)?.[1].split('] [').some((p) => p.startsWith('DPRK')));
    expect(onDprk.length).toBe(414);
    expect(entries.filter((e) => e.dprk).map((e) => e.entryId).sort()).toEqual(onDprk.map((l) => l.split(',')[0]).sort());
    // a 415th line mentions the DPRK only in its remarks (a place of birth), under NPWMD alone: not on a DPRK program
    expect(rawLines().filter((l) => l.includes('DPRK'))).toHaveLength(415);
    expect(entries.find((e) => e.entryId === '15667')).toMatchObject({ programs: ['NPWMD'], dprk: false });
  });

  it('reads entry 9345 (KOMID): two programs, the alias from the remarks, no -0- cell as text', () => {
    const komid = entries.find((e) => e.entryId === '9345')!;
    expect(komid).toMatchObject({
      name: 'KOREA MINING DEVELOPMENT TRADING CORPORATION', type: 'entity', programs: ['NPWMD', 'DPRK2'], dprk: true,
      aliases: [{ name: 'KOMID', kind: 'aka' }], file: 'sdn.csv',
    });
    expect(rawLines()[komid.line - 1].startsWith('9345,')).toBe(true);
    expect(entries.some((e) => e.name.includes('-0-') || e.programs.includes('-0-') || e.remarks?.trim() === '-0-')).toBe(false);
  });

  it('reads types, nationalities and links', () => {
    expect(entries.filter((e) => e.type === 'individual').length).toBe(rawLines().filter((l) => /^\d+,"(?:[^"]|"")*","individual"/.test(l)).length);
    expect(entries.filter((e) => e.type === 'vessel').length).toBeGreaterThan(0);
    const saidKp = entries.filter((e) => /(nationality|citizen) Korea, North/.test(e.remarks ?? ''));
    expect(saidKp.length).toBeGreaterThanOrEqual(70);
    for (const e of saidKp) expect(e.countries).toContain('KP');
    expect(entries.find((e) => e.linkedTo.includes('HIZBALLAH'))).toBeDefined();
  });
});

describe('OFAC cells and remarks', () => {
  it('splits multi-program cells', () => {
    expect(splitPrograms('NPWMD] [DPRK2')).toEqual(['NPWMD', 'DPRK2']);
    expect(splitPrograms('SDGT] [IFSR] [IRGC')).toEqual(['SDGT', 'IFSR', 'IRGC']);
    expect(splitPrograms('DPRK3')).toEqual(['DPRK3']);
  });

  it('reads aliases with apostrophes inside them, former names and links', () => {
    const said = parseRemarks("DOB 1960; a.k.a. 'KOREA P'YONGYANG TRADING'; f.k.a. 'OLD NAME CO.'; n.k.a. 'NEW NAME'; nationality Korea, North; Linked To: SOME ENTITY.");
    expect(said.aliases).toEqual([
      { name: "KOREA P'YONGYANG TRADING", kind: 'aka' }, { name: 'OLD NAME CO.', kind: 'fka' }, { name: 'NEW NAME', kind: 'nka' },
    ]);
    expect(said.linkedTo).toEqual(['SOME ENTITY']);
    expect(said.countries).toEqual(['KP']);
  });

  it('knows country names as OFAC writes them', () => {
    expect(countryCodeOf('Korea, North')).toBe('KP');
    expect(countryCodeOf('North Korea')).toBe('KP');
    expect(countryCodeOf('Korea, South')).toBe('KR');
    expect(countryCodeOf('Burma')).toBe('MM');
    expect(countryCodeOf('Russia')).toBe('RU');
    expect(countryCodeOf('Turkey')).toBe('TR');
    expect(countryCodeOf('Atlantis')).toBeNull();
  });
});

describe('refusing a bad file whole', () => {
  const sdn = (text: string) => ({ sdn: { name: 'sdn.csv', text } });
  const good = '36,"AEROCARIBBEAN AIRLINES",-0- ,"CUBA",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n';

  it('names file, line and column of each error, and returns no entries', () => {
    const read = readOfacSdn(sdn(good + 'x,"A",-0- ,"CUBA",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n' + '40,"B",-0- \r\n'
      + '36,"DUP",-0- ,"CUBA",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n' + '41,"C","spaceship","CUBA",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n\x1a'));
    expect(read.ok).toBe(false);
    if (read.ok) return;
    expect(read.errors.map((e) => [e.file, e.line, e.column])).toEqual([['sdn.csv', 2, 1], ['sdn.csv', 3, 1], ['sdn.csv', 4, 1], ['sdn.csv', 5, 3]]);
    expect(read.errors[0].message).toMatch(/ent_num/);
    expect(read.errors[1].message).toMatch(/12 cells/);
    expect(read.errors[2].message).toMatch(/twice .*line 1/);
  });

  it('counts lines inside quoted cells, and reports a quote that never closes', () => {
    const multi = '37,"MULTI\r\nLINE",-0- ,"CUBA",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n';
    const read = readOfacSdn(sdn(good + multi + 'bad,"X",-0- ,"CUBA",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n'));
    expect(read.ok ? [] : read.errors.map((e) => e.line)).toEqual([4]);
    const open = readOfacSdn(sdn(good + '38,"OPEN,-0- \r\n'));
    expect(open.ok).toBe(false);
  });

  it('checks alt.csv and add.csv against the entries', () => {
    const read = readOfacSdn({
      sdn: { name: 'sdn.csv', text: good },
      alt: { name: 'alt.csv', text: '36,1,"aka","AEROCARIBBEAN",-0- \r\n99,2,"aka","NOBODY",-0- \r\n36,3,"xyz","Q",-0- \r\n' },
      add: { name: 'add.csv', text: '36,5,-0- ,"Havana","Cuba",-0- \r\n' },
    });
    expect(read.ok ? [] : read.errors.map((e) => `${e.file}:${e.line}:${e.column}`)).toEqual(['alt.csv:2:1', 'alt.csv:3:3']);
    const fine = readOfacSdn({
      sdn: { name: 'sdn.csv', text: good },
      alt: { name: 'alt.csv', text: '36,1,"aka","AEROCARIBBEAN",-0- \r\n36,2,"fka","CARIBBEAN AIR","weak"\r\n' },
      add: { name: 'add.csv', text: '36,5,-0- ,"Havana","Cuba",-0- \r\n' },
    });
    expect(fine.ok && fine.entries[0]).toMatchObject({
      aliases: [{ name: 'AEROCARIBBEAN', kind: 'aka' }, { name: 'CARIBBEAN AIR', kind: 'fka', weak: true }], countries: ['CU'],
    });
  });

  it('refuses a directory without sdn.csv', async () => {
    const read = await readOfacSdnDir(path.join(__dirname));
    expect(read.ok ? '' : read.errors[0].message).toMatch(/no sdn.csv/);
  });
});
