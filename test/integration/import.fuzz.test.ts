import { readFileSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { importDirectory } from '../../src/cli/import.command';
import { loadConfig } from '../../src/config';
import type { Neo4jClient } from '../../src/db/neo4j-client';
import { datasetDir, dumpGraph, importDir, resetGraph, testClient } from '../helpers/neo4j';

/**
 * Corrupted datasets through the import as the command runs it (read, validate, write): each is refused, and the
 * graph is exactly what it was (compared as full dumps), never partly written.
 */
const SEED = path.join(__dirname, '..', '..', 'seed');
const seedFile = (f: string) => readFileSync(path.join(SEED, f), 'utf8');
let client: Neo4jClient;
let before: string[];
const cfg = () => loadConfig({
  ...process.env,
  NEO4J_URI: process.env.LABORTRACE_TEST_NEO4J_URI!,
  NEO4J_USER: process.env.LABORTRACE_TEST_NEO4J_USER ?? 'neo4j',
  NEO4J_PASSWORD: process.env.LABORTRACE_TEST_NEO4J_PASSWORD ?? '',
  NEO4J_DATABASE: process.env.LABORTRACE_TEST_NEO4J_DATABASE ?? '',
});

beforeAll(async () => {
  client = await testClient();
  await resetGraph(client);
  await importDir(client, SEED);
  before = await dumpGraph(client);
});
afterAll(() => client.close());

/** A new product and factory (written first, were the import not refused whole) plus one corrupted file. */
const fresh = {
  'products.csv': `${seedFile('products.csv')}NEW-P,New product,,,,\n`,
  'factories.csv': 'id,name,country\nNEW-F,New plant,CN\n',
};

const CORRUPTED: [string, () => string][] = [
  ['a NUL byte in a name', () => datasetDir({ ...fresh, 'companies.csv': 'id,name\nNEW-C,Acme\u0000 Ltd\n' })],
  ['a 1 MB name', () => datasetDir({ ...fresh, 'companies.csv': `id,name\nNEW-C,${'x'.repeat(1 << 20)}\n` })],
  ['an unterminated quote', () => datasetDir({ ...fresh, 'companies.csv': 'id,name\nNEW-C,"Acme\nNEW-D,Other\n' })],
  ['lat 0x10', () => datasetDir({ ...fresh, 'factories.csv': 'id,name,country,lat\nNEW-F,New plant,CN,0x10\n' })],
  ['a Latin-1 file', () => {
    const dir = datasetDir(fresh);
    require('node:fs').writeFileSync(path.join(dir, 'companies.csv'), Buffer.from('id,name\nNEW-C,Société\n', 'latin1'));
    return dir;
  }],
  ['a UTF-16 file', () => {
    const dir = datasetDir(fresh);
    require('node:fs').writeFileSync(path.join(dir, 'companies.csv'), Buffer.from('\uFEFFid,name\nNEW-C,Acme\n', 'utf16le'));
    return dir;
  }],
  ['a symlink to a system file', () => {
    const dir = datasetDir(fresh);
    symlinkSync('/etc/passwd', path.join(dir, 'companies.csv'));
    return dir;
  }],
  ['a reference of the wrong kind', () => datasetDir({ ...fresh, 'production.csv': 'item_id,factory_id\nNEW-P,NEW-P\n' })],
  ['an unknown column', () => datasetDir({ ...fresh, 'companies.csv': 'id,name,colour\nNEW-C,Acme,red\n' })],
];

describe('corrupted datasets through import', () => {
  it.each(CORRUPTED)('%s: refused, the graph unchanged', async (_, make) => {
    const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      expect(await importDirectory(cfg(), make())).toBeNull();
      const said = stderr.mock.calls.map((c) => String(c[0])).join('');
      expect(said).toMatch(/^[^\n]+\.csv:\d+:\d+: [^\n]+$/m);
      expect(said).not.toContain('root:'); // nothing of /etc/passwd is echoed
      expect(said).toContain('nothing was imported');
    } finally {
      stderr.mockRestore();
    }
    expect(await dumpGraph(client)).toEqual(before);
  });

  it('random corruptions of a seed file: refused or imported whole, never partly', async () => {
    await fc.assert(fc.asyncProperty(
      fc.constantFrom('companies.csv', 'factories.csv', 'employment.csv', 'bom.csv'),
      fc.nat(), fc.constantFrom('\u0000', '"', '\uFFFF', ',', '\n', '0x10', '\uD800'),
      async (file, pos, insert) => {
        const text = seedFile(file);
        const i = pos % (text.length + 1);
        const dir = datasetDir({ ...fresh, [file]: text.slice(0, i) + insert + text.slice(i) });
        const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
        let summary;
        try {
          summary = await importDirectory(cfg(), dir);
        } finally {
          stderr.mockRestore();
        }
        const after = await dumpGraph(client);
        if (summary === null) {
          expect(after).toEqual(before);
        } else {
          // a harmless corruption (a comma in a quoted field, a blank line): the dataset went in whole
          expect(after.some((l) => l.includes('"NEW-P"'))).toBe(true);
          await resetGraph(client);
          await importDir(client, SEED);
          expect(await dumpGraph(client)).toEqual(before);
        }
      },
    ), { numRuns: 12 });
  });
});
