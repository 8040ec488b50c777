import { execute, GraphQLError, parse, type DocumentNode, type ExecutionResult } from 'graphql';
import { ImportInProgressError } from '../changes/staging';
import { roleAtLeast, type Principal } from '../auth/principal';
import { createContext, type Context, type Services } from '../graphql/context';
import { graphqlSchema } from '../graphql/schema';
import { DateScalar } from '../graphql/scalars/date.scalar';
import { DateTimeScalar } from '../graphql/scalars/datetime.scalar';
import { BomCycleError } from '../trace/engine/trace.engine';
import { TraceTooComplexError } from '../trace/engine/work-budget';
import { GraphChangedError } from '../trace/trace.service';
import { buildDossier, type Dossier } from './dossier.model';
import {
  CHANGE_SETS_SINCE_QUERY, DOSSIER_PATH_LIMIT, DOSSIER_QUERY, LATEST_CHANGE_SET_QUERY, detailsQuery,
  type ChangeSetResult, type DossierQueryResult, type EvidenceResult, type WorkerResult,
} from './dossier.query';

/**
 * Gathers a dossier through the GraphQL API, executed in process with the caller's principal: the same engine and
 * exactly the same field rules as /graphql. The dossier itself needs analyst (it lists paths and evidence); worker
 * names appear for investigators and admins only.
 */

/** The role a dossier needs (docs/dossier.md). */
export const DOSSIER_ROLE = 'analyst';

export class DossierNotFoundError extends Error {
  readonly code = 'NOT_FOUND';
}

export class DossierForbiddenError extends Error {
  readonly code = 'FORBIDDEN';
}

/** A bad asOf or knownAt: the message names the parameter. */
export class DossierInputError extends Error {
  readonly code = 'BAD_USER_INPUT';
  constructor(message: string, readonly parameter: string) {
    super(message);
  }
}

/** An answer of the API the dossier cannot be made from (TRACE_TOO_COMPLEX, CONFLICT, …): its code and message. */
export class DossierQueryError extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
  }
}

export interface DossierRequest {
  itemId: string;
  asOf?: string | null;
  knownAt?: string | null;
}

/** asOf as a day and knownAt as an instant, checked as the API checks them; DossierInputError names the one at fault. */
export function checkDossierRequest(request: DossierRequest): { itemId: string; asOf: string | null; knownAt: string | null } {
  const check = (name: 'asOf' | 'knownAt', value: string | null | undefined, scalar: typeof DateScalar | typeof DateTimeScalar) => {
    if (value === undefined || value === null) return null;
    try {
      scalar.parseValue(value);
    } catch (e) {
      throw new DossierInputError(`${name}: ${(e as Error).message}`, name);
    }
    return value;
  };
  if (request.itemId.trim() === '') throw new DossierInputError('itemId: must not be empty', 'itemId');
  return { itemId: request.itemId, asOf: check('asOf', request.asOf, DateScalar), knownAt: check('knownAt', request.knownAt, DateTimeScalar) };
}

const parsed = new Map<string, DocumentNode>();
function documentOf(text: string): DocumentNode {
  let doc = parsed.get(text);
  if (!doc) {
    doc = parse(text);
    if (parsed.size < 64) parsed.set(text, doc); // the fixed queries; detail queries vary with the ids
  }
  return doc;
}

const codeOf = (e: GraphQLError) => String(e.extensions?.code ?? '');

/**
 * Fails on any error but the FORBIDDEN ones `tolerated` accepts (personal data the caller may not read). A database
 * out of reach or a passed deadline is rethrown as itself, so that the HTTP layer answers 503/504 as for /graphql;
 * the engine's own refusals keep the codes /graphql gives them.
 */
async function run<T>(ctx: Context, text: string, variables: Record<string, unknown>, tolerated: (e: GraphQLError) => boolean = () => false): Promise<{ data: T; forbidden: GraphQLError[] }> {
  const result = (await execute({ schema: graphqlSchema(), document: documentOf(text), variableValues: variables, contextValue: ctx })) as ExecutionResult<T>;
  const forbidden: GraphQLError[] = [];
  for (const e of result.errors ?? []) {
    if (codeOf(e) === 'FORBIDDEN' && tolerated(e)) {
      forbidden.push(e);
      continue;
    }
    const original = e.originalError;
    if (original instanceof TraceTooComplexError) throw new DossierQueryError('TRACE_TOO_COMPLEX', original.message);
    if (original instanceof GraphChangedError || original instanceof ImportInProgressError) throw new DossierQueryError('CONFLICT', original.message);
    if (original instanceof BomCycleError) throw new DossierQueryError('BOM_CYCLE', original.message);
    if (original && !(original instanceof GraphQLError)) throw original;
    const code = codeOf(e);
    if (code === 'NOT_FOUND') throw new DossierNotFoundError(e.message);
    throw new DossierQueryError(code || 'INTERNAL_SERVER_ERROR', e.message);
  }
  if (!result.data) throw new DossierQueryError('INTERNAL_SERVER_ERROR', 'the API answered no data');
  return { data: result.data, forbidden };
}

type SinceResult = { changeSets: { edges: { cursor: string }[]; pageInfo: { hasNextPage: boolean } } };

/**
 * The change set the data comes from: the newest one, or with knownAt the newest recorded at or before it (the
 * ones after it are skipped by cursor, newest first).
 */
async function dataVersion(ctx: Context, knownAt: string | null): Promise<ChangeSetResult | null> {
  let after: string | null = null;
  if (knownAt !== null) {
    const since = new Date(Date.parse(knownAt) + 1).toISOString(); // `since` is inclusive: at or before knownAt stays
    for (;;) {
      const page: SinceResult = (await run<SinceResult>(ctx, CHANGE_SETS_SINCE_QUERY, { since, after })).data;
      const edges = page.changeSets.edges;
      if (edges.length > 0) after = edges[edges.length - 1].cursor;
      if (!page.changeSets.pageInfo.hasNextPage) break;
    }
  }
  const { data } = await run<{ changeSets: { edges: { node: ChangeSetResult }[] } }>(ctx, LATEST_CHANGE_SET_QUERY, { after });
  return data.changeSets.edges[0]?.node ?? null;
}

export interface DossierOptions {
  /** the request's deadline (epoch ms) */
  deadline?: number;
  now?: () => Date;
  pathLimit?: number;
}

/** Builds the dossier of an item for a caller; DossierNotFoundError for an item that does not exist (at knownAt). */
export async function gatherDossier(services: Omit<Services, 'authenticator'>, principal: Principal, request: DossierRequest, opts: DossierOptions = {}): Promise<Dossier> {
  if (!roleAtLeast(principal.role, DOSSIER_ROLE)) {
    throw new DossierForbiddenError(`a dossier lists paths and evidence: it needs the role ${DOSSIER_ROLE} or above (this credential is ${principal.role})`);
  }
  const { itemId, asOf, knownAt } = checkDossierRequest(request);
  const pathLimit = opts.pathLimit ?? DOSSIER_PATH_LIMIT;
  const ctx = createContext(services, principal, opts.deadline);
  const personalData = roleAtLeast(principal.role, 'investigator');

  // a worker node's name is personal data: below investigator the API refuses it, and the node stays without one
  const workerName = (e: GraphQLError) => e.path?.[e.path.length - 1] === 'name';
  const { data } = await run<DossierQueryResult>(ctx, DOSSIER_QUERY, { itemId, asOf, knownAt, pathLimit }, workerName);
  if (!data.item) throw new DossierNotFoundError(`item '${itemId}' does not exist${knownAt ? ` (as recorded at ${knownAt})` : ''}`);
  const item = data.item;

  const graph = data.trace.subgraph;
  const evidenceIds = new Set<string>(item.evidence.map((e) => e.id));
  for (const n of graph.nodes) for (const e of n.evidenceIds) evidenceIds.add(e);
  for (const r of graph.relationships) {
    for (const e of r.evidenceIds) evidenceIds.add(e);
    for (const rb of r.rebuttals) for (const e of rb.evidence) evidenceIds.add(e.id);
  }
  const sortedEvidence = [...evidenceIds].sort();
  const workerIds = graph.nodes.filter((n) => n.kind === 'Worker').map((n) => n.id).sort();
  const details = detailsQuery(sortedEvidence, workerIds, personalData);
  // testimony's content is refused below investigator: that row is listed as withheld
  const { data: found, forbidden } = await run<Record<string, EvidenceResult | WorkerResult | null>>(ctx, details.document, { ...details.variables, knownAt }, () => true);
  const withheldEvidence = new Set<string>();
  for (const e of forbidden) {
    const alias = String(e.path?.[0] ?? '');
    if (alias.startsWith('e')) withheldEvidence.add(details.variables[alias]);
  }
  const evidence = new Map<string, EvidenceResult | null>(sortedEvidence.map((id, i) => [id, (found[`e${i}`] as EvidenceResult | null) ?? null]));
  const workers = new Map<string, WorkerResult | null>(workerIds.map((id, i) => [id, (found[`w${i}`] as WorkerResult | null) ?? null]));

  return buildDossier({
    result: { ...data, item }, evidence, workers, withheldEvidence, dataVersion: await dataVersion(ctx, knownAt),
    asOf, knownAt, generatedAt: (opts.now ?? (() => new Date()))(), principal: { actor: principal.actor, role: principal.role }, personalData, pathLimit,
  });
}
