import 'reflect-metadata';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig, PROJECT_ROOT } from '../src/config';
import { readDataset } from '../src/dataset/dataset.reader';
import { formatError } from '../src/dataset/dataset.types';
import { ensureRunning, stop } from '../src/db/embedded-neo4j';
import { ensureGraphSchema } from '../src/db/graph-schema';
import { connect } from '../src/db/neo4j-client';
import { importDataset } from '../src/import/import.service';
import type { ListEntry } from '../src/lists/list-entry';
import { importListVersion, matchList } from '../src/lists/list.store';
import { compareNames, DEFAULT_MATCH_THRESHOLD, ListMatcher, type MatchSubject } from '../src/lists/name-matcher';
import { nameTokens } from '../src/lists/name-tokens';
import { readOfacSdnDir } from '../src/lists/ofac-sdn.reader';
import { freeResultFile, option } from './bench-cli';
import { rng } from './generate';
import { machine, round } from './run';

/**
 * `npm run build && node dist/bench/list-matching.js [--entries 10000] [--subjects 100000] [--seed 42] [--no-store] [--name NAME]`
 *
 * LISTS.md's figure: matching a 10^4-entry list against 10^5 graph entities. The list is the shipped OFAC SDN
 * version (9,156 entries) topped up with synthetic entity entries to --entries; the subjects are synthetic company
 * names, a third of them built from the list's own words (so that blocking finds candidates to score, as real
 * supplier names sharing words like KOREA, TRADING, SHIPPING do), the rest from a business vocabulary and random
 * syllables. Measured: in process (the matcher's index, then every subject), and through the store as `lists import`
 * runs it (the subjects imported as companies into an embedded Neo4j of its own, the list version written, then
 * matchList: read subjects and entries, match, write candidates) unless --no-store. Baseline beside it: comparing
 * each subject with every entity entry (no index), timed on a sample and scaled to all subjects.
 */

const log = (msg: string) => process.stderr.write(`bench-lists: ${msg}\n`);
const now = () => performance.now();


const BUSINESS = ['global', 'textile', 'garment', 'logistics', 'foods', 'seafood', 'ceramics', 'steel', 'electronics', 'components',
  'holdings', 'industrial', 'group', 'trading', 'import', 'export', 'international', 'manufacturing', 'supply', 'partners',
  'shipping', 'marine', 'construction', 'works', 'services', 'solutions', 'technology', 'development', 'resources', 'energy'];
const FORMS = ['Co.', 'Ltd.', 'LLC', 'Inc.', 'Corporation', 'Co., Ltd.', 'GmbH', 'S.A.', ''];
const SYLLABLES = ['ka', 'lo', 'mi', 'ran', 'tor', 'vel', 'shen', 'dong', 'hua', 'xin', 'ba', 'ri', 'sol', 'ten', 'zan', 'qu', 'mar', 'ost'];

function syntheticWord(r: () => number): string {
  const n = 2 + Math.floor(r() * 2);
  let w = '';
  for (let i = 0; i < n; i++) w += SYLLABLES[Math.floor(r() * SYLLABLES.length)];
  return w[0].toUpperCase() + w.slice(1);
}

function pick<T>(r: () => number, xs: readonly T[]): T {
  return xs[Math.floor(r() * xs.length)];
}

function listWords(entries: readonly ListEntry[]): string[] {
  const words = new Set<string>();
  for (const e of entries) if (e.type === 'entity') for (const t of nameTokens(e.name)) if (!t.ignored && t.original.length > 2) words.add(t.original);
  return [...words];
}

function syntheticEntries(count: number, r: () => number, startId: number): ListEntry[] {
  return Array.from({ length: count }, (_, i) => ({
    entryId: String(startId + i), name: `${syntheticWord(r)} ${pick(r, BUSINESS)} ${pick(r, FORMS)}`.trim().toUpperCase(), aliases: [],
    type: 'entity' as const, programs: ['SYNTH'], countries: [], dprk: false, linkedTo: [], remarks: null, file: 'synthetic', line: 0,
  }));
}

function syntheticSubjects(count: number, r: () => number, vocabulary: readonly string[]): MatchSubject[] {
  const countries = ['CN', 'RU', 'AO', 'GQ', 'PL', 'MX', 'VN', 'MY', null];
  return Array.from({ length: count }, (_, i) => {
    const fromList = r() < 1 / 3;
    const words = 1 + Math.floor(r() * 3);
    const name = Array.from({ length: words }, () => (fromList && r() < 0.7 ? pick(r, vocabulary) : r() < 0.5 ? syntheticWord(r) : pick(r, BUSINESS)));
    return { id: `CO-S${i}`, name: `${name.join(' ')} ${pick(r, FORMS)}`.trim(), country: pick(r, countries) };
  });
}

export async function main(args: string[]): Promise<number> {
  const entriesWanted = Number(option(args, 'entries') ?? 10_000);
  const subjectCount = Number(option(args, 'subjects') ?? 100_000);
  const seed = Number(option(args, 'seed') ?? 42);
  const store = !args.includes('--no-store');
  const name = option(args, 'name') ?? `list-matching-${new Date().toISOString().slice(0, 10)}`;
  const r = rng(seed);

  const shipped = await readOfacSdnDir(path.join(PROJECT_ROOT, 'seed', 'lists', 'ofac-sdn-2021-09-17'));
  if (!shipped.ok) throw new Error(shipped.errors.map(formatError).join('\n'));
  const entries = [...shipped.entries, ...syntheticEntries(Math.max(0, entriesWanted - shipped.entries.length), r, 900_000)];
  const subjects = syntheticSubjects(subjectCount, r, listWords(shipped.entries));
  log(`${entries.length} entries (${entries.filter((e) => e.type === 'entity').length} entities), ${subjects.length} subjects`);

  let t = now();
  const matcher = new ListMatcher(entries);
  const indexMs = now() - t;
  t = now();
  let candidates = 0;
  let compared = 0;
  for (const s of subjects) candidates += matcher.match(s, DEFAULT_MATCH_THRESHOLD).length;
  const matchMs = now() - t;
  log(`in process: index ${round(indexMs)} ms, ${subjects.length} subjects in ${round(matchMs / 1000)} s, ${candidates} candidates`);

  // baseline: every subject against every entity name, on a sample
  const sample = subjects.slice(0, 200);
  const names = entries.filter((e) => e.type === 'entity').flatMap((e) => [e.name, ...e.aliases.map((a) => a.name)]).map((n) => nameTokens(n));
  t = now();
  for (const s of sample) {
    const tokens = nameTokens(s.name);
    for (const n of names) if (compareNames(tokens, n, matcher.weight).score >= DEFAULT_MATCH_THRESHOLD) compared++;
  }
  const baselineSampleMs = now() - t;
  const baselineProjectedS = (baselineSampleMs / sample.length) * subjects.length / 1000;
  log(`baseline (all pairs): ${sample.length} subjects in ${round(baselineSampleMs)} ms, projected ${round(baselineProjectedS)} s for all (${compared} candidates in the sample)`);

  let throughStore: Record<string, unknown> | null = null;
  if (store) {
    const home = path.join(PROJECT_ROOT, '.labortrace', 'bench-lists');
    const cfg = { ...loadConfig({ ...process.env, LABORTRACE_HOME: home, NEO4J_URI: '' }), heap: '2g', pageCache: '512m' };
    await stop(cfg);
    const { rm } = await import('node:fs/promises');
    await rm(path.join(home, 'neo4j'), { recursive: true, force: true });
    await ensureRunning(cfg);
    const client = await connect(cfg);
    try {
      await ensureGraphSchema(client);
      const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-lists-'));
      const quote = (v: string) => `"${v.replace(/"/g, '""')}"`;
      writeFileSync(path.join(dir, 'companies.csv'), ['id,name,country', ...subjects.map((s) => `${s.id},${quote(s.name)},${s.country ?? ''}`)].join('\n') + '\n');
      const read = await readDataset(dir);
      if (!read.ok) throw new Error(read.errors.slice(0, 5).map(formatError).join('\n'));
      t = now();
      await importDataset(client, read.dataset);
      log(`imported ${subjects.length} companies in ${round((now() - t) / 1000)} s`);
      t = now();
      await importListVersion(client, 'bench', 'v1', entries, 'bench', new Date().toISOString());
      const versionS = (now() - t) / 1000;
      t = now();
      const run = await matchList(client, 'bench', DEFAULT_MATCH_THRESHOLD, new Date().toISOString());
      const matchS = (now() - t) / 1000;
      log(`through the store: version written in ${round(versionS)} s, matchList in ${round(matchS)} s (${JSON.stringify(run)})`);
      const [db] = await client.read<{ version: string }>('admin/dbms-components');
      throughStore = { listVersionWriteSeconds: round(versionS), matchListSeconds: round(matchS), run, machine: machine(cfg, db.version) };
    } finally {
      await client.close();
      await stop(cfg);
    }
  }

  const file = freeResultFile(name);
  writeFileSync(file, JSON.stringify({
    date: new Date().toISOString(), seed, entries: entries.length, entityEntries: entries.filter((e) => e.type === 'entity').length, subjects: subjects.length,
    threshold: DEFAULT_MATCH_THRESHOLD,
    inProcess: { indexMs: round(indexMs), matchSeconds: round(matchMs / 1000), candidates },
    baselineAllPairs: { sampleSubjects: sample.length, sampleMs: round(baselineSampleMs), projectedSeconds: round(baselineProjectedS), note: 'projected from the sample, not run in full' },
    throughStore,
  }, null, 2) + '\n');
  process.stdout.write(`${path.relative(PROJECT_ROOT, file)}\n`);
  return 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => process.exit(code), (e) => {
    process.stderr.write(`bench-lists: ${(e as Error).stack ?? e}\n`);
    process.exit(1);
  });
}
