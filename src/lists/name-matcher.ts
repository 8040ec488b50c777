import { distance } from 'fastest-levenshtein';
import type { ListEntry } from './list-entry';
import { countedTokens, nameTokens, wordKey, type NameToken } from './name-tokens';

/**
 * Matching graph entities against one list version (LISTS.md, "Matching"). Each name is a bag of normalized words
 * (name-tokens.ts), so word order does not count; two bags are compared word by word, each word weighted by how
 * rare it is on the list (a word every other entry has, like KOREA, says little), and the score is the weighted
 * share of both names' words that found a partner: 1 when every word has an equal one, 0 when none has. The best of
 * an entry's names and aliases is its score; a country on both sides that differs lowers it. Every candidate carries
 * the word-by-word reasoning a person checks before deciding.
 */

export type WordMatchKind = 'same' | 'romanization' | 'abbreviation' | 'spelling';

/** How alike two normalized words are, and why; null when not at all. */
export function wordSimilarity(a: string, b: string): { score: number; how: WordMatchKind } | null {
  return similarity(a, wordKey(a), b, wordKey(b));
}

/** wordSimilarity of words whose keys (wordKey) are known. */
function similarity(a: string, ka: string, b: string, kb: string): { score: number; how: WordMatchKind } | null {
  if (a === b) return { score: 1, how: 'same' };
  if (ka === kb) return { score: 0.95, how: 'romanization' };
  const [short, long] = a.length <= b.length ? [a, b] : [b, a];
  if (short.length >= 3 && long.startsWith(short) && short.length < long.length) return { score: 0.9, how: 'abbreviation' };
  const longest = Math.max(ka.length, kb.length);
  // the edit distance is at least the difference in length: past a quarter of the longer key, it cannot reach 0.75
  if (Math.min(ka.length, kb.length) >= 4 && Math.abs(ka.length - kb.length) <= longest * (1 - SPELLING_MIN)) {
    const ratio = 1 - distance(ka, kb) / longest;
    if (ratio >= SPELLING_MIN) return { score: ratio, how: 'spelling' };
  }
  return null;
}

/** Two keys at least this alike (1 - edit distance / length) are one word spelled two ways. */
const SPELLING_MIN = 0.75;

/** A word of either name and what became of it. */
export interface WordMatch {
  entityWord: string | null;
  entryWord: string | null;
  score: number;
  how: WordMatchKind | 'missing' | 'ignored';
}

/** Compares two names: the weighted share of words paired (greedy, best pairs first, each word used once). */
export function compareNames(entity: NameToken[], entry: NameToken[], weight: (word: string) => number): { score: number; words: WordMatch[] } {
  const a = countedTokens(entity);
  const b = countedTokens(entry);
  const pairs: { i: number; j: number; score: number; how: WordMatchKind }[] = [];
  for (let i = 0; i < a.length; i++) {
    for (let j = 0; j < b.length; j++) {
      const s = similarity(a[i].text, a[i].key, b[j].text, b[j].key);
      // "Constr." read as "construction" is the same word, but the reviewer should see it was abbreviated
      if (s) pairs.push({ i, j, score: s.score, how: s.how === 'same' && (a[i].expanded || b[j].expanded) ? 'abbreviation' : s.how });
    }
  }
  pairs.sort((x, y) => y.score - x.score || x.i - y.i || x.j - y.j);
  const usedA = new Array<boolean>(a.length).fill(false);
  const usedB = new Array<boolean>(b.length).fill(false);
  const words: WordMatch[] = [];
  let matched = 0;
  for (const p of pairs) {
    if (usedA[p.i] || usedB[p.j]) continue;
    usedA[p.i] = usedB[p.j] = true;
    matched += p.score * (weight(a[p.i].text) + weight(b[p.j].text));
    words.push({ entityWord: a[p.i].original, entryWord: b[p.j].original, score: p.score, how: p.how });
  }
  let total = 0;
  a.forEach((t, i) => {
    total += weight(t.text);
    if (!usedA[i]) words.push({ entityWord: t.original, entryWord: null, score: 0, how: 'missing' });
  });
  b.forEach((t, j) => {
    total += weight(t.text);
    if (!usedB[j]) words.push({ entityWord: null, entryWord: t.original, score: 0, how: 'missing' });
  });
  for (const t of entity) if (!a.includes(t)) words.push({ entityWord: t.original, entryWord: null, score: 0, how: 'ignored' });
  for (const t of entry) if (!b.includes(t)) words.push({ entityWord: null, entryWord: t.original, score: 0, how: 'ignored' });
  return { score: total === 0 ? 0 : matched / total, words };
}

/** What is matched against the list: a Company, LaborAgency or Factory. */
export interface MatchSubject {
  id: string;
  name: string;
  /** ISO alpha-2, or null when the graph does not say. */
  country: string | null;
}

export interface MatchCandidate {
  subjectId: string;
  entryId: string;
  /** The entry's name or alias that matched best. */
  matchedName: string;
  matchedAs: 'name' | 'aka' | 'fka' | 'nka';
  score: number;
  words: WordMatch[];
  /** Countries on both sides and none shared: the score was lowered. */
  countryMismatch: boolean;
  explanation: string;
}

/**
 * Candidates at or above this score enter the review queue (LABORTRACE_MATCH_THRESHOLD overrides it). Chosen on
 * the labelled names in test/fixtures/list-match-labels.csv against the shipped SDN version (README, "Matching"):
 * the highest threshold at which every labelled variant is still found.
 */
export const DEFAULT_MATCH_THRESHOLD = 0.8;

/** A differing country on both sides multiplies the score by this. */
export const COUNTRY_MISMATCH_FACTOR = 0.8;
/**
 * A subject that matches one entry this much better than another is not proposed for the other: "Koryo Commercial
 * Bank" is KORYO COMMERCIAL BANK (1.0), and KORYO BANK (0.81) beside it is noise for the reviewer.
 */
export const DOMINANCE_MARGIN = 0.15;
/** Words on more than this share of the list's names do not by themselves make an entry a candidate. */
const COMMON_WORD_SHARE = 0.02;

interface IndexedName {
  entry: number;
  name: string;
  as: MatchCandidate['matchedAs'];
  tokens: NameToken[];
}

/**
 * One list version prepared for matching: the entity entries' names and aliases as words, how many names each
 * word is on (its weight), and an index from word keys (the word, its romanization key, its first four letters) to
 * the names, so that a subject is compared only with names that share something with it.
 */
export class ListMatcher {
  private readonly names: IndexedName[] = [];
  private readonly byKey = new Map<string, number[]>();
  private readonly namesWith = new Map<string, number>();
  private readonly maxWeight: number;

  constructor(private readonly entries: readonly ListEntry[]) {
    entries.forEach((e, entry) => {
      // people, vessels and aircraft are not what a company, agency or factory in the graph is
      if (e.type !== 'entity') return;
      const all: [string, IndexedName['as']][] = [[e.name, 'name'], ...e.aliases.map((a) => [a.name, a.kind] as [string, IndexedName['as']])];
      for (const [name, as] of all) {
        const tokens = nameTokens(name);
        if (tokens.length === 0) continue;
        const at = this.names.push({ entry, name, as, tokens }) - 1;
        const counted = countedTokens(tokens);
        for (const w of new Set(counted.map((t) => t.text))) this.namesWith.set(w, (this.namesWith.get(w) ?? 0) + 1);
        for (const key of new Set(counted.flatMap(wordKeys))) {
          let list = this.byKey.get(key);
          if (!list) this.byKey.set(key, (list = []));
          list.push(at);
        }
      }
    });
    this.maxWeight = Math.log((this.names.length + 1) / 0.5);
  }

  get nameCount(): number {
    return this.names.length;
  }

  private readonly weights = new Map<string, number>();

  /** Rare words weigh more: log((names + 1) / (names with the word + 0.5)). */
  readonly weight = (word: string): number => {
    let w = this.weights.get(word);
    if (w === undefined) this.weights.set(word, (w = Math.log((this.names.length + 1) / ((this.namesWith.get(word) ?? 0) + 0.5))));
    return w;
  };

  /** The entries whose best name scores at least `threshold` against the subject, best first. */
  match(subject: MatchSubject, threshold: number): MatchCandidate[] {
    const tokens = nameTokens(subject.name);
    const counted = countedTokens(tokens);
    if (counted.length === 0) return [];
    const common = this.names.length * COMMON_WORD_SHARE;
    const rare = counted.filter((t) => (this.namesWith.get(t.text) ?? 0) <= common);
    const probe = rare.length > 0 ? rare : counted;
    const seen = new Set<number>();
    for (const t of probe) for (const key of wordKeys(t)) for (const n of this.byKey.get(key) ?? []) seen.add(n);

    const best = new Map<number, MatchCandidate>();
    for (const n of seen) {
      const name = this.names[n];
      const entry = this.entries[name.entry];
      const compared = compareNames(tokens, name.tokens, this.weight);
      const countryMismatch = subject.country !== null && entry.countries.length > 0 && !entry.countries.includes(subject.country);
      const score = compared.score * (countryMismatch ? COUNTRY_MISMATCH_FACTOR : 1);
      if (score < threshold) continue;
      const prior = best.get(name.entry);
      if (prior && prior.score >= score) continue;
      best.set(name.entry, {
        subjectId: subject.id, entryId: entry.entryId, matchedName: name.name, matchedAs: name.as, score: round(score),
        words: compared.words, countryMismatch,
        explanation: explain(subject, entry, name, compared.words, score, countryMismatch),
      });
    }
    const found = [...best.values()].sort((x, y) => y.score - x.score || cmp(x.entryId, y.entryId));
    return found.filter((c) => c.score >= found[0].score - DOMINANCE_MARGIN);
  }
}

/** The keys a word is indexed under: itself, its spelling and romanization key, and the first four letters of that key. */
function wordKeys(t: NameToken): string[] {
  return [`w:${t.text}`, `r:${t.key}`, `p:${t.key.slice(0, 4)}`];
}

const round = (x: number) => Math.round(x * 1000) / 1000;
const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

const HOW: Record<WordMatch['how'], string> = {
  same: '=', romanization: '≈ (romanization)', abbreviation: '≈ (abbreviation)', spelling: '≈ (spelling)', missing: '', ignored: '',
};

/** One line a reviewer reads: which name matched which, word by word, and what moved the score. */
function explain(subject: MatchSubject, entry: ListEntry, name: IndexedName, words: WordMatch[], score: number, countryMismatch: boolean): string {
  const parts = words.map((w) => {
    if (w.how === 'missing') return w.entityWord !== null ? `"${w.entityWord}" not in the list's name` : `"${w.entryWord}" not in the graph's name`;
    if (w.how === 'ignored') return `"${w.entityWord ?? w.entryWord}" ignored (legal form or filler)`;
    return `"${w.entityWord}" ${HOW[w.how]} "${w.entryWord}"${w.how === 'spelling' ? ` ${w.score.toFixed(2)}` : ''}`;
  });
  const country = countryMismatch
    ? `; countries differ (${subject.country} vs ${entry.countries.join('/')}): ×${COUNTRY_MISMATCH_FACTOR}`
    : subject.country !== null && entry.countries.includes(subject.country) ? `; country ${subject.country} on both` : '';
  const as = name.as === 'name' ? 'its name' : `its ${name.as === 'aka' ? 'alias' : name.as === 'fka' ? 'former name' : 'new name'}`;
  return `"${subject.name}" matches entry ${entry.entryId} by ${as} "${name.name}": ${parts.join('; ')}${country}; score ${score.toFixed(2)}`;
}
