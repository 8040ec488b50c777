import type { DossierInput } from '../../src/dossier/dossier.model';
import type { EvidenceResult, GraphRelationshipResult, PathPage, RebuttalResult } from '../../src/dossier/dossier.query';

/**
 * A small traced item as the API would answer it: P1 ← C1 (BOM) ← F1 (made C1) ← W1 (KP cohort, employed at F1,
 * rebutted NOT_FORCED by an accepted rebuttal on EV-2) and A1 (KP agency supplying workers to F1).
 */
export function rel(id: string, type: string, source: string, target: string, extra: Partial<GraphRelationshipResult> = {}): GraphRelationshipResult {
  return { id, type, source, target, from: null, to: null, placement: null, rebutted: false, evidenceIds: [], rebuttals: [], ...extra };
}

export function rebuttal(id: string, status: RebuttalResult['status'], prong: RebuttalResult['prong'], evidence: string[]): RebuttalResult {
  return {
    id, status, prong, note: 'wages paid to own accounts', origin: 'import', proposedBy: 'importer', proposedAt: '2024-01-01T00:00:00.000Z',
    decidedBy: status === 'PROPOSED' ? null : 'importer', decidedAt: status === 'PROPOSED' ? null : '2024-01-02T00:00:00.000Z', decisionNote: null,
    itemIds: null, evidence: evidence.map((e) => ({ id: e, kind: 'audit' })),
  };
}

function page(paths: string[][], more = false, totalCount: string | null = String(paths.length)): PathPage {
  return {
    totalCount, pageInfo: { hasNextPage: more },
    edges: paths.map((nodes) => ({ node: { rebutted: false, nodes: nodes.map((id) => ({ id })), relationships: [] } })),
  };
}

const EVIDENCE: EvidenceResult[] = [
  { id: 'EV-1', kind: 'media report', title: 'Report on the cohort', published: '2020-01-01', url: 'https://example.org/r1', confidence: 0.7 },
  { id: 'EV-2', kind: 'audit', title: 'Audit of F1', published: '2021-05-05', url: null, confidence: 0.9 },
];

export function fixture(overrides: Partial<DossierInput> = {}): DossierInput {
  const relationships = [
    rel('r-bom', 'COMPONENT_OF', 'C1', 'P1'),
    rel('r-made', 'PRODUCED', 'F1', 'C1', { from: '2015-01-01' }),
    rel('r-emp', 'EMPLOYED_AT', 'W1', 'F1', { from: '2016-01-01', to: '2017-12-31', rebutted: true, evidenceIds: ['EV-1'], rebuttals: [rebuttal('rb-1', 'ACCEPTED', 'NOT_FORCED', ['EV-2'])] }),
    rel('r-sup', 'SUPPLIES_LABOR_TO', 'A1', 'F1', { from: '2016-01-01', evidenceIds: ['EV-3'], rebuttals: [rebuttal('rb-2', 'PROPOSED', 'NOT_PRESENT', ['EV-2'])] }),
  ];
  return {
    result: {
      item: {
        id: 'P1', name: 'Jacket', kind: 'PRODUCT', sku: 'J-1', hsCode: '620193', brand: null, material: null, evidence: [],
        components: [{ id: 'r-bom', quantity: 2, component: { id: 'C1', name: 'Fabric', kind: 'COMPONENT' } }],
        madeAt: [], sourcedFrom: [],
      },
      trace: {
        exposure: 'DIRECT', countStatus: 'EXACT', pathCount: '2', possiblePathCount: '0', openPathCount: '1', openPossiblePathCount: '0', sourceCount: 2, siteCount: 1,
        direct: page([['W1', 'F1', 'C1', 'P1'], ['A1', 'F1', 'C1', 'P1']]),
        possible: page([]),
        subgraph: {
          nodes: [
            { id: 'P1', kind: 'Product', name: 'Jacket', country: null, source: false, traced: true, evidenceIds: [] },
            { id: 'C1', kind: 'Component', name: 'Fabric', country: null, source: false, traced: false, evidenceIds: [] },
            { id: 'F1', kind: 'Factory', name: 'Plant', country: 'CN', source: false, traced: false, evidenceIds: [] },
            { id: 'W1', kind: 'Worker', name: null, country: 'KP', source: true, traced: false, evidenceIds: ['EV-1'] },
            { id: 'A1', kind: 'LaborAgency', name: 'Agency', country: 'KP', source: true, traced: false, evidenceIds: [] },
          ],
          relationships,
        },
      },
    },
    evidence: new Map<string, EvidenceResult | null>([...EVIDENCE.map((e) => [e.id, e] as const), ['EV-3', null]]),
    workers: new Map([['W1', { id: 'W1', nationality: 'KP', headcount: 40, name: 'Kim Private-Name' }]]),
    withheldEvidence: new Set(['EV-3']),
    dataVersion: { id: 'cs-7', at: '2024-03-01T10:00:00.000Z', actor: 'importer', reason: 'quarterly update' },
    asOf: '2024-06-30',
    knownAt: null,
    generatedAt: new Date('2024-07-01T12:00:00.000Z'),
    principal: { actor: 'ci', role: 'analyst' },
    personalData: false,
    pathLimit: 200,
    ...overrides,
  };
}
