import type { Role } from '../auth/principal';
import type {
  ChangeSetResult, DossierQueryResult, EvidenceResult, GraphNodeResult, GraphRelationshipResult, PathPage, RebuttalResult, WorkerResult,
} from './dossier.query';

/**
 * The customs dossier as data (docs/dossier.md): built from the API's answers without any I/O, and rendered by
 * dossier.html.ts and dossier.pdf.ts alike, so both documents always say the same thing.
 */

export const LABOR_TYPES: ReadonlySet<string> = new Set(['EMPLOYED_AT', 'RECRUITED_BY', 'DISPATCHES_TO', 'SUPPLIES_LABOR_TO']);

/** A document as cited: `withheld` when the caller's role may not read its content (testimony below investigator). */
export interface EvidenceRef {
  id: string;
  kind: string | null;
  title: string | null;
  published: string | null;
  url: string | null;
  confidence: number | null;
  withheld: boolean;
  /** false: the id is cited but no such evidence row exists (as recorded at knownAt) */
  found: boolean;
}

export interface AppendixEntry extends EvidenceRef {
  /** the steps, relationships and parties that cite it */
  citedBy: string[];
}

export const PARTY_GROUPS = ['Product', 'Components', 'Factories', 'Subcontractors', 'Operators', 'Agencies', 'Worker cohorts', 'Suppliers'] as const;
export type PartyGroup = (typeof PARTY_GROUPS)[number];

export interface Party {
  id: string;
  kind: string;
  /** null: not recorded, or a worker's name withheld from the caller's role */
  name: string | null;
  group: PartyGroup;
  country: string | null;
  roles: string[];
  /** where paths start: a KP cohort, a DPRK-linked agency, a factory in the DPRK */
  source: boolean;
  /** false: related to the item (its BOM, production, sourcing) but on no traced path */
  onPath: boolean;
  nationality?: string | null;
  headcount?: number | null;
}

export interface TracingStep {
  number: number;
  title: string;
  /** the relationships the step cites, by GraphRelationship.id */
  relationshipIds: string[];
  details: string[];
  documents: EvidenceRef[];
}

/** A rebuttal as the API gives it, its scope said in words and its evidence resolved to documents. */
export interface RebuttalView extends Omit<RebuttalResult, 'itemIds' | 'evidence'> {
  scope: string;
  evidence: EvidenceRef[];
}

export interface LaborRelationship {
  id: string;
  type: string;
  source: string;
  target: string;
  description: string;
  interval: string;
  /** an ACCEPTED rebuttal holds for the traced item */
  rebutted: boolean;
  rebuttals: RebuttalView[];
  evidence: EvidenceRef[];
}

export interface PathRow {
  number: number;
  rebutted: boolean;
  nodes: string[];
  relationshipIds: string[];
}

export interface PathSection {
  kind: 'direct' | 'possible';
  /** BigInt as decimal digits; null when counting was TOO_COMPLEX */
  total: string | null;
  rows: PathRow[];
  /** more paths exist than are listed */
  more: boolean;
}

export interface RebuttedSummary {
  relationshipId: string;
  description: string;
  prongs: string[];
  rebuttalIds: string[];
  evidenceIds: string[];
}

export interface ExecutiveSummary {
  exposure: 'DIRECT' | 'POSSIBLE' | 'NONE';
  countStatus: 'EXACT' | 'TOO_COMPLEX';
  directPaths: string | null;
  possiblePaths: string | null;
  openDirectPaths: string | null;
  openPossiblePaths: string | null;
  /** direct paths every time-consistent choice of which is rebutted */
  rebuttedDirectPaths: string | null;
  sourceCount: number;
  siteCount: number;
  rebutted: RebuttedSummary[];
  /** plain sentences: what the figures mean for this item */
  findings: string[];
}

export interface ChartNode {
  id: string;
  kind: string;
  lines: string[];
  source: boolean;
  traced: boolean;
}

export interface ChartEdge {
  id: string;
  source: string;
  target: string;
  label: string;
  rebutted: boolean;
}

export interface ChartGraph {
  nodes: ChartNode[];
  edges: ChartEdge[];
  /** what the chart shows: the traced subgraph, or (no path) the item with its direct suppliers */
  caption: string;
}

export interface DossierMeta {
  itemId: string;
  itemName: string;
  itemKind: string;
  asOf: string | null;
  knownAt: string | null;
  dataVersion: ChangeSetResult | null;
  generatedAt: string;
  generatedFor: { actor: string; role: Role };
  /** worker names shown (investigator and admin) */
  personalData: boolean;
  pathLimit: number;
}

export interface Dossier {
  meta: DossierMeta;
  item: NonNullable<DossierQueryResult['item']>;
  summary: ExecutiveSummary;
  parties: Party[];
  chart: ChartGraph;
  steps: TracingStep[];
  labor: LaborRelationship[];
  paths: { direct: PathSection; possible: PathSection };
  appendix: AppendixEntry[];
  /** what the caller's role kept out of the document */
  notices: string[];
}

export interface DossierInput {
  result: DossierQueryResult & { item: NonNullable<DossierQueryResult['item']> };
  /** by id; null: not readable by the caller (FORBIDDEN) or absent */
  evidence: ReadonlyMap<string, EvidenceResult | null>;
  workers: ReadonlyMap<string, WorkerResult | null>;
  /** evidence ids whose content the API refused to the caller (FORBIDDEN) */
  withheldEvidence: ReadonlySet<string>;
  dataVersion: ChangeSetResult | null;
  asOf: string | null;
  knownAt: string | null;
  generatedAt: Date;
  principal: { actor: string; role: Role };
  personalData: boolean;
  pathLimit: number;
}

/** The order steps list a node's incoming relationships in: the product side first, the labor source last. */
const TYPE_ORDER = ['COMPONENT_OF', 'PRODUCED', 'SOURCED_FROM', 'OPERATED_BY', 'SUPPLIES', 'SUBCONTRACTOR_OF', 'SUPPLIES_LABOR_TO', 'DISPATCHES_TO', 'RECRUITED_BY', 'EMPLOYED_AT'];

const KIND_NAMES: Record<string, string> = {
  Product: 'product', Component: 'component', Factory: 'factory', Company: 'company', LaborAgency: 'labor agency', Worker: 'worker cohort',
};

export function interval(from: string | null, to: string | null): string {
  if (from === null && to === null) return 'no time limit recorded';
  return `${from ?? 'open start'} – ${to ?? 'open end'}`;
}

/** Builds the dossier from the API's answers: pure, so that tests can check every section without a database. */
export function buildDossier(input: DossierInput): Dossier {
  const { result, personalData } = input;
  const item = result.item;
  const trace = result.trace;
  const graph = trace.subgraph;
  const nodes = new Map(graph.nodes.map((n) => [n.id, n]));
  const rels = new Map(graph.relationships.map((r) => [r.id, r]));
  const citations = new Map<string, Set<string>>();
  const cite = (evidenceId: string, by: string) => {
    if (!citations.has(evidenceId)) citations.set(evidenceId, new Set());
    citations.get(evidenceId)!.add(by);
  };
  const knownKinds = new Map<string, string | null>();
  for (const e of item.evidence) knownKinds.set(e.id, e.kind);
  for (const r of graph.relationships) for (const rb of r.rebuttals) for (const e of rb.evidence) knownKinds.set(e.id, e.kind);
  const evidenceRef = (id: string): EvidenceRef => {
    const found = input.evidence.get(id);
    if (found) return { id, kind: found.kind, title: found.title, published: found.published, url: found.url, confidence: found.confidence, withheld: false, found: true };
    // an id the API did not answer: content above the caller's role (testimony), or no such row
    const withheld = input.withheldEvidence.has(id);
    return { id, kind: knownKinds.get(id) ?? (withheld ? 'testimony' : null), title: null, published: null, url: null, confidence: null, withheld, found: withheld };
  };

  const worker = (id: string) => input.workers.get(id) ?? null;
  const label = (id: string): string => nodeLabel(id, nodes.get(id), worker(id), personalData, item);

  // ---- parties
  const parties = buildParties(item, graph.nodes, graph.relationships, input.workers, personalData);
  for (const p of parties) {
    const node = nodes.get(p.id);
    for (const e of node?.evidenceIds ?? []) cite(e, p.id);
  }
  for (const e of item.evidence) cite(e.id, item.id);

  // ---- steps: the product and its bill of materials, then every traced relationship from the product backwards
  const steps: TracingStep[] = [];
  const bomLines = item.components.map((c) => `${c.component.id} ${c.component.name}${c.quantity === null ? '' : ` × ${c.quantity}`} (BOM line ${c.id})`);
  const productDetails = [
    `${KIND_NAMES[kindOfItem(item.kind)]} ${item.id} ${item.name}${[item.sku && `SKU ${item.sku}`, item.hsCode && `HS ${item.hsCode}`, item.brand && `brand ${item.brand}`, item.material && `material ${item.material}`].filter(Boolean).map((s) => `, ${s}`).join('')}`,
    bomLines.length > 0 ? `Bill of materials (${bomLines.length} direct line${bomLines.length === 1 ? '' : 's'}): ${bomLines.join('; ')}` : 'Bill of materials: no components recorded',
    ...(item.madeAt.length > 0 ? [`Made at: ${item.madeAt.map((m) => `${m.factory.id}${m.factory.name ? ` ${m.factory.name}` : ''} (${interval(m.from, m.to)}; relationship ${m.id})`).join('; ')}`] : []),
    ...(graph.relationships.length === 0 ? ['No traced relationship leads back from the item to a DPRK labor source, so this is the only step.'] : []),
    ...(item.sourcedFrom.length > 0 ? [`Bought from: ${item.sourcedFrom.map((s) => `${s.company.id}${s.company.name ? ` ${s.company.name}` : ''} (${interval(s.from, s.to)}; relationship ${s.id})`).join('; ')}`] : []),
  ];
  steps.push({
    number: 1,
    title: `The ${KIND_NAMES[kindOfItem(item.kind)]} ${item.id} and its bill of materials`,
    relationshipIds: item.components.map((c) => c.id),
    details: productDetails,
    documents: item.evidence.map((e) => evidenceRef(e.id)),
  });
  steps[0].documents.forEach((d) => cite(d.id, 'Step 1'));

  const incoming = new Map<string, GraphRelationshipResult[]>();
  for (const r of graph.relationships) {
    if (!incoming.has(r.target)) incoming.set(r.target, []);
    incoming.get(r.target)!.push(r);
  }
  for (const list of incoming.values()) list.sort(compareRelationships);
  const visited = new Set<string>([item.id]);
  const queue = [item.id];
  while (queue.length > 0) {
    const at = queue.shift()!;
    for (const r of incoming.get(at) ?? []) {
      const number = steps.length + 1;
      const details = [`Relationship ${r.id} (${r.type}), ${interval(r.from, r.to)}${r.placement ? `, placed at ${label(r.placement)}` : ''}`];
      if (LABOR_TYPES.has(r.type)) details.push(rebuttalLine(r));
      const sourceNode = nodes.get(r.source);
      if (sourceNode?.source) details.push(`DPRK labor source reached: ${label(r.source)}: ${sourceReason(sourceNode, worker(r.source))}`);
      const documentIds = [...r.evidenceIds];
      if (!visited.has(r.source)) for (const e of sourceNode?.evidenceIds ?? []) if (!documentIds.includes(e)) documentIds.push(e);
      const documents = documentIds.map(evidenceRef);
      for (const d of documents) cite(d.id, `Step ${number}`);
      steps.push({ number, title: describeRelationship(r, label), relationshipIds: [r.id], details, documents });
      if (!visited.has(r.source)) {
        visited.add(r.source);
        queue.push(r.source);
      }
    }
  }

  // ---- labor relationships and their rebuttal status
  const labor: LaborRelationship[] = graph.relationships.filter((r) => LABOR_TYPES.has(r.type)).sort(compareRelationships).map((r) => {
    for (const e of r.evidenceIds) cite(e, r.id);
    return {
      id: r.id, type: r.type, source: r.source, target: r.target, description: describeRelationship(r, label),
      interval: interval(r.from, r.to), rebutted: r.rebutted,
      evidence: r.evidenceIds.map(evidenceRef),
      rebuttals: r.rebuttals.map((rb) => {
        for (const e of rb.evidence) cite(e.id, rb.id);
        const { itemIds, evidence, ...rest } = rb;
        return {
          ...rest,
          scope: itemIds === null ? 'every path' : `paths to ${itemIds.join(', ')} only`,
          evidence: evidence.map((e) => evidenceRef(e.id)),
        };
      }),
    };
  });
  for (const r of graph.relationships) if (!LABOR_TYPES.has(r.type)) for (const e of r.evidenceIds) cite(e, r.id);

  // ---- summary
  const rebutted: RebuttedSummary[] = labor.filter((l) => l.rebutted).map((l) => {
    const accepted = l.rebuttals.filter((rb) => rb.status === 'ACCEPTED');
    return {
      relationshipId: l.id, description: `${l.description} (${l.interval})`,
      prongs: [...new Set(accepted.map((rb) => rb.prong))], rebuttalIds: accepted.map((rb) => rb.id),
      evidenceIds: [...new Set(accepted.flatMap((rb) => rb.evidence.map((e) => e.id)))],
    };
  });
  const summary = buildSummary(trace, rebutted, item, input.asOf, label);

  const paths = {
    direct: pathSection('direct', trace.direct, trace.pathCount),
    possible: pathSection('possible', trace.possible, trace.possiblePathCount),
  };

  const appendix: AppendixEntry[] = [...citations.keys()].sort().map((id) => ({ ...evidenceRef(id), citedBy: [...citations.get(id)!].sort(compareCitations) }));

  const notices: string[] = [];
  if (!personalData && graph.nodes.some((n) => n.kind === 'Worker')) {
    notices.push('Worker cohorts are shown by id, nationality and headcount: personal names are shown to investigators only.');
  }
  if (appendix.some((e) => e.withheld)) notices.push('The content of testimony is shown to investigators only; its id and kind are listed.');

  return {
    meta: {
      itemId: item.id, itemName: item.name, itemKind: kindOfItem(item.kind), asOf: input.asOf, knownAt: input.knownAt, dataVersion: input.dataVersion,
      generatedAt: input.generatedAt.toISOString(), generatedFor: input.principal, personalData, pathLimit: input.pathLimit,
    },
    item, summary, parties, chart: chartOf(item, graph.nodes, graph.relationships, worker, personalData), steps, labor, paths, appendix, notices,
  };
}

function kindOfItem(kind: 'PRODUCT' | 'COMPONENT'): string {
  return kind === 'PRODUCT' ? 'Product' : 'Component';
}

function compareRelationships(a: GraphRelationshipResult, b: GraphRelationshipResult): number {
  return TYPE_ORDER.indexOf(a.type) - TYPE_ORDER.indexOf(b.type) || a.source.localeCompare(b.source) || a.target.localeCompare(b.target)
    || (a.from ?? '').localeCompare(b.from ?? '') || a.id.localeCompare(b.id);
}

/** "Step 2" before "Step 10", then ids. */
function compareCitations(a: string, b: string): number {
  const sa = /^Step (\d+)$/.exec(a);
  const sb = /^Step (\d+)$/.exec(b);
  if (sa && sb) return Number(sa[1]) - Number(sb[1]);
  if (sa) return -1;
  if (sb) return 1;
  return a.localeCompare(b);
}

function nodeLabel(id: string, node: GraphNodeResult | undefined, worker: WorkerResult | null, personalData: boolean, item: DossierInput['result']['item']): string {
  if (id === item.id) return `${id} ${item.name}`;
  if (node?.kind === 'Worker' || worker) {
    const name = personalData ? worker?.name ?? node?.name ?? null : null;
    const facts = [worker?.nationality ?? node?.country, worker ? headcountText(worker.headcount) : null].filter(Boolean).join(', ');
    return `${id}${name ? ` ${name}` : ''}${facts ? ` (${facts})` : ''}`;
  }
  const name = node?.name ?? null;
  const country = node?.country && node.kind !== 'Worker' ? `, ${node.country}` : '';
  return name ? `${id} ${name}${country ? ` (${node!.country})` : ''}` : id;
}

function headcountText(headcount: number | null): string {
  return headcount === null ? 'headcount unknown' : `${headcount} worker${headcount === 1 ? '' : 's'}`;
}

/** One relationship as a sentence, in the direction taint flows (source → target). */
export function describeRelationship(r: Pick<GraphRelationshipResult, 'type' | 'source' | 'target'>, label: (id: string) => string): string {
  const s = label(r.source);
  const t = label(r.target);
  switch (r.type) {
    case 'COMPONENT_OF': return `${s} is a component of ${t}`;
    case 'PRODUCED': return `${s} made ${t}`;
    case 'SUBCONTRACTOR_OF': return `${s} worked as a subcontractor of ${t}`;
    case 'EMPLOYED_AT': return `${s} worked at ${t}`;
    case 'RECRUITED_BY': return `${s} was recruited by ${t}`;
    case 'DISPATCHES_TO': return `${s} sent its workers on through ${t}`;
    case 'SUPPLIES_LABOR_TO': return `${s} supplied workers to ${t}`;
    case 'OPERATED_BY': return `${s} is operated by ${t}`;
    case 'SUPPLIES': return `${s} supplied ${t}`;
    case 'SOURCED_FROM': return `${s} sold ${t}`;
    default: return `${s} ${r.type} ${t}`;
  }
}

function rebuttalLine(r: GraphRelationshipResult): string {
  const accepted = r.rebuttals.filter((rb) => rb.status === 'ACCEPTED');
  if (r.rebutted) {
    return `Rebutted: ${accepted.map((rb) => `${rb.prong} by rebuttal ${rb.id} (evidence ${rb.evidence.map((e) => e.id).join(', ') || 'none'})`).join('; ')}`;
  }
  const pending = r.rebuttals.filter((rb) => rb.status !== 'ACCEPTED');
  return `Not rebutted${pending.length > 0 ? ` (${pending.map((rb) => `${rb.id} ${rb.status}`).join(', ')})` : ''}`;
}

function sourceReason(node: GraphNodeResult, worker: WorkerResult | null): string {
  switch (node.kind) {
    case 'Worker': return `a cohort of ${worker?.nationality ?? node.country ?? 'KP'} nationals, ${headcountText(worker?.headcount ?? null)}`;
    case 'LaborAgency': return node.country === 'KP' ? 'a labor agency based in the DPRK' : 'a DPRK-linked labor agency';
    case 'Factory': return 'a factory in the DPRK';
    default: return 'a DPRK labor source';
  }
}

function buildParties(
  item: DossierInput['result']['item'], graphNodes: GraphNodeResult[], relationships: GraphRelationshipResult[],
  workers: ReadonlyMap<string, WorkerResult | null>, personalData: boolean,
): Party[] {
  const byId = new Map<string, Party>();
  const add = (id: string, kind: string, name: string | null, country: string | null, source: boolean, onPath: boolean): Party => {
    let p = byId.get(id);
    if (!p) {
      p = { id, kind, name, group: 'Product', country, roles: [], source, onPath };
      byId.set(id, p);
    }
    return p;
  };
  const role = (id: string, text: string) => {
    const p = byId.get(id);
    if (p && !p.roles.includes(text)) p.roles.push(text);
  };
  add(item.id, kindOfItem(item.kind), item.name, null, false, true);
  for (const n of graphNodes) {
    const w = n.kind === 'Worker' ? workers.get(n.id) ?? null : null;
    const p = add(n.id, n.kind, n.kind === 'Worker' ? (personalData ? w?.name ?? n.name : null) : n.name, n.country, n.source, true);
    if (n.kind === 'Worker') {
      p.nationality = w?.nationality ?? n.country;
      p.headcount = w?.headcount ?? null;
    }
  }
  // what the item is made of, where and from whom, even when no path runs through it
  for (const c of item.components) add(c.component.id, c.component.kind === 'PRODUCT' ? 'Product' : c.component.kind === 'COMPONENT' ? 'Component' : c.component.kind, c.component.name, null, false, false);
  for (const m of item.madeAt) add(m.factory.id, 'Factory', m.factory.name, m.factory.country, false, false);
  for (const s of item.sourcedFrom) add(s.company.id, 'Company', s.company.name, s.company.country, false, false);
  for (const c of item.components) role(c.component.id, `component of ${item.id} (bill of materials${c.quantity === null ? '' : `, × ${c.quantity}`})`);
  for (const m of item.madeAt) role(m.factory.id, `made ${item.id}`);
  for (const s of item.sourcedFrom) role(s.company.id, `sold ${item.id}`);

  role(item.id, `traced ${item.kind === 'PRODUCT' ? 'product' : 'component'}`);
  for (const r of relationships) {
    switch (r.type) {
      case 'COMPONENT_OF': if (r.target !== item.id) role(r.source, `component of ${r.target}`); break; // the item's own lines are above
      case 'PRODUCED': if (r.target !== item.id) role(r.source, `made ${r.target}`); break;
      case 'SUBCONTRACTOR_OF': role(r.source, `subcontractor of ${r.target}`); role(r.target, `principal of subcontractor ${r.source}`); break;
      case 'EMPLOYED_AT': role(r.source, `worked at ${r.target}`); break;
      case 'RECRUITED_BY': role(r.target, `recruited ${r.source}${r.placement ? ` (placed at ${r.placement})` : ''}`); break;
      case 'DISPATCHES_TO': role(r.source, `sent workers on through ${r.target}`); role(r.target, `received workers from ${r.source}`); break;
      case 'SUPPLIES_LABOR_TO': role(r.source, `supplied workers to ${r.target}`); break;
      case 'OPERATED_BY': role(r.target, `operator of ${r.source}`); break;
      case 'SUPPLIES': role(r.source, `supplier of ${r.target}`); break;
      case 'SOURCED_FROM': role(r.source, `sold ${r.target}`); break;
    }
  }
  const listings = new Map(graphNodes.map((n) => [n.id, n.listings ?? []]));
  for (const [id, list] of listings) {
    for (const l of list) role(id, `on the ${l.list} list (version ${l.listVersion}) as entry ${l.entryId}, ${l.entryName}${l.programs.length > 0 ? `, programs ${l.programs.join(', ')}` : ''}: a confirmed match`);
  }
  for (const p of byId.values()) {
    const listedDprk = p.kind === 'LaborAgency' && (listings.get(p.id) ?? []).some((l) => l.dprk);
    const reason = listedDprk && p.country !== 'KP'
      ? 'a labor agency confirmed to be an entry under a DPRK sanctions program'
      : sourceReason({ id: p.id, kind: p.kind, name: p.name, country: p.country, source: true, traced: false, evidenceIds: [] }, workers.get(p.id) ?? null);
    if (p.source) p.roles.unshift(`${reason} (DPRK labor source)`);
    if (!p.onPath) p.roles.push('on no traced path');
    p.group = groupOf(p, item.id, relationships);
  }
  return [...byId.values()].sort((a, b) => PARTY_GROUPS.indexOf(a.group) - PARTY_GROUPS.indexOf(b.group) || a.id.localeCompare(b.id));
}

function groupOf(p: Party, itemId: string, relationships: GraphRelationshipResult[]): PartyGroup {
  if (p.id === itemId) return 'Product';
  switch (p.kind) {
    case 'Product': case 'Component': return 'Components';
    case 'Factory': return relationships.some((r) => r.type === 'SUBCONTRACTOR_OF' && r.source === p.id) ? 'Subcontractors' : 'Factories';
    case 'Company': return relationships.some((r) => r.type === 'OPERATED_BY' && r.target === p.id) ? 'Operators' : 'Suppliers';
    case 'LaborAgency': return 'Agencies';
    case 'Worker': return 'Worker cohorts';
    default: return 'Suppliers';
  }
}

function minus(a: string | null, b: string | null): string | null {
  return a === null || b === null ? null : (BigInt(a) - BigInt(b)).toString();
}

function plural(count: string | number, one: string, many = `${one}s`): string {
  return `${count} ${String(count) === '1' ? one : many}`;
}

function buildSummary(
  trace: DossierQueryResult['trace'], rebutted: RebuttedSummary[], item: DossierInput['result']['item'], asOf: string | null, label: (id: string) => string,
): ExecutiveSummary {
  const findings: string[] = [];
  const tooComplex = trace.countStatus === 'TOO_COMPLEX';
  const rebuttedDirect = minus(trace.pathCount, trace.openPathCount);
  const who = label(item.id);
  const cutOff = asOf ? `for goods made on or before ${asOf}` : 'for goods made at any time (no asOf cut-off)';
  if (trace.exposure === 'DIRECT') {
    findings.push(tooComplex
      ? `DIRECT exposure: DPRK labor could have touched ${who}, ${cutOff}: ${plural(trace.sourceCount, 'DPRK labor source')} at ${plural(trace.siteCount, 'site')}.`
      : `DIRECT exposure: ${plural(trace.pathCount!, 'direct path')} from ${plural(trace.sourceCount, 'DPRK labor source')} at ${plural(trace.siteCount, 'site')} reach ${who}, ${cutOff}; ${trace.openPathCount} of them open (not rebutted), ${rebuttedDirect} rebutted.`);
  } else if (trace.exposure === 'POSSIBLE') {
    findings.push(`POSSIBLE exposure: no direct path reaches ${who}, but ${tooComplex ? 'company-level sourcing paths do' : `${plural(trace.possiblePathCount!, 'possible path')} (company-level sourcing: a supplier whose own plants used DPRK labor) do, ${trace.openPossiblePathCount} of them open`}, ${cutOff}.`);
  } else {
    findings.push(`NONE: no path leads from any DPRK labor source (a cohort of KP nationals, a DPRK-linked agency or a factory in the DPRK) to ${who}, ${cutOff}.`);
    findings.push(`Considered as recorded: ${plural(item.components.length, 'bill-of-materials line')}, ${plural(item.madeAt.length, 'production site')} and ${plural(item.sourcedFrom.length, 'sourcing relationship')} of the item, and everything upstream of them (components, subcontractors, labor agencies, worker cohorts, operators, suppliers): none of it connects to a DPRK labor source${asOf ? ' through labor that began on or before asOf' : ''}.`);
  }
  if (trace.exposure !== 'NONE' && trace.possiblePathCount !== null && trace.exposure === 'DIRECT' && trace.possiblePathCount !== '0') {
    findings.push(`Also ${plural(trace.possiblePathCount, 'possible path')} through company-level sourcing, ${trace.openPossiblePathCount} open.`);
  }
  if (tooComplex) findings.push('Counting exceeded the work budget (countStatus TOO_COMPLEX): the path counts are not stated (never estimated); the exposure is exact.');
  if (rebutted.length > 0) {
    findings.push(`${plural(rebutted.length, 'labor relationship is', 'labor relationships are')} rebutted: ${rebutted.map((r) => `${r.relationshipId} on prong ${r.prongs.join(' and ')}`).join('; ')}.`);
  } else if (trace.exposure !== 'NONE') {
    findings.push('No labor relationship on these paths is rebutted.');
  }
  return {
    exposure: trace.exposure, countStatus: trace.countStatus, directPaths: trace.pathCount, possiblePaths: trace.possiblePathCount,
    openDirectPaths: trace.openPathCount, openPossiblePaths: trace.openPossiblePathCount, rebuttedDirectPaths: rebuttedDirect,
    sourceCount: trace.sourceCount, siteCount: trace.siteCount, rebutted, findings,
  };
}

function pathSection(kind: 'direct' | 'possible', page: PathPage, total: string | null): PathSection {
  return {
    kind, total: page.totalCount ?? total, more: page.pageInfo.hasNextPage,
    rows: page.edges.map((e, i) => ({
      number: i + 1, rebutted: e.node.rebutted, nodes: e.node.nodes.map((n) => n.id), relationshipIds: e.node.relationships.map((r) => r.id),
    })),
  };
}

/** The traced subgraph for the flow chart; without any path, the item with its direct components, plants and sellers. */
function chartOf(
  item: DossierInput['result']['item'], graphNodes: GraphNodeResult[], relationships: GraphRelationshipResult[],
  worker: (id: string) => WorkerResult | null, personalData: boolean,
): ChartGraph {
  const edgeLabel = (r: GraphRelationshipResult, count: number) => `${r.type}${count > 1 ? ` ×${count}` : ''}`;
  if (graphNodes.length > 0) {
    // parallel relationships (same ends and type, other intervals) are one arrow
    const groups = new Map<string, GraphRelationshipResult[]>();
    for (const r of relationships) {
      const key = `${r.source}\u0000${r.target}\u0000${r.type}`;
      if (!groups.has(key)) groups.set(key, []);
      groups.get(key)!.push(r);
    }
    return {
      caption: `The traced subgraph: ${plural(graphNodes.length, 'node')} and ${plural(relationships.length, 'relationship')}, DPRK labor sources at the top, ${item.id} at the bottom.`,
      nodes: graphNodes.map((n) => ({ id: n.id, kind: n.kind, lines: chartLines(n.id, n.kind, n.kind === 'Worker' ? (personalData ? worker(n.id)?.name ?? n.name : null) : n.name, n.country, worker(n.id)), source: n.source, traced: n.traced })),
      edges: [...groups.values()].map((g) => ({ id: g.map((r) => r.id).join(' '), source: g[0].source, target: g[0].target, label: edgeLabel(g[0], g.length), rebutted: g.every((r) => r.rebutted) })),
    };
  }
  const nodes: ChartNode[] = [{ id: item.id, kind: kindOfItem(item.kind), lines: chartLines(item.id, kindOfItem(item.kind), item.name, null, null), source: false, traced: true }];
  const edges: ChartEdge[] = [];
  const seen = new Set([item.id]);
  const addNode = (id: string, kind: string, name: string | null, country: string | null) => {
    if (seen.has(id)) return;
    seen.add(id);
    nodes.push({ id, kind, lines: chartLines(id, kind, name, country, null), source: false, traced: false });
  };
  for (const c of item.components) {
    addNode(c.component.id, 'Component', c.component.name, null);
    edges.push({ id: c.id, source: c.component.id, target: item.id, label: 'COMPONENT_OF', rebutted: false });
  }
  for (const m of item.madeAt) {
    addNode(m.factory.id, 'Factory', m.factory.name, m.factory.country);
    edges.push({ id: m.id, source: m.factory.id, target: item.id, label: 'PRODUCED', rebutted: false });
  }
  for (const s of item.sourcedFrom) {
    addNode(s.company.id, 'Company', s.company.name, s.company.country);
    edges.push({ id: s.id, source: s.company.id, target: item.id, label: 'SOURCED_FROM', rebutted: false });
  }
  return { caption: `No path reaches ${item.id}: the chart shows the item with its direct components, production sites and sellers, none of which leads to a DPRK labor source.`, nodes, edges };
}

/** A chart box's text: the id, then the name (or, for a cohort, nationality and headcount). */
function chartLines(id: string, kind: string, name: string | null, country: string | null, worker: WorkerResult | null): string[] {
  const lines = [id];
  if (kind === 'Worker') {
    if (name) lines.push(name);
    lines.push([worker?.nationality ?? country, worker ? headcountText(worker.headcount) : null].filter(Boolean).join(', '));
  } else {
    if (name) lines.push(name);
    lines.push([KIND_NAMES[kind] ?? kind, country].filter(Boolean).join(', '));
  }
  return lines.filter((l) => l !== '');
}
