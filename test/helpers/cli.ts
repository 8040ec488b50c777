import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';

/** The built command, as users run it (`npm test` builds first). */
export const BIN = path.join(__dirname, '..', '..', 'bin', 'labortrace.js');

/**
 * The environment of a command run against the test database, as a user would name it (NEO4J_URI and friends):
 * no demo data on an empty store, and no single sign-on settings from the caller's shell.
 */
export function testDbEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    NEO4J_URI: process.env.LABORTRACE_TEST_NEO4J_URI!,
    NEO4J_USER: process.env.LABORTRACE_TEST_NEO4J_USER ?? 'neo4j',
    NEO4J_PASSWORD: process.env.LABORTRACE_TEST_NEO4J_PASSWORD ?? '',
    LABORTRACE_SEED: '0',
    LABORTRACE_JWT_SECRET: '',
    LABORTRACE_JWKS_URL: '',
    ...extra,
  };
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `labortrace ARGS` to its end; a non-zero exit is a result, not an error. */
export async function runCli(args: string[], options: { env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<CliResult> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [BIN, ...args], { env: options.env ?? testDbEnv(), timeout: options.timeoutMs ?? 120_000 });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}
