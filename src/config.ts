import path from 'node:path';
import { DEFAULT_MATCH_THRESHOLD } from './lists/name-matcher';

/** Everything labortrace reads from the environment, in one place (README, "Environment"). */
export interface Config {
  /** External Neo4j; when set nothing is launched. */
  neo4jUri?: string;
  neo4jUser: string;
  neo4jPassword: string;
  neo4jDatabase?: string;
  /** Embedded Neo4j's files: store, logs, pid and port files. */
  home: string;
  boltPort?: number;
  heap: string;
  pageCache: string;
  port: number;
  host: string;
  /** Largest graph (nodes + relationships) kept in memory for traces; larger ones are traced region by region. */
  snapshotMaxRows: number;
  /**
   * LABORTRACE_SNAPSHOT_DIR: where the API saves the whole-graph snapshot and reads it first at start-up; default
   * LABORTRACE_HOME/snapshot with the embedded Neo4j, none (never saved) with NEO4J_URI; "off" turns it off.
   */
  snapshotDir: string | null;
  /** Work budget of counting one item (LABORTRACE_TRACE_MAX_STEPS). */
  traceMaxSteps: number;
  /** Work budget of one request's tracing as a whole (LABORTRACE_REQUEST_MAX_STEPS). */
  requestMaxSteps: number;
  /** Per-request deadline, also each Neo4j transaction's timeout (README, "Limits and operations"). */
  requestTimeoutMs: number;
  /** LABORTRACE_MATCH_THRESHOLD (LISTS.md, README "Matching"). */
  matchThreshold: number;
  maxDepth: number;
  maxAliases: number;
  maxTokens: number;
  maxDirectives: number;
  maxCost: number;
  maxBodyBytes: number;
  /** Batched (array) GraphQL requests; off unless LABORTRACE_ALLOW_BATCHING=1. */
  allowBatching: boolean;
  /** Origins allowed cross-origin browser access; none when empty. */
  corsOrigins: string[];
  /** Undefined: on in local mode, off otherwise. */
  introspection?: boolean;
  /** Neo4j: time to open a connection, and to get one from the pool, before a request fails as SERVICE_UNAVAILABLE. */
  neo4jConnectTimeoutMs: number;
  neo4jAcquireTimeoutMs: number;
  /** pino level of the request log on stderr ('silent' turns it off). */
  logLevel: string;
}

/** A yes/no setting: 1/true/yes/on or 0/false/no/off; `fallback` when unset or empty; anything else a ConfigError. */
export function boolSetting<F extends boolean | undefined>(env: NodeJS.ProcessEnv, name: string, fallback: F): boolean | F {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  if (/^(1|true|yes|on)$/i.test(raw.trim())) return true;
  if (/^(0|false|no|off)$/i.test(raw.trim())) return false;
  throw new ConfigError(name, `'${raw}' is not a yes/no value (expected 1 or 0, true or false)`);
}

/** A comma-separated list, blanks dropped. */
export function listSetting(env: NodeJS.ProcessEnv, name: string): string[] {
  return (env[name] ?? '').split(',').map((s) => s.trim()).filter((s) => s !== '');
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/** A setting in the environment that is not a valid value: a start-up error naming the variable. */
export class ConfigError extends Error {
  constructor(readonly variable: string, message: string) {
    super(`${variable}: ${message}`);
    this.name = 'ConfigError';
  }
}

/**
 * An integer setting: `fallback` when unset or empty, otherwise a whole decimal number (underscores allowed as
 * digit separators, e.g. 5_000_000) within min..max; anything else is a ConfigError naming the variable.
 * Every numeric setting of labortrace is read through this (or sizeSetting), never through Number().
 */
export function intSetting<F extends number | undefined>(env: NodeJS.ProcessEnv, name: string, fallback: F, min: number, max: number): number | F {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const text = raw.trim();
  if (!/^[+]?\d+(_\d+)*$/.test(text)) {
    throw new ConfigError(name, `'${raw}' is not a whole number (expected an integer from ${min} to ${max})`);
  }
  const n = Number(text.replace(/[+_]/g, ''));
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    throw new ConfigError(name, `${text} is out of range (expected an integer from ${min} to ${max})`);
  }
  return n;
}

/** A TCP port setting (1..65535). */
export function portSetting(env: NodeJS.ProcessEnv, name: string, fallback?: number): number | undefined {
  return intSetting(env, name, fallback, 1, 65535);
}

/**
 * A memory size in the JVM / neo4j.conf format: a whole number with an optional unit k, m, g or t (e.g. 512m, 4g,
 * 4G); `fallback` when unset or empty; anything else (4.5g, 4gb, -1, '') is a ConfigError naming the variable.
 */
export function sizeSetting(env: NodeJS.ProcessEnv, name: string, fallback: string): string {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const m = /^(\d+)([kmgt]?)$/i.exec(raw.trim());
  if (!m || Number(m[1]) === 0) {
    throw new ConfigError(name, `'${raw}' is not a memory size (expected a positive whole number with an optional unit k, m, g or t, e.g. 512m or 4g)`);
  }
  return `${m[1]}${m[2].toLowerCase()}`;
}

/** LABORTRACE_REQUEST_MAX_STEPS: the tracing work of one whole request (a screen of every product, say). */
export function requestMaxStepsSetting(env: NodeJS.ProcessEnv = process.env): number {
  return intSetting(env, 'LABORTRACE_REQUEST_MAX_STEPS', 50_000_000, 1, Number.MAX_SAFE_INTEGER);
}

/** LABORTRACE_TRACE_MAX_STEPS: the engine's default reads it through here too, so both agree. */
export function traceMaxStepsSetting(env: NodeJS.ProcessEnv = process.env): number {
  return intSetting(env, 'LABORTRACE_TRACE_MAX_STEPS', 5_000_000, 1, Number.MAX_SAFE_INTEGER);
}

/** LABORTRACE_MATCH_THRESHOLD: list match candidates at or above this score enter the review queue (LISTS.md). */
export function matchThresholdSetting(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.LABORTRACE_MATCH_THRESHOLD;
  if (raw === undefined || raw.trim() === '') return DEFAULT_MATCH_THRESHOLD;
  const n = Number(raw.trim());
  if (!/^(0(\.\d+)?|1(\.0*)?)$/.test(raw.trim()) || n <= 0) {
    throw new ConfigError('LABORTRACE_MATCH_THRESHOLD', `'${raw}' is not a score above 0 and at most 1 (e.g. 0.8)`);
  }
  return n;
}

function snapshotDirSetting(env: NodeJS.ProcessEnv): string | null {
  const raw = env.LABORTRACE_SNAPSHOT_DIR?.trim();
  if (raw === 'off') return null;
  if (raw) return path.resolve(raw);
  return env.NEO4J_URI ? null : path.join(path.resolve(env.LABORTRACE_HOME || '.labortrace'), 'snapshot');
}

/** Reads and validates every setting; an invalid one is a ConfigError (naming the variable) at start-up. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  return {
    neo4jUri: env.NEO4J_URI || undefined,
    neo4jUser: env.NEO4J_USER ?? env.NEO4J_USERNAME ?? 'neo4j',
    neo4jPassword: env.NEO4J_PASSWORD ?? '',
    neo4jDatabase: env.NEO4J_DATABASE || undefined,
    home: path.resolve(env.LABORTRACE_HOME || '.labortrace'),
    boltPort: portSetting(env, 'LABORTRACE_BOLT_PORT'),
    heap: sizeSetting(env, 'LABORTRACE_NEO4J_HEAP', '4g'),
    pageCache: sizeSetting(env, 'LABORTRACE_NEO4J_PAGECACHE', '2g'),
    port: intSetting(env, 'PORT', 4000, 0, 65535),
    host: env.HOST || '127.0.0.1',
    snapshotMaxRows: intSetting(env, 'LABORTRACE_SNAPSHOT_MAX_ROWS', 10_000_000, 0, Number.MAX_SAFE_INTEGER),
    snapshotDir: snapshotDirSetting(env),
    traceMaxSteps: traceMaxStepsSetting(env),
    requestMaxSteps: requestMaxStepsSetting(env),
    requestTimeoutMs: intSetting(env, 'LABORTRACE_REQUEST_TIMEOUT_MS', 30_000, 1, 3_600_000),
    matchThreshold: matchThresholdSetting(env),
    maxDepth: intSetting(env, 'LABORTRACE_MAX_DEPTH', 12, 1, 1_000),
    maxAliases: intSetting(env, 'LABORTRACE_MAX_ALIASES', 30, 0, 100_000),
    maxTokens: intSetting(env, 'LABORTRACE_MAX_TOKENS', 5_000, 1, 10_000_000),
    maxDirectives: intSetting(env, 'LABORTRACE_MAX_DIRECTIVES', 50, 0, 100_000),
    maxCost: intSetting(env, 'LABORTRACE_MAX_COST', 20_000, 1, Number.MAX_SAFE_INTEGER),
    maxBodyBytes: intSetting(env, 'LABORTRACE_MAX_BODY_BYTES', 1_048_576, 1_024, 1_073_741_824),
    allowBatching: boolSetting(env, 'LABORTRACE_ALLOW_BATCHING', false),
    corsOrigins: listSetting(env, 'LABORTRACE_CORS_ORIGINS'),
    introspection: boolSetting(env, 'LABORTRACE_INTROSPECTION', undefined),
    neo4jConnectTimeoutMs: intSetting(env, 'LABORTRACE_NEO4J_CONNECT_TIMEOUT_MS', 3_000, 100, 600_000),
    neo4jAcquireTimeoutMs: intSetting(env, 'LABORTRACE_NEO4J_ACQUIRE_TIMEOUT_MS', 5_000, 100, 600_000),
    logLevel: (() => {
      const level = (env.LABORTRACE_LOG_LEVEL || 'info').trim().toLowerCase();
      if (!LOG_LEVELS.includes(level)) throw new ConfigError('LABORTRACE_LOG_LEVEL', `'${env.LABORTRACE_LOG_LEVEL}' is not one of ${LOG_LEVELS.join(', ')}`);
      return level;
    })(),
  };
}

/** The repository root (where cypher/, seed/ and neo4j-launcher/ live), from src/ or dist/src/. */
export const PROJECT_ROOT = (() => {
  let dir = __dirname;
  while (!require('node:fs').existsSync(path.join(dir, 'package.json'))) dir = path.dirname(dir);
  return dir;
})();
