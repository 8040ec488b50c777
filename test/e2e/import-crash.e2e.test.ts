import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

/**
 * An import is one transaction: `kill -9` of the import, or of Neo4j during it, at any moment leaves exactly the
 * graph before or exactly the graph after (compared as exports). Two imports at once give one of the two serial
 * results. Run as a user runs the commands, against an embedded Neo4j in a temporary LABORTRACE_HOME.
 */
const run = promisify(execFile);
const BIN = path.join(__dirname, '..', '..', 'bin', 'labortrace.js');
const home = mkdtempSync(path.join(os.tmpdir(), 'labortrace-crash-'));
const env: NodeJS.ProcessEnv = {
  ...process.env, NEO4J_URI: '', LABORTRACE_HOME: home, LABORTRACE_NEO4J_HEAP: '1g', LABORTRACE_NEO4J_PAGECACHE: '256m',
};
const tmp = (name: string) => mkdtempSync(path.join(os.tmpdir(), `labortrace-${name}-`));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return cliWith({}, ...args);
}

async function cliWith(extra: NodeJS.ProcessEnv, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run('node', [BIN, ...args], { env: { ...env, ...extra }, timeout: 300_000, maxBuffer: 64 << 20 });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

async function ok(...args: string[]): Promise<string> {
  const r = await cli(...args);
  if (r.code !== 0) throw new Error(`labortrace ${args.join(' ')} exited ${r.code}:\n${r.stderr}`);
  return r.stderr;
}

/** The whole graph as its export: file name -> content. */
async function exported(): Promise<{ dir: string; files: Record<string, string> }> {
  const dir = path.join(tmp('export'), 'out');
  await ok('export', dir);
  return { dir, files: Object.fromEntries(readdirSync(dir).sort().map((f) => [f, readFileSync(path.join(dir, f), 'utf8')])) };
}

/**
 * A catalogue of n products, each with its own component, produced at one of n/20 plants, some with DPRK labor;
 * variant 'b' changes every product's name, every bill-of-materials quantity and production interval, and adds
 * n/4 products of its own.
 */
function catalogue(n: number, variant: 'a' | 'b'): string {
  const dir = tmp(`dataset-${variant}`);
  const plants = Math.max(1, Math.floor(n / 20));
  const count = variant === 'a' ? n : n + Math.floor(n / 4);
  const write = (name: string, header: string, rows: string[]) => writeFileSync(path.join(dir, name), `${header}\n${rows.join('\n')}\n`);
  const ids = Array.from({ length: count }, (_, i) => i);
  write('products.csv', 'id,name', ids.map((i) => `P${i},Product ${i} ${variant}`));
  write('components.csv', 'id,name', ids.map((i) => `C${i},Component ${i}`));
  write('bom.csv', 'parent_id,child_id,quantity', ids.map((i) => `P${i},C${i},${variant === 'a' ? 1 : 2}`));
  write('factories.csv', 'id,name,country', Array.from({ length: plants }, (_, i) => `F${i},Plant ${i},CN`));
  write('production.csv', 'item_id,factory_id,from,to', ids.map((i) => `C${i},F${i % plants},${variant === 'a' ? '2010-01-01' : '2011-01'},`));
  write('workers.csv', 'id,nationality', Array.from({ length: plants }, (_, i) => `W${i},${i % 2 ? 'KP' : 'CN'}`));
  write('employment.csv', 'worker_id,factory_id,from,to', Array.from({ length: plants }, (_, i) => `W${i},F${i},2012-01-01,`));
  return dir;
}

/** `labortrace import ...` as a child process, and its exit. */
function startImport(...args: string[]): { child: ChildProcess; exit: Promise<number | string>; stderr: () => string } {
  const child = spawn('node', [BIN, 'import', ...args], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d) => {
    stderr += d;
  });
  const exit = new Promise<number | string>((resolve) => child.on('exit', (code, signal) => resolve(code ?? signal ?? -1)));
  return { child, exit, stderr: () => stderr };
}

/** When an import's stderr says `text` (or it exits first). */
async function said(imp: ReturnType<typeof startImport>, text: string): Promise<number> {
  let exited = false;
  void imp.exit.then(() => {
    exited = true;
  });
  while (!exited && !imp.stderr().includes(text)) await sleep(5);
  return Date.now();
}

const neo4jPid = () => Number(readFileSync(path.join(home, 'neo4j.pid'), 'utf8'));

afterAll(() => cli('db', 'stop'), 120_000);

describe('kill -9 during an import', () => {
  // a few seconds of import on a 2-core machine (about 5,000 rows); LABORTRACE_CRASH_TEST_PRODUCTS for a longer hunt
  const N = Number(process.env.LABORTRACE_CRASH_TEST_PRODUCTS ?? 800);
  const a = catalogue(N, 'a');
  const b = catalogue(N, 'b');

  it('of the import at random moments, and of Neo4j once: the graph is exactly the one before or the one after', async () => {
    await ok('import', '--replace', a);
    const before = await exported();
    let started = Date.now();
    await ok('import', b); // upsert of b into a
    let importMs = Date.now() - started;
    const after = await exported();
    expect(after.files).not.toEqual(before.files);
    started = Date.now();
    await ok('import', '--replace', a);
    importMs = Math.min(importMs, Date.now() - started);
    expect((await exported()).files).toEqual(before.files);

    // the two states, and how to go from one to the other: upsert b, or replace by the other's export
    const states = { before, after };
    const other = (s: 'before' | 'after') => (s === 'before' ? 'after' : 'before');
    const whichOf = async (): Promise<'before' | 'after' | 'NEITHER'> => {
      const now = JSON.stringify((await exported()).files);
      return now === JSON.stringify(before.files) ? 'before' : now === JSON.stringify(after.files) ? 'after' : 'NEITHER';
    };
    let state: 'before' | 'after' = 'before';
    const outcomes: string[] = [];
    for (let t = 0; t < 3; t++) {
      const args = t === 0 ? [b] : ['--replace', states[other(state)].dir];
      // anywhere from the process starting to the transaction committing, and a little past it
      const delay = Math.round(200 + Math.random() * 1.1 * importMs);
      const imp = startImport(...args);
      const finished = (await Promise.race([sleep(delay).then(() => false), imp.exit.then(() => true)]));
      imp.child.kill('SIGKILL');
      await imp.exit;
      const which = await whichOf();
      outcomes.push(`import ${state} -> ${other(state)} ${finished ? 'finished before' : 'killed after'} ${delay} of ~${importMs} ms: ${which}`);
      expect(which).not.toBe('NEITHER');
      if (which !== 'NEITHER') state = which;
    }

    // Neo4j killed while an import writes; the next command finds it gone, restarts it and recovers the store
    const imp = startImport('--replace', states[other(state)].dir);
    const delay = Math.round((0.3 + Math.random() * 0.6) * importMs);
    await Promise.race([sleep(delay), imp.exit]);
    process.kill(neo4jPid(), 'SIGKILL');
    if ((await Promise.race([sleep(10_000).then(() => 'running'), imp.exit])) === 'running') imp.child.kill('SIGKILL');
    await imp.exit;
    const restart = await cli('export', path.join(tmp('export'), 'out'));
    expect(restart.stderr).toContain('recovering the store');
    const which = await whichOf();
    outcomes.push(`Neo4j killed ${delay} ms into an import ${state} -> ${other(state)}: ${which}`);
    process.stderr.write(`import-crash: ${outcomes.join('; ')}\n`);
    expect(which).not.toBe('NEITHER');
  }, 600_000);
});

describe('kill -9 during a staged import', () => {
  // a staging window of about a second (one batch per kind and type), with this suite's 1 GB Neo4j heap
  const N = Number(process.env.LABORTRACE_CRASH_TEST_PRODUCTS ?? 1000);
  const a = catalogue(N, 'a');
  const b = catalogue(N, 'b');
  // the next command takes any import left behind for dead at once (README, "Staged import": the lease)
  const leaseOut = { LABORTRACE_STAGED_LEASE_MS: '0' };

  it('readers see the graph before or after, never part; the next writer removes what it left', async () => {
    await ok('import', '--replace', a);
    const before = await exported();
    await ok('import', '--no-staged', b);
    const after = await exported();
    await ok('import', '--replace', a);
    // timed from its plan's end to its publication (stderr): the part where a kill leaves staged rows behind
    const timed = startImport('--staged', b);
    const planned = await said(timed, 'compared with the stored rows');
    const stagedMs = (await said(timed, 'published as')) - planned;
    expect(await timed.exit).toBe(0);
    expect(timed.stderr()).toContain('(staged)');
    expect((await exported()).files).toEqual(after.files);

    const outcomes: string[] = [];
    for (let t = 0; t < 4; t++) {
      // back to the graph before (that `import --replace` gives exactly that graph is checked in the suite above)
      expect((await cliWith(leaseOut, 'import', '--replace', a)).code).toBe(0);
      // mostly while it writes (staging, publishing, clearing), sometimes while it plans
      const imp = startImport('--staged', b);
      if (t > 0) await said(imp, 'compared with the stored rows');
      const delay = Math.round(Math.random() * 1.3 * stagedMs);
      const finished = await Promise.race([sleep(delay).then(() => false), imp.exit.then(() => true)]);
      imp.child.kill('SIGKILL');
      await imp.exit;
      const now = JSON.stringify((await exported()).files);
      const which = now === JSON.stringify(before.files) ? 'before' : now === JSON.stringify(after.files) ? 'after' : 'NEITHER';
      expect(which).not.toBe('NEITHER');
      // the next import, once the lease is out, removes what the killed one left and goes on
      const next = await cliWith(leaseOut, 'import', '--staged', a);
      expect(next.code).toBe(0);
      const removed = /removed staged import \S+ .*: (\d+) row\(s\) deleted/.exec(next.stderr);
      outcomes.push(`${finished ? 'finished before' : 'killed after'} ${delay} of ~${stagedMs} ms: ${which}${removed ? `, ${removed[1]} staged rows removed by the next import` : ''}`);
    }
    process.stderr.write(`staged import kill -9: ${outcomes.join('; ')}\n`);
  }, 600_000);
});

describe('two imports at once into the same store', () => {
  const base = tmp('base');
  writeFileSync(path.join(base, 'products.csv'), 'id,name\nP1,Jacket\nP2,Vest\n');
  writeFileSync(path.join(base, 'components.csv'), 'id,name\nC1,Zipper\n');
  writeFileSync(path.join(base, 'bom.csv'), 'parent_id,child_id,quantity\nP1,C1,1\n');
  // x and y disagree on P1's name and C1's quantity in P1, and each adds its own rows
  const x = tmp('x');
  writeFileSync(path.join(x, 'products.csv'), 'id,name\nP1,Jacket (x)\nP2,Vest\nPX,Only in x\n');
  writeFileSync(path.join(x, 'components.csv'), 'id,name\nC1,Zipper (x)\nCX,Part of x\n');
  writeFileSync(path.join(x, 'bom.csv'), 'parent_id,child_id,quantity\nP1,C1,2\nPX,CX,1\nP2,CX,3\n');
  const y = tmp('y');
  writeFileSync(path.join(y, 'products.csv'), 'id,name\nP1,Jacket (y)\nPY,Only in y\n');
  writeFileSync(path.join(y, 'components.csv'), 'id,name\nC1,Zipper (y)\n');
  writeFileSync(path.join(y, 'bom.csv'), 'parent_id,child_id,quantity\nP1,C1,5\nPY,C1,1\n');

  it('each is atomic and the result is that of one of the two serial orders', async () => {
    const serial = async (first: string, second: string) => {
      await ok('import', '--replace', base);
      await ok('import', first);
      await ok('import', second);
      return JSON.stringify((await exported()).files);
    };
    const xy = await serial(x, y);
    const yx = await serial(y, x);
    expect(xy).not.toEqual(yx);
    const seen = new Set<string>();
    for (let round = 0; round < 3; round++) {
      await ok('import', '--replace', base);
      const [rx, ry] = await Promise.all([cli('import', x), cli('import', y)]);
      expect([rx.code, ry.code]).toEqual([0, 0]);
      const now = JSON.stringify((await exported()).files);
      expect([xy, yx]).toContain(now);
      seen.add(now === xy ? 'x then y' : 'y then x');
    }
    process.stderr.write(`concurrent imports: serial orders seen: ${[...seen].join(', ')}\n`);
  }, 600_000);
});

// an import whose dataset directory does not exist is a usage error, not a crash (keeps the helpers honest)
it('the helpers see failures', async () => {
  const missing = path.join(tmp('missing'), 'nope');
  mkdirSync(path.dirname(missing), { recursive: true });
  expect((await cli('import', missing)).code).not.toBe(0);
});
