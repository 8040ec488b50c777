import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { readOfacSdnDir } from '../../src/lists/ofac-sdn.reader';
import { measureThresholds, type LabelledName } from '../../src/lists/match-evaluation';
import { compareNames, DEFAULT_MATCH_THRESHOLD, ListMatcher, wordSimilarity } from '../../src/lists/name-matcher';
import { countedTokens, nameTokens } from '../../src/lists/name-tokens';
import type { ListEntry } from '../../src/lists/list-entry';

const SHIPPED = path.join(__dirname, '..', '..', 'seed', 'lists', 'ofac-sdn-2021-09-17');
const LABELS: LabelledName[] = (parse(readFileSync(path.join(__dirname, '..', 'fixtures', 'list-match-labels.csv')), { columns: true }) as Record<string, string>[])
  .map((r) => ({ name: r.name, country: r.country || null, entryId: r.entry_id || null, variant: r.variant }));

const entry = (entryId: string, name: string, extra: Partial<ListEntry> = {}): ListEntry => ({
  entryId, name, aliases: [], type: 'entity', programs: ['DPRK3'], countries: [], dprk: true, linkedTo: [], remarks: null, file: 'sdn.csv', line: 1, ...extra,
});

describe('names as matching reads them', () => {
  it('sets legal forms and fillers apart, joins apostrophised Korean words, reads & as and', () => {
    const t = nameTokens("Ch'olhyo'n Overseas Construction Co., Ltd. & Partners of Korea");
    expect(t.map((x) => [x.text, x.ignored])).toEqual([
      ['cholhyon', false], ['overseas', false], ['construction', false], ['co', true], ['ltd', true], ['and', true], ['partners', false],
      ['of', true], ['korea', false],
    ]);
    expect(countedTokens(nameTokens('Trading Co. Ltd.')).map((x) => x.text)).toEqual(['trading', 'co', 'ltd']);
  });

  it('finds one word in different romanizations, abbreviations and spellings', () => {
    const same = (a: string, b: string) => wordSimilarity(nameTokens(a)[0].text, nameTokens(b)[0].text);
    for (const [a, b] of [['Chosun', 'Choson'], ['Joson', 'Choson'], ["P'yongyang", 'Pyongyang'], ['Phyongyang', 'Pyongyang'],
      ['Haegumgang', 'Haekumkang'], ['Paeksol', 'Baeksol'], ['Kumbyol', 'Kumbyeol'], ['Goryeo', 'Koryo'], ['Daesong', 'Taesong']]) {
      expect([a, b, same(a, b)!.score >= 0.95]).toEqual([a, b, true]);
    }
    expect(same('Centre', 'Center')!.how).toBe('romanization');
    expect(same('Intl', 'International')!.score).toBe(1);
    expect(same('Constr', 'Construction')).toEqual({ score: 1, how: 'same' });
    expect(same('Labour', 'Labor')!.score).toBeGreaterThanOrEqual(0.95);
    expect(same('Mansudae', 'Pyongyang')).toBeNull();
  });

  it('does not count word order, and weighs rare words more than common ones', () => {
    const w = (word: string) => (word === 'korea' ? 1 : 5);
    expect(compareNames(nameTokens('Tangun Trading Corporation, Korea'), nameTokens('KOREA TANGUN TRADING CORPORATION'), w).score).toBe(1);
    const missingCommon = compareNames(nameTokens('Tangun Corp'), nameTokens('Korea Tangun Corp'), w).score;
    const missingRare = compareNames(nameTokens('Korea Corp'), nameTokens('Korea Tangun Corp'), w).score;
    expect(missingCommon).toBeGreaterThan(missingRare);
    expect(compareNames(nameTokens('Bluepeak Outfitters'), nameTokens('Korea Tangun'), w).score).toBe(0);
  });

  it('lowers the score when both sides name a country and they differ, and says so', () => {
    const m = new ListMatcher([entry('1', 'NAMGANG CONSTRUCTION', { countries: ['KP'] })]);
    const [kp] = m.match({ id: 'a', name: 'Namgang Construction', country: 'KP' }, 0);
    const [ao] = m.match({ id: 'a', name: 'Namgang Construction', country: 'AO' }, 0);
    const [none] = m.match({ id: 'a', name: 'Namgang Construction', country: null }, 0);
    expect([kp.score, none.score]).toEqual([1, 1]);
    expect(ao.score).toBeCloseTo(0.8, 5);
    expect(ao.explanation).toMatch(/countries differ \(AO vs KP\)/);
    expect(kp.explanation).toMatch(/country KP on both/);
  });

  it('matches companies against entities only, never people, vessels or aircraft', () => {
    const m = new ListMatcher([entry('1', 'KIM CHOL', { type: 'individual' }), entry('2', 'CHOLSAN SHIPPING', { type: 'vessel' })]);
    expect(m.match({ id: 'a', name: 'Kim Chol', country: null }, 0)).toEqual([]);
    expect(m.match({ id: 'a', name: 'Cholsan Shipping', country: null }, 0)).toEqual([]);
  });
});

describe('the threshold, measured on labelled names from the shipped SDN version', () => {
  let matcher: ListMatcher;
  beforeAll(async () => {
    const read = await readOfacSdnDir(SHIPPED);
    if (!read.ok) throw new Error('the shipped list does not read');
    matcher = new ListMatcher(read.entries);
  });

  it('has true variants of every kind and look-alikes', () => {
    expect(new Set(LABELS.filter((l) => l.entryId).map((l) => l.variant))).toEqual(new Set(['abbreviation', 'alias', 'word order', 'legal form', 'case',
      'punctuation', 'spelling', 'romanization', 'extra word']));
    expect(LABELS.filter((l) => l.entryId === null).length).toBeGreaterThanOrEqual(30);
  });

  it('finds every labelled variant at the default threshold', () => {
    const [at] = measureThresholds(matcher, LABELS, [DEFAULT_MATCH_THRESHOLD]);
    expect(at.missed.map((l) => l.name)).toEqual([]);
    expect(at.recall).toBe(1);
    expect(at.precision).toBeGreaterThanOrEqual(0.95);
  });

  it('keeps look-alikes below it, but for names that hold every counted word of a listed name (the known limit)', () => {
    const [at] = measureThresholds(matcher, LABELS, [DEFAULT_MATCH_THRESHOLD]);
    for (const { label, candidate } of at.wrongCandidates) {
      const listed = new Set(countedTokens(nameTokens(candidate.matchedName)).map((t) => t.text));
      const graph = new Set(countedTokens(nameTokens(label.name)).map((t) => t.text));
      expect([label.name, [...listed].every((w) => graph.has(w))]).toEqual([label.name, true]);
    }
  });

  it('is the highest threshold that still finds every variant: one step up loses one', () => {
    const [at, above] = measureThresholds(matcher, LABELS, [DEFAULT_MATCH_THRESHOLD, DEFAULT_MATCH_THRESHOLD + 0.05]);
    expect(at.recall).toBe(1);
    expect(above.recall).toBeLessThan(1);
  });

  it('explains a candidate word by word and names the alias that matched', () => {
    const [komid] = matcher.match({ id: 'a', name: 'KOMID', country: null }, DEFAULT_MATCH_THRESHOLD);
    expect(komid).toMatchObject({ entryId: '9345', matchedName: 'KOMID', matchedAs: 'aka', score: 1 });
    expect(komid.explanation).toBe('"KOMID" matches entry 9345 by its alias "KOMID": "KOMID" = "KOMID"; score 1.00');
    const [ch] = matcher.match({ id: 'b', name: "Ch'olhyon Overseas Construction Co.", country: 'AO' }, DEFAULT_MATCH_THRESHOLD);
    expect(ch.entryId).toBe('23084');
    expect(ch.explanation).toContain(`"Cholhyon" = "CHOLHYON"`);
    expect(ch.explanation).toContain('"Co" ignored (legal form or filler)');
    const [abbr] = matcher.match({ id: 'c', name: 'Namgang Constr.', country: null }, DEFAULT_MATCH_THRESHOLD);
    expect(abbr.explanation).toContain('"Constr" ≈ (abbreviation) "CONSTRUCTION"');
  });
});
