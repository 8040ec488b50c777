/**
 * What the customs dossier asks the GraphQL API (schema/schema.graphql), and the shapes of the answers. The dossier
 * reads through the API, in process, so that it sees exactly what the caller may see at /graphql.
 */

/** At most this many paths of each kind (direct, possible) are listed; the counts are always stated in full. */
export const DOSSIER_PATH_LIMIT = 200;

/**
 * The item, its trace (exposure, counts, the first paths of each kind, the traced subgraph with every labor
 * relationship's rebuttals) and the change set the data comes from. Evidence and worker cohorts are read by id
 * afterwards (detailsQuery): a testimony row an analyst may not read would otherwise null a whole list here.
 */
export const DOSSIER_QUERY = /* GraphQL */ `
  query Dossier($itemId: ID!, $asOf: Date, $knownAt: DateTime, $pathLimit: Int!) {
    item(id: $itemId, knownAt: $knownAt) {
      id name kind sku hsCode brand material
      evidence { id kind }
      components { id quantity component { id name kind } }
      madeAt { id from to factory { id name country } }
      sourcedFrom { id from to company { id name country } }
    }
    trace(itemId: $itemId, asOf: $asOf, knownAt: $knownAt) {
      exposure countStatus pathCount possiblePathCount openPathCount openPossiblePathCount sourceCount siteCount
      direct: paths(first: $pathLimit, possible: false) { ...PathPage }
      possible: paths(first: $pathLimit, possible: true) { ...PathPage }
      subgraph {
        nodes { id kind name country source traced evidenceIds listings { list listVersion entryId entryName programs dprk } }
        relationships {
          id type source target from to placement rebutted evidenceIds
          rebuttals { id status prong note origin proposedBy proposedAt decidedBy decidedAt decisionNote itemIds evidence { id kind } }
        }
      }
    }
  }
  fragment PathPage on TracePathConnection {
    totalCount
    pageInfo { hasNextPage }
    edges { node { rebutted nodes { id } relationships { id source target } } }
  }
`;

/** The newest change set, or (with `since`) the cursors of those recorded at or after an instant. */
export const LATEST_CHANGE_SET_QUERY = /* GraphQL */ `
  query DossierDataVersion($after: String) {
    changeSets(first: 1, after: $after) { edges { node { id at actor reason } } }
  }
`;

export const CHANGE_SETS_SINCE_QUERY = /* GraphQL */ `
  query DossierChangeSetsSince($since: DateTime!, $after: String) {
    changeSets(first: 1000, since: $since, after: $after) { edges { cursor } pageInfo { hasNextPage } }
  }
`;

/**
 * Evidence rows and worker cohorts by id, one aliased field each (ids travel as variables, never in the text).
 * A worker's name is personal data: asked for only when the caller may read it.
 */
export function detailsQuery(evidenceIds: readonly string[], workerIds: readonly string[], withNames: boolean): { document: string; variables: Record<string, string> } {
  const variables: Record<string, string> = {};
  const declarations: string[] = ['$knownAt: DateTime'];
  const fields: string[] = [];
  evidenceIds.forEach((id, i) => {
    variables[`e${i}`] = id;
    declarations.push(`$e${i}: ID!`);
    fields.push(`e${i}: evidence(id: $e${i}, knownAt: $knownAt) { id kind title published url confidence }`);
  });
  workerIds.forEach((id, i) => {
    variables[`w${i}`] = id;
    declarations.push(`$w${i}: ID!`);
    fields.push(`w${i}: worker(id: $w${i}, knownAt: $knownAt) { id nationality headcount${withNames ? ' name' : ''} }`);
  });
  if (fields.length === 0) fields.push('__typename');
  return { document: `query DossierDetails(${declarations.join(', ')}) { ${fields.join(' ')} }`, variables };
}

export interface IdAndKind { id: string; kind: string | null }

export interface PathPage {
  totalCount: string | null;
  pageInfo: { hasNextPage: boolean };
  edges: { node: { rebutted: boolean; nodes: { id: string }[]; relationships: { id: string; source: string; target: string }[] } }[];
}

export interface RebuttalResult {
  id: string;
  status: 'ACCEPTED' | 'PROPOSED' | 'REJECTED';
  prong: 'NOT_PRESENT' | 'NOT_FORCED';
  note: string | null;
  origin: string;
  proposedBy: string;
  proposedAt: string;
  decidedBy: string | null;
  decidedAt: string | null;
  decisionNote: string | null;
  itemIds: string[] | null;
  evidence: IdAndKind[];
}

export interface GraphNodeResult {
  id: string;
  kind: string;
  /** null for a worker when the caller may not read personal data (the API answers FORBIDDEN there) */
  name: string | null;
  country: string | null;
  source: boolean;
  traced: boolean;
  evidenceIds: string[];
  /** The list entries a person confirmed the node to be (LISTS.md); absent in fixtures without lists. */
  listings?: ListingResult[];
}

export interface ListingResult {
  list: string;
  listVersion: string;
  entryId: string;
  entryName: string;
  programs: string[];
  dprk: boolean;
}

export interface GraphRelationshipResult {
  id: string;
  type: string;
  source: string;
  target: string;
  from: string | null;
  to: string | null;
  placement: string | null;
  rebutted: boolean;
  evidenceIds: string[];
  rebuttals: RebuttalResult[];
}

export interface DossierQueryResult {
  item: {
    id: string;
    name: string;
    kind: 'PRODUCT' | 'COMPONENT';
    sku: string | null;
    hsCode: string | null;
    brand: string | null;
    material: string | null;
    evidence: IdAndKind[];
    components: { id: string; quantity: number | null; component: { id: string; name: string; kind: string } }[];
    madeAt: { id: string; from: string | null; to: string | null; factory: { id: string; name: string | null; country: string | null } }[];
    sourcedFrom: { id: string; from: string | null; to: string | null; company: { id: string; name: string | null; country: string | null } }[];
  } | null;
  trace: {
    exposure: 'DIRECT' | 'POSSIBLE' | 'NONE';
    countStatus: 'EXACT' | 'TOO_COMPLEX';
    pathCount: string | null;
    possiblePathCount: string | null;
    openPathCount: string | null;
    openPossiblePathCount: string | null;
    sourceCount: number;
    siteCount: number;
    direct: PathPage;
    possible: PathPage;
    subgraph: { nodes: GraphNodeResult[]; relationships: GraphRelationshipResult[] };
  };
}

export interface EvidenceResult {
  id: string;
  kind: string | null;
  title: string;
  published: string | null;
  url: string | null;
  confidence: number | null;
}

export interface WorkerResult {
  id: string;
  nationality: string;
  headcount: number | null;
  name?: string | null;
}

export interface ChangeSetResult { id: string; at: string; actor: string; reason: string }
