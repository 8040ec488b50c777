/**
 * The explorer's GraphQL client: every request the page makes goes through `request`, to /graphql only, as a
 * named operation (the operation names show up in the server's request log and metrics). Other front-ends can
 * copy this file: it is the whole contract between the page and the API.
 *
 * Access (README "Access"): in local mode no credential is needed. Otherwise the server answers 401; the page
 * then asks for an API key once (see `setCredentialPrompt`), keeps it in sessionStorage and sends it as
 * `Authorization: Bearer …`. A field above the caller's role comes back as a GraphQL error with
 * extensions.code FORBIDDEN at that field's path; the views show such errors as readable notices.
 */

/** Counts are BigInt scalars: exact integers serialized as strings of digits. */
export type BigIntString = string;
export type Exposure = 'DIRECT' | 'POSSIBLE' | 'NONE';
export type CountStatus = 'EXACT' | 'TOO_COMPLEX';
export type SupplyDirection = 'UPSTREAM' | 'DOWNSTREAM';

export interface GraphNode {
  id: string;
  kind: string;
  /** null for a worker when the caller's role may not see personal data */
  name: string | null;
  country: string | null;
  source: boolean;
  traced: boolean;
  evidenceIds: string[];
  /** The watch-list entries a person confirmed this node to be (LISTS.md). */
  listings: Listing[];
}

export interface Listing {
  list: string;
  listVersion: string;
  entryId: string;
  entryName: string;
  programs: string[];
  dprk: boolean;
}

export interface RebuttalSummary {
  id: string;
  status: 'PROPOSED' | 'ACCEPTED' | 'REJECTED';
  prong: 'NOT_PRESENT' | 'NOT_FORCED';
  note: string | null;
  decisionNote: string | null;
  itemIds: string[] | null;
  /** only the ids: titles are fetched one by one, so a restricted (testimony) row cannot null the whole graph */
  evidence: { id: string }[];
}

export interface GraphRelationship {
  id: string;
  type: string;
  source: string;
  target: string;
  from: string | null;
  to: string | null;
  placement: string | null;
  rebutted: boolean;
  evidenceIds: string[];
  /** absent when the operation did not ask for it (the supplier map: SUPPLIES rows have none) */
  rebuttals?: RebuttalSummary[];
}

export interface Graph {
  nodes: GraphNode[];
  relationships: GraphRelationship[];
}

export interface PageInfo {
  hasNextPage: boolean;
  endCursor: string | null;
}

export interface ItemRef {
  id: string;
  name: string;
}

export interface Evidence {
  id: string;
  kind: string | null;
  title: string;
  published: string | null;
  url: string | null;
  confidence: number | null;
}

export interface GraphQLErrorEntry {
  message: string;
  path?: (string | number)[];
  extensions?: { code?: string };
}

/** What a request gives back: the data GraphQL could produce and every error it reported (never dropped). */
export interface GraphQLResult<TData> {
  data: TData | null;
  errors: GraphQLErrorEntry[];
}

/** A named operation: its document, with the types of its variables and data attached for the caller. */
export interface Operation<TData, TVariables> {
  readonly name: string;
  readonly document: string;
  /** type-only markers; never set */
  readonly __data?: TData;
  readonly __variables?: TVariables;
}

function operation<TData, TVariables>(name: string, document: string): Operation<TData, TVariables> {
  return { name, document };
}

/** The view's time controls, passed to every operation that takes them (absent: today / now). */
export interface TimeVariables {
  asOf?: string;
  knownAt?: string;
}

const GRAPH_NODE_FIELDS = 'id kind name country source traced evidenceIds listings { list listVersion entryId entryName programs dprk }';
const GRAPH_RELATIONSHIP_FIELDS = `id type source target from to placement rebutted evidenceIds
  rebuttals { id status prong note decisionNote itemIds evidence { id } }`;

// ---- search -------------------------------------------------------------------------------------------------

export interface SearchData {
  items: { edges: { node: { id: string; name: string; kind: 'PRODUCT' | 'COMPONENT' } }[] };
  factories: { edges: { node: { id: string; name: string; country: string } }[] };
  companies: { edges: { node: { id: string; name: string; country: string | null } }[] };
  agencies: { edges: { node: { id: string; name: string; country: string | null } }[] };
  itemById: { id: string; name: string; kind: 'PRODUCT' | 'COMPONENT' } | null;
  factoryById: { id: string; name: string; country: string } | null;
  companyById: { id: string; name: string; country: string | null } | null;
  agencyById: { id: string; name: string; country: string | null } | null;
}

/** Name search (case-insensitive substring) and exact id lookup of items, factories, companies and agencies. */
export const SEARCH_ENTITIES = operation<SearchData, { text: string; id: string; first: number; knownAt?: string }>('SearchEntities', `
query SearchEntities($text: String!, $id: ID!, $first: Int!, $knownAt: DateTime) {
  items(filter: { nameContains: $text }, first: $first, knownAt: $knownAt) { edges { node { id name kind } } }
  factories(filter: { nameContains: $text }, first: $first, knownAt: $knownAt) { edges { node { id name country } } }
  companies(filter: { nameContains: $text }, first: $first, knownAt: $knownAt) { edges { node { id name country } } }
  agencies(filter: { nameContains: $text }, first: $first, knownAt: $knownAt) { edges { node { id name country } } }
  itemById: item(id: $id, knownAt: $knownAt) { id name kind }
  factoryById: factory(id: $id, knownAt: $knownAt) { id name country }
  companyById: company(id: $id, knownAt: $knownAt) { id name country }
  agencyById: agency(id: $id, knownAt: $knownAt) { id name country }
}`);

// ---- catalogue screen ----------------------------------------------------------------------------------------

/** What the screen and a trace both say of an item: its exposure and counts (null: not counted, TOO_COMPLEX). */
export interface ExposureCounts {
  exposure: Exposure;
  countStatus: CountStatus;
  pathCount: BigIntString | null;
  possiblePathCount: BigIntString | null;
  openPathCount: BigIntString | null;
  openPossiblePathCount: BigIntString | null;
  sourceCount: number;
  siteCount: number;
}

export interface ScreenRow extends ExposureCounts {
  item: ItemRef;
}

export interface ScreenData {
  screen: { totalCount: number; pageInfo: PageInfo; edges: { cursor: string; node: ScreenRow }[] };
}

/** One page of the catalogue screen: every product whose exposure is not NONE, in id order. */
export const SCREEN_PAGE = operation<ScreenData, TimeVariables & { first: number; after?: string }>('ScreenPage', `
query ScreenPage($asOf: Date, $knownAt: DateTime, $first: Int!, $after: String) {
  screen(asOf: $asOf, knownAt: $knownAt, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { cursor node { item { id name } exposure countStatus pathCount possiblePathCount openPathCount openPossiblePathCount sourceCount siteCount } }
  }
}`);

// ---- trace ---------------------------------------------------------------------------------------------------

export interface TraceSummary extends ExposureCounts {
  item: ItemRef & { kind: 'PRODUCT' | 'COMPONENT' };
}

/** Exposure and counts: what every role (viewer and up) may read. */
export const TRACE_SUMMARY = operation<{ trace: TraceSummary }, TimeVariables & { itemId: string }>('TraceSummary', `
query TraceSummary($itemId: ID!, $asOf: Date, $knownAt: DateTime) {
  trace(itemId: $itemId, asOf: $asOf, knownAt: $knownAt) {
    exposure countStatus pathCount possiblePathCount openPathCount openPossiblePathCount sourceCount siteCount
    item { id name kind }
  }
}`);

export interface TwoLayerGraph {
  /** every path, direct and possible */
  all: Graph;
  /** direct paths only: a relationship of `all` missing here lies on possible paths only */
  direct: { relationships: { id: string }[] };
}

/** The union of the item's paths, for drawing (analyst and up). */
export const TRACE_GRAPH = operation<{ trace: TwoLayerGraph }, TimeVariables & { itemId: string }>('TraceGraph', `
query TraceGraph($itemId: ID!, $asOf: Date, $knownAt: DateTime) {
  trace(itemId: $itemId, asOf: $asOf, knownAt: $knownAt) {
    all: subgraph { nodes { ${GRAPH_NODE_FIELDS} } relationships { ${GRAPH_RELATIONSHIP_FIELDS} } }
    direct: subgraph(possible: false) { relationships { id } }
  }
}`);

export interface TracePath {
  rebutted: boolean;
  /** source first, the traced item last */
  nodes: GraphNode[];
  /** for each hop in order, every parallel relationship that fits */
  relationships: GraphRelationship[];
}

export interface TracePathsData {
  trace: { paths: { totalCount: BigIntString | null; pageInfo: PageInfo; edges: { cursor: string; node: TracePath }[] } };
}

/** One page of direct (possible: false) or possible paths, by cursor (analyst and up). */
export const TRACE_PATHS = operation<TracePathsData, TimeVariables & { itemId: string; first: number; after?: string; possible: boolean }>('TracePaths', `
query TracePaths($itemId: ID!, $asOf: Date, $knownAt: DateTime, $first: Int!, $after: String, $possible: Boolean!) {
  trace(itemId: $itemId, asOf: $asOf, knownAt: $knownAt) {
    paths(first: $first, after: $after, possible: $possible) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges { cursor node { rebutted nodes { ${GRAPH_NODE_FIELDS} } relationships { ${GRAPH_RELATIONSHIP_FIELDS} } } }
    }
  }
}`);

// ---- evidence ------------------------------------------------------------------------------------------------

/**
 * One evidence row. Asked one id per request on purpose: `title` of a testimony row is investigator-only, and a
 * refused non-null field nulls only this nullable root field, not the rest of the page.
 */
export const EVIDENCE_BY_ID = operation<{ evidence: Evidence | null }, { id: string; knownAt?: string }>('EvidenceById', `
query EvidenceById($id: ID!, $knownAt: DateTime) {
  evidence(id: $id, knownAt: $knownAt) { id kind title published url confidence }
}`);

// ---- impact --------------------------------------------------------------------------------------------------

export interface ImpactRow {
  item: ItemRef;
  pathCount: BigIntString;
  possiblePathCount: BigIntString;
  openPathCount: BigIntString;
  openPossiblePathCount: BigIntString;
}

export interface ImpactData {
  impact: { node: GraphNode; products: ImpactRow[]; components: ImpactRow[] } & TwoLayerGraph;
}

/** What a node (factory, worker, agency, company, item) could have touched, and the paths through it. */
export const IMPACT_OF = operation<ImpactData, TimeVariables & { nodeId: string }>('ImpactOf', `
query ImpactOf($nodeId: ID!, $asOf: Date, $knownAt: DateTime) {
  impact(nodeId: $nodeId, asOf: $asOf, knownAt: $knownAt) {
    node { ${GRAPH_NODE_FIELDS} }
    products { item { id name } pathCount possiblePathCount openPathCount openPossiblePathCount }
    components { item { id name } pathCount possiblePathCount openPathCount openPossiblePathCount }
    all: subgraph { nodes { ${GRAPH_NODE_FIELDS} } relationships { ${GRAPH_RELATIONSHIP_FIELDS} } }
    direct: subgraph(possible: false) { relationships { id } }
  }
}`);

// ---- supplier map --------------------------------------------------------------------------------------------

export interface SupplyMapData {
  company: { id: string; name: string; country: string | null } | null;
  supplyChain: Graph;
}

/** The n-tier supplier (or customer) map around a company: companies and SUPPLIES relationships. */
export const SUPPLY_MAP = operation<SupplyMapData, { companyId: string; direction: SupplyDirection; maxTiers: number; knownAt?: string }>('SupplyMap', `
query SupplyMap($companyId: ID!, $direction: SupplyDirection!, $maxTiers: Int!, $knownAt: DateTime) {
  company(id: $companyId, knownAt: $knownAt) { id name country }
  supplyChain(companyId: $companyId, direction: $direction, maxTiers: $maxTiers, knownAt: $knownAt) {
    nodes { ${GRAPH_NODE_FIELDS} }
    relationships { id type source target from to placement rebutted evidenceIds }
  }
}`);

// ---- transport -----------------------------------------------------------------------------------------------

const KEY_STORAGE = 'labortrace.apiKey';

/** Asks the user for an API key (main.ts shows a dialog); null: they declined. */
export type CredentialPrompt = (reason: string) => Promise<string | null>;
let promptForCredential: CredentialPrompt = async () => null;

export function setCredentialPrompt(prompt: CredentialPrompt): void {
  promptForCredential = prompt;
}

export function storedKey(): string | null {
  return sessionStorage.getItem(KEY_STORAGE);
}

let keyChanged: () => void = () => undefined;

/** Called whenever the stored key is set or forgotten (the page shows whether one is in use). */
export function onKeyChange(listener: () => void): void {
  keyChanged = listener;
}

export function forgetKey(): void {
  sessionStorage.removeItem(KEY_STORAGE);
  evidenceCache.clear();
  keyChanged();
}

/** The header to send, if the user gave a key (local mode needs none). */
export function authorizationHeader(): Record<string, string> {
  const key = storedKey();
  return key ? { authorization: `Bearer ${key}` } : {};
}

/** Prompts run one at a time: several views asking at once share the one dialog. */
let pendingPrompt: Promise<string | null> | null = null;

async function askForKey(reason: string): Promise<string | null> {
  pendingPrompt ??= promptForCredential(reason).finally(() => { pendingPrompt = null; });
  const key = await pendingPrompt;
  if (key) {
    sessionStorage.setItem(KEY_STORAGE, key.trim());
    // what another key was allowed to read is not this one's to see
    evidenceCache.clear();
    keyChanged();
  }
  return key;
}

/**
 * Sends one operation and returns its data and errors. A 401 asks for a key and retries until the user gives a
 * valid one or declines (then it is an UNAUTHENTICATED error in the result). Other HTTP failures become errors
 * in the result too, so a view always has something to show.
 */
export async function request<TData, TVariables>(op: Operation<TData, TVariables>, variables: TVariables): Promise<GraphQLResult<TData>> {
  for (;;) {
    const keyUsed = storedKey();
    let response: Response;
    try {
      response = await fetch('/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json', ...authorizationHeader() },
        body: JSON.stringify({ operationName: op.name, query: op.document, variables: withoutUndefined(variables) }),
      });
    } catch (e) {
      return { data: null, errors: [{ message: `the API could not be reached (${e instanceof Error ? e.message : String(e)})`, extensions: { code: 'NETWORK_ERROR' } }] };
    }
    const body = await response.json().catch(() => null) as { data?: TData | null; errors?: GraphQLErrorEntry[] } | null;
    if (response.status === 401) {
      // another request may have stored a fresh key meanwhile: retry with it before asking again
      if (storedKey() !== keyUsed && storedKey()) continue;
      const reason = keyUsed ? 'That API key was not accepted (revoked or mistyped). Enter another one.' : 'This server requires an API key.';
      if (keyUsed) forgetKey();
      if (await askForKey(reason)) continue;
      return { data: null, errors: body?.errors ?? [{ message: 'an API key is required', extensions: { code: 'UNAUTHENTICATED' } }] };
    }
    if (!body) {
      return { data: null, errors: [{ message: `the API answered HTTP ${response.status} without a GraphQL body`, extensions: { code: `HTTP_${response.status}` } }] };
    }
    return { data: body.data ?? null, errors: body.errors ?? [] };
  }
}

/** JSON drops undefined anyway; this keeps the logged variables tidy and explicit. */
function withoutUndefined<T>(variables: T): Partial<T> {
  return Object.fromEntries(Object.entries(variables as Record<string, unknown>).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** Evidence rows by id, each fetched once per page load and knownAt. */
const evidenceCache = new Map<string, Promise<GraphQLResult<{ evidence: Evidence | null }>>>();

export function fetchEvidence(id: string, knownAt?: string): Promise<GraphQLResult<{ evidence: Evidence | null }>> {
  const key = `${id}@${knownAt ?? ''}`;
  let pending = evidenceCache.get(key);
  if (!pending) {
    pending = request(EVIDENCE_BY_ID, { id, knownAt });
    evidenceCache.set(key, pending);
    // keep only answers: an error (a key not given yet, a lost connection) is asked again next time
    void pending.then((r) => { if (r.errors.length > 0) evidenceCache.delete(key); });
  }
  return pending;
}

export function isForbidden(error: GraphQLErrorEntry): boolean {
  return error.extensions?.code === 'FORBIDDEN';
}
