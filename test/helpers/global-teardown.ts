import { loadConfig } from '../../src/config';
import { stop } from '../../src/db/embedded-neo4j';

/**
 * Stops the embedded test Neo4j that this run's global setup started, and nothing else: not a database named by
 * LABORTRACE_TEST_NEO4J_URI, and not a .labortrace/test Neo4j that was already running before the run (a developer
 * keeping it up between runs). Which home to stop is decided before setup: global setup may name it in
 * LABORTRACE_TEST_STARTED_HOME; otherwise jest.config.js records it in LABORTRACE_TEST_STOP_HOME.
 */
export default async function globalTeardown(): Promise<void> {
  const home = process.env.LABORTRACE_TEST_STARTED_HOME || process.env.LABORTRACE_TEST_STOP_HOME;
  if (!home) return;
  const cfg = { ...loadConfig({ ...process.env, NEO4J_URI: '' }), home };
  const result = await stop(cfg);
  if (result === 'stopped') process.stderr.write(`\nlabortrace tests: stopped the test Neo4j under ${home}\n`);
}
