const fs = require('node:fs');
const path = require('node:path');

/**
 * What global teardown may stop is decided here, before global setup runs (this file is read first, in the same
 * process): the test Neo4j under .labortrace/test is stopped at the end only when this run started it, i.e. when
 * LABORTRACE_TEST_NEO4J_URI was not given and that Neo4j was not already running (see test/helpers/global-teardown.ts).
 */
const TEST_HOME = path.join(__dirname, '.labortrace', 'test');
function launcherRunning(home) {
  try {
    const pid = Number(fs.readFileSync(path.join(home, 'neo4j.pid'), 'utf8').trim());
    if (!Number.isInteger(pid) || pid <= 0) return false;
    process.kill(pid, 0);
    try {
      return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('labortrace.launcher.Launcher');
    } catch {
      return true;
    }
  } catch {
    return false;
  }
}
if (process.env.LABORTRACE_TEST_STOP_HOME === undefined) {
  process.env.LABORTRACE_TEST_STOP_HOME = process.env.LABORTRACE_TEST_NEO4J_URI || launcherRunning(TEST_HOME) ? '' : TEST_HOME;
}

// One JSON line per request is for operators; in a test run it would bury the results (the operations test sets
// its own level and checks the lines).
process.env.LABORTRACE_LOG_LEVEL ??= 'warn';

/** Unit tests are pure; integration and e2e tests share one real Neo4j (see test/helpers/global-setup.ts). */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json', isolatedModules: true }] },
  globalSetup: '<rootDir>/test/helpers/global-setup.ts',
  globalTeardown: '<rootDir>/test/helpers/global-teardown.ts',
  setupFiles: ['reflect-metadata'],
  testTimeout: 120000,
};
