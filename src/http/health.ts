import { classifyNeo4jError, withoutDeadline, type Neo4jClient } from '../db/neo4j-client';

/** How long GET /health/ready waits for Neo4j's answer. */
export const READY_TIMEOUT_MS = 2_000;

export type Readiness = { status: 'ready' } | { status: 'unavailable'; reason: string };

/** One trivial read with a short timeout: ready when Neo4j answers it. */
export async function readiness(client: Neo4jClient, timeoutMs = READY_TIMEOUT_MS): Promise<Readiness> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<Readiness>((resolve) => {
    timer = setTimeout(() => resolve({ status: 'unavailable', reason: `Neo4j did not answer within ${timeoutMs} ms` }), timeoutMs + 250);
  });
  const probe = withoutDeadline(() => client.readOnce('admin/graph-version', {}, timeoutMs)).then(
    (): Readiness => ({ status: 'ready' }),
    (e): Readiness => {
      const kind = classifyNeo4jError(e);
      if (kind === 'unavailable') return { status: 'unavailable', reason: 'Neo4j is unreachable' };
      if (kind === 'timeout') return { status: 'unavailable', reason: `Neo4j did not answer within ${timeoutMs} ms` };
      const code = (e as { code?: unknown })?.code;
      return { status: 'unavailable', reason: `Neo4j failed the check${typeof code === 'string' && code !== '' ? ` (${code})` : ''}` };
    },
  );
  try {
    return await Promise.race([probe, late]);
  } finally {
    clearTimeout(timer);
  }
}
