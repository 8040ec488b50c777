/**
 * Names as matching compares them (LISTS.md, "Matching"): case, accents, apostrophes and punctuation dropped, `&`
 * read as "and", legal-form words (Co., Ltd., LLC, Corporation, CC, Trading, …) and filler words set apart, and
 * Korean words brought to one romanization, so that "Chosun", "Choson" and "Joson", or "P'yongyang" and
 * "Pyongyang", are one word. Pure: no I/O, the same answer on every machine.
 */

export interface NameToken {
  /** The word as the name writes it (for explanations). */
  original: string;
  /** The normalized word matching compares. */
  text: string;
  /** A legal-form or filler word: shown, but not counted. */
  ignored: boolean;
  /** Written as an abbreviation ("Constr.") and read as the whole word. */
  expanded: boolean;
  /** Its spelling and romanization key (wordKey): computed once, compared many times. */
  key: string;
}

/**
 * Words that say what kind of legal person a name is, not which one. "Trading" is one (LISTS.md): DPRK fronts add
 * and drop it freely ("Korea Daesong General Trading Corporation" / "Korea Daesong Corporation").
 */
export const LEGAL_FORMS: ReadonlySet<string> = new Set([
  'co', 'cos', 'company', 'companies', 'ltd', 'limited', 'llc', 'llp', 'lp', 'inc', 'incorporated', 'corp', 'corporation',
  'cc', 'trading', 'trdg', 'trade', 'jsc', 'ojsc', 'cjsc', 'pjsc', 'ooo', 'oao', 'zao', 'pao', 'sa', 'sarl', 'srl',
  'spa', 'gmbh', 'ag', 'bv', 'nv', 'plc', 'pte', 'pty', 'pvt', 'jv', 'jvc', 'kg', 'ltda', 'sdn', 'bhd', 'tbk', 'ab', 'oy', 'as',
]);

/** Words that join others and tell no names apart. */
const FILLERS: ReadonlySet<string> = new Set(['of', 'the', 'and', 'for', 'de', 'la', 'del', 'du', 'des', 'y', 'et', 'a']);

/** Abbreviations lists and registries use for whole words. */
const ABBREVIATIONS: Readonly<Record<string, string>> = {
  intl: 'international', int: 'international', mfg: 'manufacturing', dev: 'development', devt: 'development',
  gen: 'general', genl: 'general', natl: 'national', assn: 'association', assoc: 'associated', ind: 'industrial',
  inds: 'industries', indus: 'industrial', tech: 'technology', eng: 'engineering', engg: 'engineering',
  const: 'construction', constr: 'construction', bros: 'brothers', mgmt: 'management', mgt: 'management',
  shpg: 'shipping', shipg: 'shipping', svcs: 'services', svc: 'service', dept: 'department', hk: 'hongkong',
  ovs: 'overseas', grp: 'group', proj: 'project',
};

/**
 * Romanizations of Korean words that differ by more than the regular rules below catch (McCune–Reischauer,
 * Revised Romanization and everyday spellings). Keys and values are already lower case without apostrophes.
 */
const KOREAN_VARIANTS: Readonly<Record<string, string>> = {
  chosun: 'choson', joson: 'choson', chosen: 'choson', josun: 'choson',
  pyeongyang: 'pyongyang', phyongyang: 'pyongyang',
  nodong: 'rodong', ri: 'li', rhee: 'li', yi: 'li', lee: 'li',
  gwangmyeong: 'kwangmyong', ryugyeong: 'ryugyong', koryeo: 'koryo', goryeo: 'koryo',
};

/**
 * A key under which romanizations of one Korean word meet: the vowel pairs Revised Romanization writes (eo, eu,
 * ae) as McCune–Reischauer's o, u, e; voiced and unvoiced consonants (g/k, d/t, b/p, j/ch) as one, but for the g of
 * ng (a nasal); doubled consonants as one; an h before a consonant or at the end dropped.
 */
export function romanizationKey(word: string): string {
  return word
    .replace(/eo/g, 'o').replace(/eu/g, 'u').replace(/ae/g, 'e').replace(/oo/g, 'u')
    .replace(/j/g, 'ch').replace(/(?<!n)g/g, 'k').replace(/d/g, 't').replace(/b/g, 'p')
    .replace(/([bcdfghklmnpqrstvwxz])\1/g, '$1').replace(/h(?=[^aeiouy]|$)/g, '');
}

/** Centre/center, labour/labor, organisation/organization: one spelling for comparing. */
export function britishToAmerican(word: string): string {
  return word.replace(/(?<=[^aeiou])re$/, 'er').replace(/our$/, 'or').replace(/is(e|ation)$/, 'iz$1');
}

/** What two spellings or romanizations of one word share (romanizationKey of the American spelling). */
export const wordKey = (word: string): string => romanizationKey(britishToAmerican(word));

/** The words of a name, normalized; ignored words kept (explanations show them) but marked. */
export function nameTokens(name: string): NameToken[] {
  const folded = name
    .normalize('NFKD').replace(/[\u0300-\u036f]/g, '')
    // apostrophes mark Korean aspiration or syllable breaks (P'yongyang, Ch'olhyo'n): the word stays one word
    .replace(/['’‘`ʼ]/g, '')
    .replace(/&/g, ' and ')
    .replace(/\./g, '');
  const out: NameToken[] = [];
  for (const original of folded.split(/[^A-Za-z0-9]+/).filter((w) => w !== '')) {
    const lower = original.toLowerCase();
    const text = KOREAN_VARIANTS[lower] ?? ABBREVIATIONS[lower] ?? lower;
    out.push({ original, text, ignored: LEGAL_FORMS.has(lower) || FILLERS.has(lower), expanded: lower in ABBREVIATIONS, key: wordKey(text) });
  }
  return out;
}

/** The counted words of a name; all its words when every one is a legal form or filler (a name like "Trading Co."). */
export function countedTokens(tokens: NameToken[]): NameToken[] {
  const counted = tokens.filter((t) => !t.ignored);
  return counted.length > 0 ? counted : tokens;
}
