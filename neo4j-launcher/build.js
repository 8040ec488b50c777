#!/usr/bin/env node
'use strict';
/**
 * Builds the embedded Neo4j launcher (this directory) with Maven: `npm install` runs it (postinstall), and the
 * labortrace CLI runs it before starting Neo4j when the build is missing, half-done or older than its sources.
 *
 * A build is complete when target/launcher.built holds the hash of pom.xml and the sources and names every jar
 * Maven put in target/lib (all still there); anything else (an interrupted build, a deleted jar, a changed pom)
 * is rebuilt. Java 17 or later and Maven are required; their absence is a clear message, not a stack trace.
 *
 * Plain JavaScript, no dependencies: it runs before the TypeScript is compiled.
 */
const { spawn, spawnSync } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const DIR = __dirname;
const TARGET = path.join(DIR, 'target');
const MARKER = path.join(TARGET, 'launcher.built');
const MIN_JAVA = 17;

class LauncherBuildError extends Error {}

/** The java executable: $JAVA_HOME/bin/java when JAVA_HOME is set, else java on the PATH. */
function javaCommand(env = process.env) {
  return env.JAVA_HOME ? path.join(env.JAVA_HOME, 'bin', 'java') : 'java';
}

/** The major version of a `java -version` banner ("1.8.0_292" is 8, "17.0.15" is 17), or undefined. */
function parseJavaMajor(banner) {
  const m = /version "(\d+)(?:\.(\d+))?[^"]*"/.exec(banner);
  if (!m) return undefined;
  const first = Number(m[1]);
  return first === 1 && m[2] !== undefined ? Number(m[2]) : first;
}

/** Throws LauncherBuildError unless Java 17+ runs; returns its major version. */
function checkJava(env = process.env) {
  const java = javaCommand(env);
  const r = spawnSync(java, ['-version'], { encoding: 'utf8', env });
  if (r.error) {
    const why = r.error.code === 'ENOENT' ? `'${java}' was not found` : `'${java} -version' failed (${r.error.message})`;
    throw new LauncherBuildError(`the embedded Neo4j needs Java ${MIN_JAVA} or later, and ${why}. `
      + `Install a JDK ${MIN_JAVA}+ (and set JAVA_HOME or put java on the PATH), or use an external Neo4j with NEO4J_URI.`);
  }
  const banner = `${r.stderr || ''}${r.stdout || ''}`;
  const major = parseJavaMajor(banner);
  if (major === undefined) throw new LauncherBuildError(`could not read the Java version from '${java} -version': ${banner.trim().split('\n')[0]}`);
  if (major < MIN_JAVA) {
    throw new LauncherBuildError(`the embedded Neo4j needs Java ${MIN_JAVA} or later, and '${java}' is Java ${major} `
      + `(${banner.trim().split('\n')[0]}). Install a JDK ${MIN_JAVA}+ and set JAVA_HOME, or use an external Neo4j with NEO4J_URI.`);
  }
  return major;
}

function checkMaven(env = process.env) {
  const r = spawnSync('mvn', ['--version'], { encoding: 'utf8', env });
  if (r.error || r.status !== 0) {
    throw new LauncherBuildError('building the embedded Neo4j launcher needs Maven (mvn on the PATH): install Maven 3, '
      + 'or use an external Neo4j with NEO4J_URI.');
  }
}

/** Hash of everything the build depends on: pom.xml and every file under src/. */
function sourceHash() {
  const h = crypto.createHash('sha256');
  const walk = (p) => {
    const st = fs.statSync(p);
    if (st.isDirectory()) for (const e of fs.readdirSync(p).sort()) walk(path.join(p, e));
    else h.update(path.relative(DIR, p)).update('\0').update(fs.readFileSync(p)).update('\0');
  };
  walk(path.join(DIR, 'pom.xml'));
  walk(path.join(DIR, 'src'));
  return h.digest('hex');
}

/** Whether the last build completed for the current sources and every jar it produced is still there. */
function isBuilt() {
  let marker;
  try {
    marker = JSON.parse(fs.readFileSync(MARKER, 'utf8'));
  } catch {
    return false;
  }
  if (marker.hash !== sourceHash() || !Array.isArray(marker.jars) || marker.jars.length === 0) return false;
  if (!fs.existsSync(path.join(TARGET, 'classes', 'labortrace', 'launcher', 'Launcher.class'))) return false;
  return marker.jars.every((j) => {
    try {
      return fs.statSync(path.join(TARGET, 'lib', j.name)).size === j.size;
    } catch {
      return false;
    }
  });
}

/**
 * Builds unless built; Maven's output (each artifact fetched from Maven Central, then the build) goes to stderr.
 * Asynchronous, so that a caller holding a lock keeps it fresh meanwhile. Resolves to whether it built.
 */
async function ensureBuilt({ env = process.env, log = (m) => process.stderr.write(`labortrace: ${m}\n`) } = {}) {
  if (isBuilt()) return false;
  checkJava(env);
  checkMaven(env);
  const had = fs.existsSync(TARGET);
  log(had
    ? 'the embedded Neo4j launcher is missing, half-built or out of date: building it again with Maven…'
    : 'building the embedded Neo4j 5.26 launcher with Maven (first time only; fetches about 100 MB of Neo4j jars from Maven Central)…');
  fs.rmSync(MARKER, { force: true });
  const started = Date.now();
  const code = await new Promise((resolve, reject) => {
    const child = spawn('mvn', ['-B', '-Dstyle.color=never', '-f', path.join(DIR, 'pom.xml'), 'package', '-DskipTests'], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env,
    });
    // Maven's lines, prefixed, as they come: downloads and build steps are the progress
    const relay = (stream) => {
      let rest = '';
      stream.on('data', (chunk) => {
        const lines = (rest + chunk.toString()).split('\n');
        rest = lines.pop();
        for (const line of lines) if (line.trim() !== '') process.stderr.write(`  mvn: ${line}\n`);
      });
      stream.on('end', () => rest.trim() !== '' && process.stderr.write(`  mvn: ${rest}\n`));
    };
    relay(child.stdout);
    relay(child.stderr);
    child.on('error', (e) => reject(new LauncherBuildError(`could not run mvn: ${e.message}`)));
    child.on('close', (c, signal) => resolve(c ?? signal));
  });
  if (code !== 0) throw new LauncherBuildError(`building the Neo4j launcher failed (mvn exit ${code}); see Maven's output above`);
  const lib = path.join(TARGET, 'lib');
  const jars = fs.readdirSync(lib).filter((n) => n.endsWith('.jar')).map((name) => ({ name, size: fs.statSync(path.join(lib, name)).size }));
  const tmp = `${MARKER}.${process.pid}`;
  fs.writeFileSync(tmp, JSON.stringify({ hash: sourceHash(), jars, builtAt: new Date().toISOString() }, null, 1));
  fs.renameSync(tmp, MARKER); // the marker appears only complete, after every jar is in place
  log(`built the embedded Neo4j launcher in ${((Date.now() - started) / 1000).toFixed(0)}s (${jars.length} jars in ${lib})`);
  return true;
}

module.exports = { ensureBuilt, isBuilt, sourceHash, checkJava, parseJavaMajor, javaCommand, LauncherBuildError, MIN_JAVA };

if (require.main === module) {
  // npm install: an external Neo4j needs no launcher; a machine without Java or Maven gets a warning, not a failed
  // install (the first `labortrace` command that needs the embedded Neo4j says the same, and stops).
  const optional = process.argv.includes('--postinstall');
  if (optional && (process.env.LABORTRACE_SKIP_LAUNCHER_BUILD === '1' || process.env.NEO4J_URI)) {
    process.stderr.write('labortrace: not building the embedded Neo4j launcher (NEO4J_URI or LABORTRACE_SKIP_LAUNCHER_BUILD is set)\n');
    process.exit(0);
  }
  ensureBuilt().then(
    (built) => {
      if (!built) process.stderr.write('labortrace: the embedded Neo4j launcher is built and up to date\n');
    },
    (e) => {
      if (!(e instanceof LauncherBuildError)) throw e;
      process.stderr.write(`labortrace: ${e.message}\n`);
      const missingTool = /needs Java|needs Maven|Java version/.test(e.message);
      if (optional && missingTool) {
        process.stderr.write('labortrace: continuing without the embedded Neo4j launcher\n');
        return;
      }
      process.exitCode = 1;
    },
  );
}
