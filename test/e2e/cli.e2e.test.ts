import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { datasetDir } from '../helpers/neo4j';

/**
 * The commands as a user runs them, against their own embedded Neo4j in a temporary LABORTRACE_HOME:
 * concurrent starts share one database, a killed database is detected and recovered, bad data is refused whole.
 */
const run = promisify(execFile);
/** The test database, with its credentials, as a user would name it (NEO4J_URI and friends). */
const TEST_DB = {
  NEO4J_URI: process.env.LABORTRACE_TEST_NEO4J_URI!,
  NEO4J_USER: process.env.LABORTRACE_TEST_NEO4J_USER ?? 'neo4j',
  NEO4J_PASSWORD: process.env.LABORTRACE_TEST_NEO4J_PASSWORD ?? '',
};
const BIN = path.join(__dirname, '..', '..', 'bin', 'labortrace.js');
const home = mkdtempSync(path.join(os.tmpdir(), 'labortrace-home-'));
const env = { ...process.env, NEO4J_URI: '', LABORTRACE_HOME: home, LABORTRACE_NEO4J_HEAP: '1g', LABORTRACE_NEO4J_PAGECACHE: '256m' };

async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run('node', [BIN, ...args], { env, timeout: 240_000 });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

const small = datasetDir({
  'products.csv': 'id,name\nP1,Jacket\n',
  'factories.csv': 'id,name,country\nF1,Plant,CN\n',
  'workers.csv': 'id,nationality\nW1,KP\n',
  'employment.csv': 'worker_id,factory_id,from,to\nW1,F1,2012-01-01,\n',
  'production.csv': 'item_id,factory_id,from,to\nP1,F1,,\n',
});

afterAll(() => cli('db', 'stop'));

describe('labortrace CLI with NEO4J_URI', () => {
  it('uses that Neo4j and launches nothing', async () => {
    const otherHome = mkdtempSync(path.join(os.tmpdir(), 'labortrace-unused-'));
    const external = { ...env, ...TEST_DB, LABORTRACE_HOME: otherHome };
    const { stdout } = await run('node', [BIN, 'import', small], { env: external, timeout: 120_000 });
    expect(stdout).toContain('Product: 1');
    expect(existsSync(path.join(otherHome, 'neo4j.pid'))).toBe(false);
  });
});

describe('labortrace CLI with the embedded Neo4j', () => {
  it('reports stopped before the first start (exit 3)', async () => {
    const s = await cli('db', 'status');
    expect(s).toMatchObject({ code: 3, stdout: 'stopped\n' });
  });

  it('two imports started at once share one database they launch together', async () => {
    const [a, b] = await Promise.all([cli('import', small), cli('import', small)]);
    expect([a.code, b.code]).toEqual([0, 0]);
    expect(a.stdout).toContain('Product: 1');
    expect((a.stderr + b.stderr).match(/embedded Neo4j started/g)).toHaveLength(1);
    const s = await cli('db', 'status');
    expect(s.code).toBe(0);
    expect(s.stdout).toMatch(/^running pid \d+ bolt:\/\/127\.0\.0\.1:\d+/);
  }, 300_000); // a cold Neo4j start raced by two processes: over 120 s on a loaded 2-core machine

  it('detects a killed database, recovers it on the next command, and refuses a bad dataset whole', async () => {
    const pid = Number(readFileSync(path.join(home, 'neo4j.pid'), 'utf8'));
    process.kill(pid, 'SIGKILL');
    await new Promise((r) => setTimeout(r, 500));
    const s = await cli('db', 'status');
    expect(s).toMatchObject({ code: 3, stdout: `stopped (stale pid file: ${pid} is gone)\n` });

    const bad = datasetDir({
      'products.csv': 'id,name\nP2,Coat\n',
      'factories.csv': 'id,name,country\nF2,Plant,ZZ\n',
      'production.csv': 'item_id,factory_id\nP2,F2\n',
    });
    const refused = await cli('import', bad);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("factories.csv:2:3: country: 'ZZ' is not an ISO 3166-1 alpha-2 country code");
    expect(refused.stdout).toBe('');

    const out = mkdtempSync(path.join(os.tmpdir(), 'labortrace-export-'));
    const exported = await cli('export', out);
    expect(exported.code).toBe(0);
    expect(exported.stderr).toContain('recovering the store');
    expect(readFileSync(path.join(out, 'products.csv'), 'utf8')).toBe('id,name,sku,hs_code,brand,evidence\nP1,Jacket,,,,\n');
  });

  it('stops cleanly and keeps the data; usage errors exit 2', async () => {
    expect(await cli('db', 'stop')).toMatchObject({ code: 0, stdout: 'stopped\n' });
    expect((await cli('db', 'status')).code).toBe(3);
    const out = mkdtempSync(path.join(os.tmpdir(), 'labortrace-export-'));
    expect((await cli('export', out)).code).toBe(0);
    expect(readFileSync(path.join(out, 'workers.csv'), 'utf8')).toBe('id,nationality,name,headcount,evidence\nW1,KP,,,\n');
    expect((await cli('db', 'stop')).code).toBe(0);
    expect((await cli('frobnicate')).code).toBe(2);
    expect((await cli('import')).code).toBe(2);
  });
});

describe('the command line as users meet it', () => {
  const external = () => ({ ...env, ...TEST_DB, LABORTRACE_HOME: mkdtempSync(path.join(os.tmpdir(), 'labortrace-unused-')) });
  async function cliWith(e: NodeJS.ProcessEnv, ...args: string[]) {
    try {
      const { stdout, stderr } = await run('node', [BIN, ...args], { env: e, timeout: 60_000 });
      return { code: 0, stdout, stderr };
    } catch (err) {
      const x = err as { code: number; stdout: string; stderr: string };
      return { code: x.code, stdout: x.stdout, stderr: x.stderr };
    }
  }
  const oneLine = (s: string) => s.trim().split('\n').length === 1;

  it.each(['serve', 'import', 'export', 'db', 'keys', 'schema'])('%s --help prints its usage and exits 0 without doing anything', async (command) => {
    const r = await cli(command, '--help');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^usage: labortrace ${command}`));
    expect(r.stdout).toContain('--help');
    expect(r.stderr).toBe('');
    expect(existsSync(path.join(home, 'neo4j.pid'))).toBe(false); // nothing was started
  });

  it('--version, --help and help <command>', async () => {
    const pkg = JSON.parse(readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')) as { version: string };
    expect(await cli('--version')).toEqual({ code: 0, stdout: `labortrace ${pkg.version}\n`, stderr: '' });
    const help = await cli('--help');
    expect(help.code).toBe(0);
    for (const c of ['serve', 'import', 'export', 'db', 'keys', 'schema']) expect(help.stdout).toContain(`  ${c} `);
    expect((await cli('help', 'export')).stdout).toContain('--force');
  });

  it.each([
    [['serve', '--frob'], "labortrace serve: unknown option '--frob' (see 'labortrace serve --help')"],
    [['serve', '--port', 'abc'], "labortrace serve: --port: 'abc' is not a port number (0..65535) (see 'labortrace serve --help')"],
    [['serve', '--port', '70000'], "labortrace serve: --port: '70000' is not a port number (0..65535) (see 'labortrace serve --help')"],
    [['serve', '--port'], "labortrace serve: --port needs a value (see 'labortrace serve --help')"],
    [['import'], "labortrace import: missing dataset directory (see 'labortrace import --help')"],
    [['import', 'a', 'b'], "labortrace import: unexpected extra argument 'b' (see 'labortrace import --help')"],
    [['export', '--replace', 'x'], "labortrace export: unknown option '--replace' (see 'labortrace export --help')"],
    [['db', 'restart'], "labortrace db: unknown action 'restart'; db takes start, stop or status (see 'labortrace db --help')"],
    [['frobnicate'], "labortrace: unknown command 'frobnicate' (see 'labortrace --help')"],
  ])('%j is wrong usage: one line, exit 2', async (args, line) => {
    const r = await cli(...args);
    expect(r).toEqual({ code: 2, stdout: '', stderr: `${line}\n` });
  });

  it('a port in use is one line and exit 1, not a stack', async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as net.AddressInfo).port;
    try {
      const r = await cliWith(external(), 'serve', '--no-seed', '--port', String(port));
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(`labortrace: cannot listen on 127.0.0.1:${port}: the port is in use`);
      expect(r.stderr).not.toMatch(/EADDRINUSE|\n\s+at /);
    } finally {
      blocker.close();
    }
  });

  it('import refuses a directory without CSV; export refuses a non-empty directory unless --force', async () => {
    const empty = mkdtempSync(path.join(os.tmpdir(), 'labortrace-nocsv-'));
    const r = await cliWith(external(), 'import', '--replace', empty);
    expect(r.code).toBe(1);
    expect(oneLine(r.stderr)).toBe(true);
    expect(r.stderr).toContain('no dataset files (no .csv file in the directory)');

    const out = mkdtempSync(path.join(os.tmpdir(), 'labortrace-export-'));
    writeFileSync(path.join(out, 'keep.txt'), 'x');
    const refused = await cliWith(external(), 'export', out);
    expect(refused.code).toBe(1);
    expect(oneLine(refused.stderr)).toBe(true);
    expect(refused.stderr).toContain('is not empty');
    expect(readdirSync(out)).toEqual(['keep.txt']);
    const forced = await cliWith(external(), 'export', '--force', out);
    expect(forced.code).toBe(0);
    expect(readdirSync(out)).toContain('products.csv');
  });

  it('import --replace says how much it removes before doing it', async () => {
    const e = external();
    expect((await cliWith(e, 'import', small)).code).toBe(0);
    const r = await cliWith(e, 'import', '--replace', small);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/labortrace: --replace: the graph's \d+ node\(s\) and \d+ relationship\(s\) will be removed and replaced by the dataset's 3 node\(s\) and 2 relationship\(s\)/);
  });
});
