import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { main } from '../../src/cli/main';
import type { Neo4jClient } from '../../src/db/neo4j-client';
import { formatError } from '../../src/dataset/dataset.types';
import { ExportTargetError } from '../../src/export/export.service';
import { exportFtm } from '../../src/export/ftm.export';
import type { FtmEntity } from '../../src/ftm/ftm.model';
import { ftmProblems } from '../../src/ftm/ftm.validation';
import { readFtmFile } from '../../src/lists/ftm.reader';
import { importDir, resetGraph, testClient } from '../helpers/neo4j';
import { SEED_DIR } from '../helpers/seed-dataset';

let client: Neo4jClient;
beforeAll(async () => {
  client = await testClient();
  await resetGraph(client);
  await importDir(client, SEED_DIR);
});
afterAll(() => client.close());

const tmp = () => mkdtempSync(path.join(os.tmpdir(), 'labortrace-ftm-'));
const linesOf = (file: string): FtmEntity[] => readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as FtmEntity);
const csv = (file: string): Record<string, string>[] => parse(readFileSync(path.join(SEED_DIR, file)), { columns: true, bom: true });

describe('export --format ftm of the demo data, from Neo4j', () => {
  it('writes one valid FtM entity per line: every schema, property and reference checked against the model', async () => {
    const file = path.join(tmp(), 'graph.ftm.json');
    const summary = await exportFtm(client, file);
    const entities = linesOf(file);
    expect(entities).toHaveLength(summary.entities);
    expect(ftmProblems(entities)).toEqual([]);
    // every node and every relationship row of the seed is there (shipment links are folded into the shipment)
    const nodeFiles = ['products', 'components', 'factories', 'companies', 'agencies', 'workers', 'evidence', 'shipments'];
    const relFiles = ['bom', 'production', 'subcontracts', 'employment', 'recruitment', 'dispatch', 'labor_supply', 'supply', 'sourcing'];
    const factories = csv('factories.csv');
    const expected = [...nodeFiles, ...relFiles].reduce((n, f) => n + csv(`${f}.csv`).length, 0)
      + factories.filter((f) => f.operator_id).length // Ownership
      + factories.filter((f) => f.address || f.lat || f.lon).length; // Address
    expect(entities).toHaveLength(expected);
  });

  it('dates come back from Neo4j as written (partial dates stay partial)', async () => {
    const file = path.join(tmp(), 'graph.jsonl');
    await exportFtm(client, file);
    const glove = linesOf(file).find((e) => e.schema === 'UnknownLink' && e.properties.subject[0] === 'lt-W-KP-COHORT-09')!;
    expect(glove.properties).toMatchObject({ startDate: ['2023-12'], endDate: ['2023-12'] });
    const ev = linesOf(file).find((e) => e.id === 'lt-EV-001')!;
    expect(ev.properties.publishedAt).toEqual(['2019-02-14']);
  });

  it('read back with the FtM list reader: the companies and agencies with their names and countries', async () => {
    const file = path.join(tmp(), 'graph.ftm.json');
    await exportFtm(client, file);
    const read = await readFtmFile(file);
    if (!read.ok) throw new Error(read.errors.map(formatError).join('\n'));
    const entries = new Map(read.entries.map((e) => [e.entryId, e]));
    for (const row of [...csv('companies.csv'), ...csv('agencies.csv')]) {
      expect(entries.get(`lt-${row.id}`)).toMatchObject({ name: row.name, countries: row.country ? [row.country] : [] });
    }
  });

  it('refuses an existing file unless forced, and a directory always; nothing is written then', async () => {
    const dir = tmp();
    const file = path.join(dir, 'graph.ftm.json');
    writeFileSync(file, 'keep');
    await expect(exportFtm(client, file)).rejects.toThrow(ExportTargetError);
    expect(readFileSync(file, 'utf8')).toBe('keep');
    await expect(exportFtm(client, dir, { force: true })).rejects.toThrow(/is a directory/);
    await exportFtm(client, file, { force: true });
    expect(ftmProblems(linesOf(file))).toEqual([]);
  });
});

describe('labortrace export --format', () => {
  const TEST_DB = {
    NEO4J_URI: process.env.LABORTRACE_TEST_NEO4J_URI!,
    NEO4J_USER: process.env.LABORTRACE_TEST_NEO4J_USER ?? 'neo4j',
    NEO4J_PASSWORD: process.env.LABORTRACE_TEST_NEO4J_PASSWORD ?? '',
  };
  /** Runs the command in this process, as bin/labortrace.js does, capturing stdout and stderr. */
  async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    const saved = { ...process.env };
    Object.assign(process.env, TEST_DB, { LABORTRACE_HOME: tmp() });
    const out: string[] = [];
    const err: string[] = [];
    const so = jest.spyOn(process.stdout, 'write').mockImplementation((s) => (out.push(String(s)), true));
    const se = jest.spyOn(process.stderr, 'write').mockImplementation((s) => (err.push(String(s)), true));
    try {
      const code = await main(args);
      return { code, stdout: out.join(''), stderr: err.join('') };
    } finally {
      so.mockRestore();
      se.mockRestore();
      process.env = saved;
    }
  }

  it('ftm writes the file and says how many entities of each schema', async () => {
    const file = path.join(tmp(), 'out.ftm.json');
    const r = await cli('export', '--format', 'ftm', file);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    const entities = linesOf(file);
    expect(r.stdout).toMatch(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: ${entities.length} entities \\(Company \\d+, .*\\)\\n$`));
    expect(r.stdout).toContain(`Document ${csv('evidence.csv').length}`);
  });

  it('ftm to - writes the entities on stdout and the summary on stderr', async () => {
    const r = await cli('export', '--format', 'ftm', '-');
    expect(r.code).toBe(0);
    const entities = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as FtmEntity);
    expect(ftmProblems(entities)).toEqual([]);
    expect(r.stderr).toBe(`stdout: ${entities.length} entities (${[...new Set(entities.map((e) => e.schema))].map((s) => `${s} ${entities.filter((e) => e.schema === s).length}`).join(', ')})\n`);
  });

  it('refuses a file that exists (exit 1), a name that is not .json/.jsonl and an unknown format (exit 2)', async () => {
    const file = path.join(tmp(), 'g.json');
    writeFileSync(file, 'keep');
    const refused = await cli('export', '--format', 'ftm', file);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/the file exists.*--force/);
    expect(readFileSync(file, 'utf8')).toBe('keep');
    expect((await cli('export', '--format', 'ftm', '--force', file)).code).toBe(0);

    const notJson = await cli('export', '--format', 'ftm', tmp());
    expect(notJson.code).toBe(2);
    expect(notJson.stderr).toContain('should end in .json or .jsonl');
    const unknown = await cli('export', '--format', 'xml', 'x.xml');
    expect(unknown).toMatchObject({ code: 2, stderr: "labortrace export: --format: 'xml' is not a format (csv or ftm) (see 'labortrace export --help')\n" });
  });

  it('csv stays the default and --format csv is the same', async () => {
    const a = await cli('export', path.join(tmp(), 'a'));
    const b = await cli('export', '--format', 'csv', path.join(tmp(), 'b'));
    expect(a.code).toBe(0);
    expect(b).toEqual(a);
    expect(a.stdout).toContain(`companies.csv: ${csv('companies.csv').length} rows`);
  });
});
