import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createAuthenticator } from '../../src/auth/authenticator';
import { KeyService } from '../../src/auth/keys.service';
import type { Role } from '../../src/auth/principal';
import type { Neo4jClient } from '../../src/db/neo4j-client';
import { EntityService } from '../../src/entity/entity.service';
import { exportDataset } from '../../src/export/export.service';
import { startServer, type RunningServer } from '../../src/graphql/server';
import { TraceService } from '../../src/trace/trace.service';

/**
 * Shared by the change-set tests (test/e2e/changes*.e2e.test.ts): a server over the test database, in local mode or
 * with API keys, GraphQL over HTTP as a client sends it, and what "nothing was written" is compared with.
 */

export interface GqlResponse {
  status: number;
  data?: any;
  errors?: any[];
}

/** One client of a running server: its key (none: local mode or anonymous). */
export class Api {
  constructor(readonly url: string, readonly key?: string) {}

  as(key: string | undefined): Api {
    return new Api(this.url, key);
  }

  async post(query: string, variables: Record<string, unknown> = {}): Promise<GqlResponse> {
    const res = await fetch(this.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(this.key ? { authorization: `Bearer ${this.key}` } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await res.json()) as { data?: any; errors?: any[] };
    return { status: res.status, data: body.data, errors: body.errors };
  }

  /** The data of a request that must succeed (its errors shown when it does not). */
  async ok(query: string, variables: Record<string, unknown> = {}): Promise<any> {
    const r = await this.post(query, variables);
    if (r.errors) throw new Error(`GraphQL errors: ${JSON.stringify(r.errors, null, 1)}\nquery: ${query}\nvariables: ${JSON.stringify(variables)}`);
    return r.data;
  }

  /** The errors of a request that must fail. */
  async refused(query: string, variables: Record<string, unknown> = {}): Promise<any[]> {
    const r = await this.post(query, variables);
    if (!r.errors || r.errors.length === 0) throw new Error(`expected errors, got ${JSON.stringify(r.data)}`);
    return r.errors;
  }
}

export interface TestServer {
  api: Api;
  server: RunningServer;
  stop(): Promise<void>;
}

/** A server in local mode (no authenticator: every request is the admin `local`). */
export async function startLocal(client: Neo4jClient): Promise<TestServer> {
  const server = await startServer({ client, entities: new EntityService(client), trace: new TraceService(client) }, 0, '127.0.0.1', { logLevel: 'silent' });
  return { api: new Api(server.url), server, stop: () => server.stop() };
}

/** A server with the real authenticator (API keys in the test database; no JWT setting). */
export async function startWithKeys(client: Neo4jClient): Promise<TestServer> {
  const authenticator = createAuthenticator(client, {});
  const server = await startServer(
    { client, entities: new EntityService(client), trace: new TraceService(client), authenticator }, 0, '127.0.0.1', { logLevel: 'silent' },
  );
  return { api: new Api(server.url), server, stop: () => server.stop() };
}

/** Creates API keys as `labortrace keys create` does; returns each key by its name. */
export async function createKeys(client: Neo4jClient, keys: Record<string, Role>): Promise<Record<string, string>> {
  const service = new KeyService(client);
  const out: Record<string, string> = {};
  for (const [name, role] of Object.entries(keys)) out[name] = (await service.create(name, role)).key;
  return out;
}

/** The whole graph as `labortrace export` writes it: file name -> text. */
export async function exportFiles(client: Neo4jClient): Promise<Record<string, string>> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'labortrace-changes-export-'));
  try {
    await exportDataset(client, dir);
    return Object.fromEntries(readdirSync(dir).sort().map((f) => [f, readFileSync(path.join(dir, f), 'utf8')]));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export const CHANGE_SET_FIELDS = 'id at actor reason source changeCount changes { op entityId kind before after version }';

export const APPLY = `mutation($input: ChangeSetInput!) { applyChanges(input: $input) { ${CHANGE_SET_FIELDS} } }`;

export const PROPOSE = `mutation($input: RebuttalInput!) { proposeRebuttal(input: $input) {
  id status prong itemIds proposedBy proposedAt decidedBy decidedAt version } }`;

export const DECIDE = `mutation($id: ID!, $decision: RebuttalDecision!, $note: String) { decideRebuttal(id: $id, decision: $decision, note: $note) {
  id status proposedBy proposedAt decidedBy decidedAt decisionNote version } }`;

export const TRACE_COUNTS = `query($id: ID!, $asOf: Date, $knownAt: DateTime) { trace(itemId: $id, asOf: $asOf, knownAt: $knownAt) {
  exposure pathCount possiblePathCount openPathCount openPossiblePathCount } }`;

/** How many change sets the log holds. */
export async function changeSetTotal(api: Api): Promise<number> {
  return (await api.ok('{ changeSets(first: 1) { totalCount } }')).changeSets.totalCount;
}

/** A millisecond before an ISO instant: knownAt just before a change set. */
export const justBefore = (at: string): string => new Date(Date.parse(at) - 1).toISOString();
