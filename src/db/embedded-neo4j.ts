import { spawn, spawnSync } from 'node:child_process';
import { existsSync, openSync, promises as fs, readFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import neo4j from 'neo4j-driver';
import { PROJECT_ROOT, type Config } from '../config';

/**
 * The embedded Neo4j: Neo4j 5.26 community run by the project's own launcher (neo4j-launcher/) as a background
 * process whose store, log, pid and port files live under LABORTRACE_HOME. Several labortrace processes may call
 * ensureRunning() at once: a lock file makes exactly one of them start it, the others wait and share it.
 */
const LAUNCHER_DIR = path.join(PROJECT_ROOT, 'neo4j-launcher');
const LAUNCHER_MAIN = 'labortrace.launcher.Launcher';
const START_TIMEOUT_MS = 180_000;
const STOP_TIMEOUT_MS = 120_000;

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
  lock: path.join(home, 'start.lock'),
  store: path.join(home, 'neo4j'),
});

const log = (msg: string) => process.stderr.write(`labortrace: ${msg}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

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

async function boltAnswers(port: number): Promise<boolean> {
  const driver = neo4j.driver(boltUri(port), undefined, { connectionTimeout: 2000, logging: { level: 'error', logger: () => {} } });
  try {
    await driver.verifyConnectivity();
    return true;
  } catch {
    return false;
  } finally {
    await driver.close();
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/** Builds the launcher through Maven when its jars are missing (first start: downloads Neo4j from Maven Central). */
export function ensureLauncherBuilt(): void {
  if (existsSync(path.join(LAUNCHER_DIR, 'target', 'classes', 'labortrace', 'launcher', 'Launcher.class'))
    && existsSync(path.join(LAUNCHER_DIR, 'target', 'lib'))) return;
  log('building the embedded Neo4j 5.26 launcher with Maven (first start only; fetches Neo4j from Maven Central)…');
  const r = spawnSync('mvn', ['-B', '-q', '-f', path.join(LAUNCHER_DIR, 'pom.xml'), 'package', '-DskipTests'], {
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (r.status !== 0) throw new Error(`building the Neo4j launcher failed (mvn exit ${r.status ?? r.signal}); is Maven installed?`);
}

async function withStartLock<T>(home: string, fn: () => Promise<T>): Promise<T> {
  const lock = files(home).lock;
  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    try {
      await fs.writeFile(lock, String(process.pid), { flag: 'wx' });
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const holder = await readInt(lock);
      let holderAlive = false;
      if (holder !== undefined) {
        try { process.kill(holder, 0); holderAlive = true; } catch { /* holder is gone */ }
      }
      if (!holderAlive) {
        await fs.rm(lock, { force: true });
        continue;
      }
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${lock} (held by pid ${holder})`);
      await sleep(250);
    }
  }
  try {
    return await fn();
  } finally {
    await fs.rm(lock, { force: true });
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
  return withStartLock(cfg.home, async () => {
    const f = files(cfg.home);
    const s = await status(cfg);
    if (s.running && s.port !== undefined && (await boltAnswers(s.port))) return s.port;
    if (s.running) {
      // Alive but not answering yet (another process just started it, or it is shutting down): wait for it.
      const port = await waitForBolt(s.pid!, s.port ?? (await readInt(f.port)));
      if (port !== undefined) return port;
      throw new Error(`embedded Neo4j (pid ${s.pid}) is running but Bolt does not answer; see ${f.log}`);
    }
    if (s.stalePid !== undefined) {
      log(`embedded Neo4j pid ${s.stalePid} is gone (crashed or killed); recovering the store and starting again`);
      await fs.rm(f.pid, { force: true });
      await fs.rm(f.port, { force: true });
    }
    ensureLauncherBuilt();
    const port = cfg.boltPort ?? (await freePort());
    await fs.writeFile(f.conf, neo4jConf(cfg));
    const out = openSync(f.log, 'a');
    const started = Date.now();
    const child = spawn('java', [
      '-Xms512m', `-Xmx${cfg.heap}`, '-XX:+UseG1GC', '-XX:+ExitOnOutOfMemoryError',
      '-cp', `${path.join(LAUNCHER_DIR, 'target', 'classes')}${path.delimiter}${path.join(LAUNCHER_DIR, 'target', 'lib', '*')}`,
      LAUNCHER_MAIN, '--home', f.store, '--port', String(port), '--config', f.conf,
    ], { detached: true, stdio: ['ignore', out, out] });
    child.unref();
    await fs.writeFile(f.pid, String(child.pid));
    await fs.writeFile(f.port, String(port));
    const ready = await waitForBolt(child.pid!, port);
    if (ready === undefined) {
      const tail = (await fs.readFile(f.log, 'utf8').catch(() => '')).split('\n').slice(-15).join('\n');
      const why = isLauncherProcess(child.pid!) ? `did not answer on Bolt within ${START_TIMEOUT_MS / 1000}s` : 'exited while starting';
      throw new Error(`embedded Neo4j ${why}; last lines of ${f.log}:\n${tail}`);
    }
    log(`embedded Neo4j started on ${boltUri(port)} in ${((Date.now() - started) / 1000).toFixed(1)}s (store ${f.store})`);
    return port;
  });
}

async function waitForBolt(pid: number, port: number | undefined): Promise<number | undefined> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (!isLauncherProcess(pid)) return undefined;
    if (port !== undefined && (await boltAnswers(port))) return port;
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
    await fs.rm(f.port, { force: true });
    return 'not-running';
  }
  process.kill(s.pid!, 'SIGTERM');
  const deadline = Date.now() + STOP_TIMEOUT_MS;
  while (isLauncherProcess(s.pid!)) {
    if (Date.now() > deadline) throw new Error(`embedded Neo4j (pid ${s.pid}) did not stop within ${STOP_TIMEOUT_MS / 1000}s`);
    await sleep(200);
  }
  await fs.rm(f.pid, { force: true });
  await fs.rm(f.port, { force: true });
  return 'stopped';
}
