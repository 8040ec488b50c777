import { execFile } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import neo4j from 'neo4j-driver';

/**
 * The embedded Neo4j as a user meets it: a password generated at first start (owner-only file) and required, the
 * port kept across restarts, clear errors when Java is missing or too old or the launcher dies, a half-built
 * launcher detected.
 */
const run = promisify(execFile);
const ROOT = path.join(__dirname, '..', '..');
const BIN = path.join(ROOT, 'bin', 'labortrace.js');
const home = mkdtempSync(path.join(os.tmpdir(), 'labortrace-embedded-'));
const baseEnv: NodeJS.ProcessEnv = { ...process.env, NEO4J_URI: '', LABORTRACE_HOME: home, LABORTRACE_NEO4J_HEAP: '1g', LABORTRACE_NEO4J_PAGECACHE: '256m' };
delete baseEnv.LABORTRACE_BOLT_PORT;

async function cli(args: string[], env: NodeJS.ProcessEnv = baseEnv): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], { env, timeout: 240_000 });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

async function answers(port: number, auth?: { user: string; password: string }): Promise<string> {
  const driver = neo4j.driver(`bolt://127.0.0.1:${port}`, auth ? neo4j.auth.basic(auth.user, auth.password) : undefined, { connectionTimeout: 5000 });
  try {
    const { records } = await driver.executeQuery('RETURN 42 AS answer');
    return String(records[0].get('answer'));
  } catch (e) {
    return (e as { code?: string }).code ?? String(e);
  } finally {
    await driver.close();
  }
}

const port = () => Number(readFileSync(path.join(home, 'neo4j.port'), 'utf8'));
const password = () => readFileSync(path.join(home, 'neo4j.password'), 'utf8').trim();

afterAll(() => cli(['db', 'stop']), 120_000);

describe('the embedded Neo4j', () => {
  it('requires the password generated at first start, kept readable by its owner only', async () => {
    const started = Date.now();
    const s = await cli(['db', 'start']);
    expect(s.code).toBe(0);
    process.stderr.write(`embedded Neo4j: first start in ${((Date.now() - started) / 1000).toFixed(1)}s\n`);
    const file = path.join(home, 'neo4j.password');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(password().length).toBeGreaterThanOrEqual(24);
    expect(await answers(port(), { user: 'neo4j', password: password() })).toBe('42');
    expect(await answers(port(), { user: 'neo4j', password: 'neo4j' })).toBe('Neo.ClientError.Security.Unauthorized');
    expect(await answers(port())).toBe('Neo.ClientError.Security.Unauthorized');
    // every command uses it
    const out = path.join(mkdtempSync(path.join(os.tmpdir(), 'labortrace-export-')), 'out');
    expect((await cli(['export', out])).code).toBe(0);
  });

  it('keeps its port across restarts, and takes another when that one is taken meanwhile', async () => {
    const first = port();
    expect((await cli(['db', 'stop'])).code).toBe(0);
    const started = Date.now();
    const again = await cli(['db', 'start']);
    process.stderr.write(`embedded Neo4j: restart in ${((Date.now() - started) / 1000).toFixed(1)}s\n`);
    expect(again.stdout).toContain(`bolt://127.0.0.1:${first}`);
    expect(port()).toBe(first);
    expect(await answers(first, { user: 'neo4j', password: password() })).toBe('42');

    expect((await cli(['db', 'stop'])).code).toBe(0);
    const squatter = net.createServer();
    await new Promise<void>((r) => squatter.listen(first, '127.0.0.1', () => r()));
    try {
      const moved = await cli(['db', 'start']);
      expect(moved.code).toBe(0);
      expect(moved.stderr).toContain(`port ${first} of the last start`);
      expect(port()).not.toBe(first);
    } finally {
      squatter.close();
    }
  });

  it('a store without a password file (as from before auth) gets a new password at its next start', async () => {
    expect((await cli(['db', 'stop'])).code).toBe(0);
    const old = password();
    rmSync(path.join(home, 'neo4j.password'));
    expect((await cli(['db', 'start'])).code).toBe(0);
    expect(password()).not.toBe(old);
    expect(await answers(port(), { user: 'neo4j', password: password() })).toBe('42');
    expect(await answers(port(), { user: 'neo4j', password: old })).toBe('Neo.ClientError.Security.Unauthorized');
  });
});

describe('starting it on a machine without the right Java', () => {
  const fresh = () => mkdtempSync(path.join(os.tmpdir(), 'labortrace-nojava-'));
  /** A JAVA_HOME whose java prints `banner` for -version and otherwise exits 3. */
  function fakeJava(banner: string): string {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'labortrace-fakejava-'));
    mkdirSync(path.join(dir, 'bin'));
    writeFileSync(path.join(dir, 'bin', 'java'), `#!/bin/sh\nif [ "$1" = "-version" ]; then echo '${banner}' >&2; exit 0; fi\necho 'Error: could not create the Java Virtual Machine.' >&2\nexit 3\n`);
    chmodSync(path.join(dir, 'bin', 'java'), 0o755);
    return dir;
  }

  it('no java at all: a clear message, nothing half-started', async () => {
    const h = fresh();
    const emptyPath = mkdtempSync(path.join(os.tmpdir(), 'labortrace-path-'));
    const env = { ...baseEnv, LABORTRACE_HOME: h, PATH: emptyPath, JAVA_HOME: '' };
    const r = await cli(['db', 'start'], env);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/needs Java 17 or later, and 'java' was not found/);
    expect(existsSync(path.join(h, 'neo4j.pid'))).toBe(false);
  });

  it('Java 8: names the version found', async () => {
    const r = await cli(['db', 'start'], { ...baseEnv, LABORTRACE_HOME: fresh(), JAVA_HOME: fakeJava('java version "1.8.0_292"') });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('needs Java 17 or later');
    expect(r.stderr).toContain('is Java 8');
  });

  it('a launcher that dies while starting: said so, with the end of its log', async () => {
    const r = await cli(['db', 'start'], { ...baseEnv, LABORTRACE_HOME: fresh(), JAVA_HOME: fakeJava('openjdk version "17.0.9" 2023-10-17') });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('embedded Neo4j exited while starting');
    expect(r.stderr).toContain('could not create the Java Virtual Machine');
  });
});

describe('the launcher build', () => {
  // a copy of neo4j-launcher/ with a stand-in build, so the real one is never touched
  const dir = mkdtempSync(path.join(os.tmpdir(), 'labortrace-launcher-'));
  for (const f of ['build.js', 'pom.xml', 'src']) cpSync(path.join(ROOT, 'neo4j-launcher', f), path.join(dir, f), { recursive: true });
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const build = require(path.join(dir, 'build.js')) as { isBuilt(): boolean; sourceHash(): string };
  const target = path.join(dir, 'target');

  function completeBuild(): void {
    mkdirSync(path.join(target, 'classes', 'labortrace', 'launcher'), { recursive: true });
    mkdirSync(path.join(target, 'lib'), { recursive: true });
    writeFileSync(path.join(target, 'classes', 'labortrace', 'launcher', 'Launcher.class'), 'class');
    writeFileSync(path.join(target, 'lib', 'neo4j-kernel.jar'), '0123456789');
    writeFileSync(path.join(target, 'launcher.built'), JSON.stringify({ hash: build.sourceHash(), jars: [{ name: 'neo4j-kernel.jar', size: 10 }] }));
  }

  it('is complete only with its marker, for the current sources, with every jar whole', () => {
    expect(build.isBuilt()).toBe(false); // nothing built
    completeBuild();
    expect(build.isBuilt()).toBe(true);
    writeFileSync(path.join(target, 'lib', 'neo4j-kernel.jar'), '01234'); // a jar cut short
    expect(build.isBuilt()).toBe(false);
    completeBuild();
    rmSync(path.join(target, 'lib', 'neo4j-kernel.jar')); // a jar missing
    expect(build.isBuilt()).toBe(false);
    completeBuild();
    rmSync(path.join(target, 'launcher.built')); // interrupted before the marker
    expect(build.isBuilt()).toBe(false);
    completeBuild();
    const java = path.join(dir, 'src', 'main', 'java', 'labortrace', 'launcher', 'Launcher.java');
    writeFileSync(java, `${readFileSync(java, 'utf8')}\n// changed\n`); // sources changed since
    expect(build.isBuilt()).toBe(false);
  });

  it('without Java, npm install (postinstall) goes on with a warning; building it by hand fails', async () => {
    const env = { ...baseEnv, PATH: mkdtempSync(path.join(os.tmpdir(), 'labortrace-path-')), JAVA_HOME: '' };
    rmSync(path.join(target, 'launcher.built'));
    const script = path.join(dir, 'build.js');
    const post = await run(process.execPath, [script, '--postinstall'], { env }).then(() => ({ code: 0, stderr: '' }), (e) => e);
    expect(post.code).toBe(0);
    const byHand = await run(process.execPath, [script], { env }).then(() => ({ code: 0, stderr: '' }), (e) => e);
    expect(byHand.code).toBe(1);
    expect(byHand.stderr).toMatch(/needs Java 17 or later, and 'java' was not found/);
  });

  it('the real launcher is built and complete', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    expect((require(path.join(ROOT, 'neo4j-launcher', 'build.js')) as { isBuilt(): boolean }).isBuilt()).toBe(true);
  });
});
