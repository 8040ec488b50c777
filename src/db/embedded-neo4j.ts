import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, closeSync, existsSync, linkSync, mkdirSync, openSync, promises as fs, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import neo4j, { type AuthToken } from 'neo4j-driver';
import lockfile from 'proper-lockfile';
import { PROJECT_ROOT, type Config } from '../config';

/**
 * The embedded Neo4j: Neo4j 5.26 community run by the project's own launcher (neo4j-launcher/) as a background
 * process whose store, log, pid, port and password files live under LABORTRACE_HOME. Several labortrace processes
 * may call ensureRunning() at once: a lock (proper-lockfile: atomic, stale when its holder dies) makes exactly one
 * of them start it, the others wait and share it.
 *
 * - Port: kept in neo4j.port and reused at the next start when it is free (LABORTRACE_BOLT_PORT overrides).
 * - Auth: user neo4j, with a password generated at first start into neo4j.password (mode 0600, owner only);
 *   every command reads it (embeddedAuth). The launcher sets it at each start, which also upgrades a store created
 *   before auth.
 * - Launcher: built by `npm install` (neo4j-launcher/build.js); a missing, half-built or outdated build is rebuilt
 *   here before starting; Java older than 17, or none, is a clear error.
 */
const LAUNCHER_DIR = path.join(PROJECT_ROOT, 'neo4j-launcher');
const LAUNCHER_MAIN = 'labortrace.launcher.Launcher';
const START_TIMEOUT_MS = 180_000;
const STOP_TIMEOUT_MS = 120_000;
export const EMBEDDED_USER = 'neo4j';

// neo4j-launcher/build.js is plain JavaScript (npm install runs it before any TypeScript is compiled)
// eslint-disable-next-line @typescript-eslint/no-require-imports
const launcherBuild: {
  ensureBuilt(o?: { log?: (m: string) => void }): Promise<boolean>;
  isBuilt(): boolean;
  checkJava(): number;
  javaCommand(): string;
  LauncherBuildError: new (m: string) => Error;
} = require(path.join(LAUNCHER_DIR, 'build.js'));

export interface EmbeddedStatus {
  running: boolean;
  pid?: number;
  port?: number;
  stalePid?: number;
}

const files = (home: string) => ({
  pid: path.join(home, 'neo4j.pid'),
  port: path.join(home, 'neo4j.port'),
  log: path.join(home, 'neo4j.log'),
  conf: path.join(home, 'neo4j.conf'),
  password: path.join(home, 'neo4j.password'),
  ready: path.join(home, 'neo4j.ready'),
  lock: path.join(home, 'neo4j.start.lock'),
  store: path.join(home, 'neo4j'),
});

const log = (msg: string) => process.stderr.write(`labortrace: ${msg}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Launchers from before auth (started by an earlier labortrace, still running) take no password file. */
function launcherWithAuth(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('--password-file');
  } catch {
    return true;
  }
}

function isLauncherProcess(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(LAUNCHER_MAIN);
  } catch {
    return true; // no /proc: trust the signal probe
  }
}

async function readInt(file: string): Promise<number | undefined> {
  const text = await fs.readFile(file, 'utf8').catch(() => undefined);
  const n = text === undefined ? NaN : Number(text.trim());
  return Number.isInteger(n) ? n : undefined;
}

export async function status(cfg: Config): Promise<EmbeddedStatus> {
  const f = files(cfg.home);
  const pid = await readInt(f.pid);
  if (pid === undefined) return { running: false };
  if (!isLauncherProcess(pid)) return { running: false, stalePid: pid };
  return { running: true, pid, port: await readInt(f.port) };
}

export function boltUri(port: number): string {
  return `bolt://127.0.0.1:${port}`;
}

/**
 * The password of the embedded Neo4j under `home`, generated (random, 0600, owner only) when there is none yet.
 * An existing file readable by others is made owner-only again.
 */
export function embeddedPassword(home: string): string {
  const file = files(home).password;
  if (!existsSync(file)) {
    // written whole to a private temporary file, then linked into place: link() fails when another process won the
    // race, so every process ends up reading the one complete password
    mkdirSync(home, { recursive: true });
    const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
    writeFileSync(tmp, `${randomBytes(24).toString('base64url')}\n`, { mode: 0o600 });
    try {
      linkSync(tmp, file);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    } finally {
      rmSync(tmp, { force: true });
    }
  }
  if ((statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600);
  const password = readFileSync(file, 'utf8').trim();
  if (password.length < 8) throw new Error(`${file} holds no password (at least 8 characters); delete it, and start the embedded Neo4j again`);
  return password;
}

/** Credentials of the embedded Neo4j under cfg.home: every command's driver uses these. */
export function embeddedAuth(cfg: Pick<Config, 'home'>): AuthToken {
  return neo4j.auth.basic(EMBEDDED_USER, embeddedPassword(cfg.home));
}

type BoltState = 'ok' | 'down' | 'unauthorized';

async function boltState(port: number, auth: AuthToken): Promise<BoltState> {
  const driver = neo4j.driver(boltUri(port), auth, { connectionTimeout: 2000, logging: { level: 'error', logger: () => {} } });
  try {
    await driver.verifyConnectivity();
    return 'ok';
  } catch (e) {
    return /Security\.Unauthorized|AuthenticationRateLimit/.test((e as { code?: string }).code ?? '') ? 'unauthorized' : 'down';
  } finally {
    await driver.close();
  }
}

/** Listens on 127.0.0.1:port (0: any) for a moment: the port it got, or undefined when that one is taken. */
function tryPort(port: number): Promise<number | undefined> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.on('error', () => resolve(undefined));
    srv.listen(port, '127.0.0.1', () => {
      const { port: got } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(got));
    });
  });
}

/** LABORTRACE_BOLT_PORT; else the port of the last start (neo4j.port) when it is free; else a free one. */
async function choosePort(cfg: Config): Promise<number> {
  if (cfg.boltPort !== undefined) return cfg.boltPort;
  const kept = await readInt(files(cfg.home).port);
  if (kept !== undefined && kept > 0 && kept < 65536) {
    if ((await tryPort(kept)) !== undefined) return kept;
    log(`port ${kept} of the last start (${files(cfg.home).port}) is taken now; choosing another`);
  }
  const port = await tryPort(0);
  if (port === undefined) throw new Error('no free TCP port on 127.0.0.1 for the embedded Neo4j');
  return port;
}

/**
 * Builds the launcher (neo4j-launcher/build.js) unless a complete build for the current sources is there; several
 * processes may get here at once: a lock on the launcher directory makes one build while the others wait.
 */
export async function ensureLauncherBuilt(): Promise<void> {
  if (launcherBuild.isBuilt()) return;
  await withLock(LAUNCHER_DIR, path.join(LAUNCHER_DIR, '.build.lock'), 30 * 60_000, async () => {
    await launcherBuild.ensureBuilt({ log });
  });
}

/** Java 17+ on the PATH (or JAVA_HOME); a clear error otherwise. */
export function checkJava(): void {
  launcherBuild.checkJava();
}

/**
 * Runs `fn` holding the lock `lockPath` (proper-lockfile: an atomic mkdir, refreshed while held, stale 10 s after
 * its holder died), waiting up to `waitMs` for it.
 */
async function withLock<T>(dir: string, lockPath: string, waitMs: number, fn: () => Promise<T>): Promise<T> {
  let release: () => Promise<void>;
  try {
    release = await lockfile.lock(dir, {
      lockfilePath: lockPath,
      stale: 10_000,
      update: 2_000,
      retries: { retries: Math.ceil(waitMs / 250), factor: 1, minTimeout: 250, maxTimeout: 250 },
      onCompromised: (e) => log(`lock ${lockPath} was taken over (${e.message})`),
    });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ELOCKED') throw new Error(`timed out after ${waitMs / 1000}s waiting for ${lockPath}`);
    throw e;
  }
  try {
    return await fn();
  } finally {
    await release().catch(() => undefined);
  }
}

function neo4jConf(cfg: Config): string {
  return [
    '# Written by labortrace at each start; set LABORTRACE_NEO4J_PAGECACHE / LABORTRACE_NEO4J_HEAP to change.',
    `server.memory.pagecache.size=${cfg.pageCache}`,
    // Imports run in one transaction (atomic). Neo4j caps all transactions at 70% of the heap, and a too-large
    // import fails cleanly with that message rather than exhausting the JVM: raise LABORTRACE_NEO4J_HEAP for it.
    '',
  ].join('\n');
}

/** Starts the embedded Neo4j if it is not running; returns its Bolt port. */
export async function ensureRunning(cfg: Config): Promise<number> {
  await fs.mkdir(cfg.home, { recursive: true });
  return withLock(cfg.home, files(cfg.home).lock, START_TIMEOUT_MS, () => startLocked(cfg));
}

/** ensureRunning's work, for a caller that holds the start lock. */
async function startLocked(cfg: Config): Promise<number> {
  const f = files(cfg.home);
  const auth = embeddedAuth(cfg);
  const s = await status(cfg);
  if (s.running) {
    // Running (perhaps another process just started it, or it is shutting down): wait until it answers.
    const port = await waitForBolt(cfg, s.pid!, s.port, auth, () => undefined);
    if (port !== undefined) return port;
    throw new Error(`embedded Neo4j (pid ${s.pid}) is running but Bolt does not answer; see ${f.log}`);
  }
  if (s.stalePid !== undefined) {
    log(`embedded Neo4j pid ${s.stalePid} is gone (crashed or killed); recovering the store and starting again`);
    await fs.rm(f.pid, { force: true });
  }
  await recoverStoreSwap(cfg);
  checkJava();
  await ensureLauncherBuilt();
  const port = await choosePort(cfg);
  await fs.writeFile(f.conf, neo4jConf(cfg));
  await fs.rm(f.ready, { force: true });
  const out = openSync(f.log, 'a');
  const started = Date.now();
  let spawnError: Error | undefined;
  const child = spawn(launcherBuild.javaCommand(), [
    '-Xms512m', `-Xmx${cfg.heap}`, '-XX:+UseG1GC', '-XX:+ExitOnOutOfMemoryError',
    '-cp', `${path.join(LAUNCHER_DIR, 'target', 'classes')}${path.delimiter}${path.join(LAUNCHER_DIR, 'target', 'lib', '*')}`,
    LAUNCHER_MAIN, '--home', f.store, '--port', String(port), '--config', f.conf, '--password-file', f.password, '--ready-file', f.ready,
  ], { detached: true, stdio: ['ignore', out, out] });
  child.on('error', (e) => {
    spawnError = e;
  });
  closeSync(out);
  child.unref();
  // 'error' (java vanished, too many processes…) is emitted on the next tick; an undefined pid means it failed
  await sleep(0);
  if (spawnError || child.pid === undefined) {
    throw new Error(`could not start the embedded Neo4j (${launcherBuild.javaCommand()}): ${spawnError?.message ?? 'no process'}`);
  }
  await fs.writeFile(f.pid, String(child.pid));
  await fs.writeFile(f.port, String(port));
  const ready = await waitForBolt(cfg, child.pid, port, auth, () => spawnError);
  if (ready === undefined) {
    const tail = (await fs.readFile(f.log, 'utf8').catch(() => '')).split('\n').slice(-15).join('\n');
    const why = isLauncherProcess(child.pid) ? `did not answer on Bolt within ${START_TIMEOUT_MS / 1000}s` : 'exited while starting';
    throw new Error(`embedded Neo4j ${why}; last lines of ${f.log}:\n${tail}`);
  }
  log(`embedded Neo4j started on ${boltUri(port)} in ${((Date.now() - started) / 1000).toFixed(1)}s (store ${f.store})`);
  return port;
}

async function waitForBolt(cfg: Config, pid: number, port: number | undefined, auth: AuthToken, failed: () => Error | undefined): Promise<number | undefined> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    const e = failed();
    if (e) throw new Error(`the embedded Neo4j launcher failed: ${e.message}`);
    if (!isLauncherProcess(pid)) return undefined;
    // a launcher with auth says when its password is set; trying ours before would count as failed logins
    const ready = !launcherWithAuth(pid) || (await readInt(files(cfg.home).ready)) === pid;
    if (ready && port !== undefined) {
      const state = await boltState(port, auth);
      if (state === 'ok') return port;
      if (state === 'unauthorized') {
        throw new Error(`the embedded Neo4j on ${boltUri(port)} refuses the password in ${files(cfg.home).password}; `
          + 'was the file replaced while Neo4j ran? Stop it (labortrace db stop) and start it again');
      }
    }
    await sleep(300);
  }
  return undefined;
}

/** Stops the embedded Neo4j cleanly (SIGTERM: the launcher checkpoints and closes the store). */
export async function stop(cfg: Config): Promise<'stopped' | 'not-running'> {
  const f = files(cfg.home);
  const s = await status(cfg);
  if (!s.running) {
    await fs.rm(f.pid, { force: true });
    return 'not-running';
  }
  process.kill(s.pid!, 'SIGTERM');
  const deadline = Date.now() + STOP_TIMEOUT_MS;
  while (isLauncherProcess(s.pid!)) {
    if (Date.now() > deadline) throw new Error(`embedded Neo4j (pid ${s.pid}) did not stop within ${STOP_TIMEOUT_MS / 1000}s`);
    await sleep(200);
  }
  await fs.rm(f.pid, { force: true }); // neo4j.port stays: the next start reuses the port
  await fs.rm(f.ready, { force: true });
  return 'stopped';
}

/**
 * The Java and class path of the launcher's build (neo4j-launcher/target): the bulk importer (README, "Bulk import")
 * runs its own JVM from them, beside the running Neo4j.
 */
export function launcherClasspath(): { java: string; classpath: string } {
  return {
    java: launcherBuild.javaCommand(),
    classpath: `${path.join(LAUNCHER_DIR, 'target', 'classes')}${path.delimiter}${path.join(LAUNCHER_DIR, 'target', 'lib', '*')}`,
  };
}

/** Where a Neo4j home keeps the `neo4j` database: its store files and its transaction logs. */
function databaseDirs(neo4jHome: string): { db: string; tx: string } {
  return { db: path.join(neo4jHome, 'data', 'databases', 'neo4j'), tx: path.join(neo4jHome, 'data', 'transactions', 'neo4j') };
}

/**
 * Held from just before the embedded Neo4j is stopped for a store swap until it has stopped: a write transaction
 * that holds the graph lock (so that no change set commits in between) and checked that the store may be replaced.
 * `release` closes it (it is never committed).
 */
export interface StoreFence {
  release(): Promise<void>;
}

/** Renames that put a new `neo4j` database in place, in order; undone from the last one when a swap fails. */
interface SwapJournal {
  moves: { from: string; to: string }[];
}

const swapJournal = (home: string) => path.join(home, 'neo4j.swap.json');

async function exists(p: string): Promise<boolean> {
  return fs.access(p).then(() => true, () => false);
}

/**
 * Undoes a store swap that did not finish (the process died between its renames): every rename of the journal whose
 * target exists and whose source does not is reversed, last first, so that the store swapped out is back whole.
 * A swap whose renames all completed has no journal any more, and stays. (Exported for tests.)
 */
export async function recoverStoreSwap(cfg: Pick<Config, 'home'>, why = 'was interrupted'): Promise<void> {
  const file = swapJournal(cfg.home);
  const text = await fs.readFile(file, 'utf8').catch(() => undefined);
  if (text === undefined) return;
  const journal = JSON.parse(text) as SwapJournal;
  for (const m of [...journal.moves].reverse()) {
    if ((await exists(m.to)) && !(await exists(m.from))) await fs.rename(m.to, m.from);
  }
  await fs.rm(file, { force: true });
  log(`the store swap under ${cfg.home} ${why}: the store it was replacing is back in place`);
}

/**
 * Replaces the `neo4j` database of the embedded Neo4j by the complete store the bulk importer wrote under
 * `newHome` (newHome/data/databases/neo4j and newHome/data/transactions/neo4j), keeping the system database (users,
 * and so the password in neo4j.password). Holding the start lock, so that no other process starts Neo4j meanwhile:
 * starts it if needed; `fence(port)` (a write transaction holding the graph lock, checking that the store may be
 * replaced: it throws otherwise, and nothing changes); stops Neo4j (its shutdown ends the fence); renames the old
 * database out to newHome/replaced-db and newHome/replaced-tx and the new one in (a journal makes an interrupted
 * swap undo itself at the next start); starts Neo4j on the new store. If that start fails, the old store is put back
 * and started again, and the error is thrown. The caller deletes newHome afterwards. Returns the Bolt port.
 */
export async function replaceDatabaseStore(cfg: Config, newHome: string, fence: (port: number) => Promise<StoreFence>): Promise<number> {
  await fs.mkdir(cfg.home, { recursive: true });
  return withLock(cfg.home, files(cfg.home).lock, START_TIMEOUT_MS, async () => {
    const live = databaseDirs(files(cfg.home).store);
    const incoming = databaseDirs(newHome);
    const replaced = { db: path.join(newHome, 'replaced-db'), tx: path.join(newHome, 'replaced-tx') };
    for (const dir of [incoming.db, incoming.tx]) {
      if (!(await exists(dir))) throw new Error(`the new store is incomplete: ${dir} is missing`);
    }
    const held = await fence(await startLocked(cfg));
    try {
      log('stopping the embedded Neo4j to swap the new store in');
      await stop(cfg);
    } finally {
      await held.release().catch(() => undefined);
    }
    for (const dir of [live.db, live.tx]) {
      if (!(await exists(dir))) throw new Error(`the store to replace is incomplete: ${dir} is missing; nothing was swapped`);
    }
    const journal: SwapJournal = {
      moves: [
        { from: live.db, to: replaced.db },
        { from: live.tx, to: replaced.tx },
        { from: incoming.db, to: live.db },
        { from: incoming.tx, to: live.tx },
      ],
    };
    await fs.writeFile(swapJournal(cfg.home), JSON.stringify(journal, null, 1));
    try {
      for (const m of journal.moves) await fs.rename(m.from, m.to);
    } catch (e) {
      await recoverStoreSwap(cfg, 'failed');
      await startLocked(cfg);
      throw new Error(`swapping the new store in failed (${(e as Error).message}); the store it was to replace is back`);
    }
    await fs.rm(swapJournal(cfg.home), { force: true });
    try {
      return await startLocked(cfg);
    } catch (e) {
      log(`the embedded Neo4j did not start on the new store; putting the store it replaced back`);
      await stop(cfg).catch(() => undefined);
      await fs.writeFile(swapJournal(cfg.home), JSON.stringify(journal, null, 1));
      await recoverStoreSwap(cfg, 'failed');
      await startLocked(cfg);
      throw e;
    }
  });
}
