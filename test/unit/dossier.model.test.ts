import { buildDossier } from '../../src/dossier/dossier.model';
import { pathHeading } from '../../src/dossier/dossier.sections';
import { fixture, rel } from './dossier.fixture';

/** The dossier's content, built from API answers without a database: what a customs officer reads in each section. */
describe('customs dossier model', () => {
  it('numbers the steps from the product back to every DPRK source, each citing its relationship', () => {
    const d = buildDossier(fixture());
    expect(d.steps.map((s) => s.number)).toEqual(d.steps.map((_, i) => i + 1));
    expect(d.steps[0].title).toContain('P1');
    expect(d.steps[0].relationshipIds).toEqual(['r-bom']);
    // after step 1, every traced relationship is exactly one step, nearest to the product first
    const cited = d.steps.slice(1).map((s) => s.relationshipIds);
    expect(cited.every((ids) => ids.length === 1)).toBe(true);
    expect(cited.flat()).toEqual(['r-bom', 'r-made', 'r-sup', 'r-emp']);
    const employment = d.steps.find((s) => s.relationshipIds[0] === 'r-emp')!;
    expect(employment.details.join('\n')).toMatch(/Rebutted: NOT_FORCED by rebuttal rb-1/);
    expect(employment.details.join('\n')).toMatch(/DPRK labor source reached: W1/);
    expect(employment.documents.map((e) => e.id)).toEqual(['EV-1']);
    expect(employment.documents[0]).toMatchObject({ title: 'Report on the cohort', kind: 'media report', published: '2020-01-01', url: 'https://example.org/r1' });
  });

  it('states every labor relationship with its rebuttal status, prong and evidence', () => {
    const d = buildDossier(fixture());
    expect(d.labor.map((l) => [l.id, l.type, l.rebutted])).toEqual([['r-sup', 'SUPPLIES_LABOR_TO', false], ['r-emp', 'EMPLOYED_AT', true]]);
    const emp = d.labor.find((l) => l.id === 'r-emp')!;
    expect(emp.rebuttals).toEqual([expect.objectContaining({ id: 'rb-1', status: 'ACCEPTED', prong: 'NOT_FORCED', scope: 'every path' })]);
    expect(emp.rebuttals[0].evidence.map((e) => e.title)).toEqual(['Audit of F1']);
    // a proposed rebuttal is listed, but does not make the relationship rebutted
    const sup = d.labor.find((l) => l.id === 'r-sup')!;
    expect(sup.rebuttals[0]).toMatchObject({ status: 'PROPOSED', prong: 'NOT_PRESENT' });
    expect(d.summary.rebutted).toEqual([expect.objectContaining({ relationshipId: 'r-emp', prongs: ['NOT_FORCED'], rebuttalIds: ['rb-1'], evidenceIds: ['EV-2'] })]);
  });

  it('summarises exposure and counts, rebutted = all − open', () => {
    const d = buildDossier(fixture());
    expect(d.summary).toMatchObject({ exposure: 'DIRECT', directPaths: '2', openDirectPaths: '1', rebuttedDirectPaths: '1', sourceCount: 2, siteCount: 1 });
    expect(d.summary.findings.join(' ')).toMatch(/2 direct paths from 2 DPRK labor sources at 1 site/);
    expect(d.summary.findings.join(' ')).toMatch(/r-emp on prong NOT_FORCED/);
    expect(d.summary.findings.join(' ')).toMatch(/on or before 2024-06-30/);
  });

  it('keeps exact counts beyond 2^53 as text', () => {
    const input = fixture();
    input.result.trace.pathCount = '123456789012345678901234567890';
    input.result.trace.openPathCount = '23456789012345678901234567890';
    expect(buildDossier(input).summary.rebuttedDirectPaths).toBe('100000000000000000000000000000');
  });

  it('says so when counting was TOO_COMPLEX, never a number', () => {
    const input = fixture();
    Object.assign(input.result.trace, { countStatus: 'TOO_COMPLEX', pathCount: null, possiblePathCount: null, openPathCount: null, openPossiblePathCount: null });
    input.result.trace.direct.totalCount = null;
    input.result.trace.direct.pageInfo.hasNextPage = true;
    const d = buildDossier(input);
    expect(d.summary.rebuttedDirectPaths).toBeNull();
    expect(d.summary.findings.join(' ')).toMatch(/TOO_COMPLEX/);
    expect(pathHeading(d.paths.direct, 200)).toBe('Direct paths: not counted (TOO_COMPLEX) in all; the first 2 listed (at most 200)');
  });

  it('lists parties by role: product, components, factories, agencies, cohorts by nationality and headcount', () => {
    const d = buildDossier(fixture());
    expect(d.parties.map((p) => [p.group, p.id])).toEqual([
      ['Product', 'P1'], ['Components', 'C1'], ['Factories', 'F1'], ['Agencies', 'A1'], ['Worker cohorts', 'W1'],
    ]);
    const cohort = d.parties.find((p) => p.id === 'W1')!;
    expect(cohort).toMatchObject({ nationality: 'KP', headcount: 40, source: true, name: null });
    expect(cohort.roles.join('; ')).toMatch(/worked at F1/);
    expect(d.parties.find((p) => p.id === 'A1')!.roles.join('; ')).toMatch(/labor agency based in the DPRK.*supplied workers to F1/);
  });

  it('shows worker names to investigators only', () => {
    expect(JSON.stringify(buildDossier(fixture()))).not.toContain('Kim Private-Name');
    expect(buildDossier(fixture()).notices.join(' ')).toMatch(/investigators only/);
    const forInvestigator = buildDossier(fixture({ personalData: true, principal: { actor: 'inv', role: 'investigator' } }));
    expect(forInvestigator.parties.find((p) => p.id === 'W1')!.name).toBe('Kim Private-Name');
  });

  it('puts every cited document in the appendix, testimony withheld below investigator', () => {
    const d = buildDossier(fixture());
    expect(d.appendix.map((e) => e.id)).toEqual(['EV-1', 'EV-2', 'EV-3']);
    expect(d.appendix.find((e) => e.id === 'EV-3')).toMatchObject({ withheld: true, title: null });
    expect(d.appendix.find((e) => e.id === 'EV-1')!.citedBy).toEqual(expect.arrayContaining(['r-emp', 'W1']));
    expect(d.appendix.find((e) => e.id === 'EV-2')!.citedBy).toEqual(['rb-1', 'rb-2']);
  });

  it('lists the paths given and says when there are more', () => {
    const input = fixture();
    input.result.trace.pathCount = '250';
    input.result.trace.direct.totalCount = '250';
    input.result.trace.direct.pageInfo.hasNextPage = true;
    const d = buildDossier(input);
    expect(d.paths.direct.rows.map((r) => r.nodes.join('>'))).toEqual(['W1>F1>C1>P1', 'A1>F1>C1>P1']);
    expect(pathHeading(d.paths.direct, 200)).toBe('Direct paths: 250 in all; the first 2 listed (at most 200)');
    expect(pathHeading(d.paths.possible, 200)).toBe('Possible paths: none');
  });

  it('is still a whole document for a clean item: NONE, why, and the item with its suppliers drawn', () => {
    const input = fixture();
    Object.assign(input.result.trace, { exposure: 'NONE', pathCount: '0', openPathCount: '0', sourceCount: 0, siteCount: 0 });
    input.result.trace.direct = { totalCount: '0', pageInfo: { hasNextPage: false }, edges: [] };
    input.result.trace.subgraph = { nodes: [], relationships: [] };
    input.result.item.madeAt = [{ id: 'r-p', from: null, to: null, factory: { id: 'F9', name: 'Cannery', country: 'US' } }];
    const d = buildDossier(input);
    expect(d.summary.findings[0]).toMatch(/^NONE: no path leads from any DPRK labor source/);
    expect(d.summary.findings.join(' ')).toMatch(/1 bill-of-materials line, 1 production site/);
    expect(d.steps).toHaveLength(1);
    expect(d.labor).toEqual([]);
    expect(d.chart.nodes.map((n) => n.id).sort()).toEqual(['C1', 'F9', 'P1']);
    expect(d.chart.edges.map((e) => `${e.source}>${e.target}`).sort()).toEqual(['C1>P1', 'F9>P1']);
    expect(d.parties.find((p) => p.id === 'F9')).toMatchObject({ group: 'Factories', onPath: false });
  });

  it('draws parallel relationships as one arrow and a rebutted one dashed', () => {
    const input = fixture();
    input.result.trace.subgraph.relationships.push(rel('r-emp2', 'EMPLOYED_AT', 'W1', 'F1', { from: '2019-01-01', rebutted: true }));
    const d = buildDossier(input);
    const arrows = d.chart.edges.filter((e) => e.source === 'W1');
    expect(arrows).toEqual([expect.objectContaining({ label: 'EMPLOYED_AT ×2', rebutted: true, id: 'r-emp r-emp2' })]);
  });
});
