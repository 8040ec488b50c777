import path from 'node:path';
import { loadConfig } from '../../src/config';
import { ensureRunning, boltUri } from '../../src/db/embedded-neo4j';

/**
 * Tests get their own embedded Neo4j under .labortrace/test (they wipe it), never the one `npm start` uses and never
 * NEO4J_URI: an external database is used only when LABORTRACE_TEST_NEO4J_URI names it explicitly.
 */
export default async function globalSetup(): Promise<void> {
  if (process.env.LABORTRACE_TEST_NEO4J_URI) return;
  const home = path.resolve(__dirname, '..', '..', '.labortrace', 'test');
  const cfg = { ...loadConfig({ ...process.env, NEO4J_URI: '' }), home, heap: '2g', pageCache: '512m' };
  const port = await ensureRunning(cfg);
  process.env.LABORTRACE_TEST_NEO4J_URI = boltUri(port);
}
