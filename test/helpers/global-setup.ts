import path from 'node:path';
import { loadConfig } from '../../src/config';
import { boltUri, embeddedPassword, EMBEDDED_USER, ensureRunning } from '../../src/db/embedded-neo4j';

/**
 * Tests get their own embedded Neo4j under .labortrace/test (they wipe it), never the one `npm start` uses and never
 * NEO4J_URI: an external database is used only when LABORTRACE_TEST_NEO4J_URI names it explicitly (with
 * LABORTRACE_TEST_NEO4J_USER / _PASSWORD when it needs them). The embedded one requires its password: the setup
 * hands it to the tests (test/helpers/neo4j.ts) and to the commands they run (LABORTRACE_HOME).
 */
export default async function globalSetup(): Promise<void> {
  if (process.env.LABORTRACE_TEST_NEO4J_URI) return;
  const home = path.resolve(__dirname, '..', '..', '.labortrace', 'test');
  const cfg = { ...loadConfig({ ...process.env, NEO4J_URI: '' }), home, heap: '2g', pageCache: '512m' };
  const port = await ensureRunning(cfg);
  process.env.LABORTRACE_TEST_NEO4J_URI = boltUri(port);
  process.env.LABORTRACE_TEST_NEO4J_USER = EMBEDDED_USER;
  process.env.LABORTRACE_TEST_NEO4J_PASSWORD = embeddedPassword(home);
  // for the commands tests run with NEO4J_URI pointing at the test database
  process.env.NEO4J_USER ??= EMBEDDED_USER;
  process.env.NEO4J_PASSWORD ??= process.env.LABORTRACE_TEST_NEO4J_PASSWORD;
}
