import path from 'node:path';

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
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  return {
    neo4jUri: env.NEO4J_URI || undefined,
    neo4jUser: env.NEO4J_USER ?? env.NEO4J_USERNAME ?? 'neo4j',
    neo4jPassword: env.NEO4J_PASSWORD ?? '',
    neo4jDatabase: env.NEO4J_DATABASE || undefined,
    home: path.resolve(env.LABORTRACE_HOME || '.labortrace'),
    boltPort: env.LABORTRACE_BOLT_PORT ? Number(env.LABORTRACE_BOLT_PORT) : undefined,
    heap: env.LABORTRACE_NEO4J_HEAP || '4g',
    pageCache: env.LABORTRACE_NEO4J_PAGECACHE || '2g',
    port: env.PORT ? Number(env.PORT) : 4000,
    host: env.HOST || '127.0.0.1',
    snapshotMaxRows: env.LABORTRACE_SNAPSHOT_MAX_ROWS ? Number(env.LABORTRACE_SNAPSHOT_MAX_ROWS) : 3_000_000,
  };
}

/** The repository root (where cypher/, seed/ and neo4j-launcher/ live), from src/ or dist/src/. */
export const PROJECT_ROOT = (() => {
  let dir = __dirname;
  while (!require('node:fs').existsSync(path.join(dir, 'package.json'))) dir = path.dirname(dir);
  return dir;
})();
