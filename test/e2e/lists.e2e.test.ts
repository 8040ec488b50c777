import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import type { Neo4jClient } from '../../src/db/neo4j-client';
import { importList } from '../../src/lists/list-import.service';
import { listStatus } from '../../src/lists/list.store';
import { DEFAULT_MATCH_THRESHOLD } from '../../src/lists/name-matcher';
import { APPLY, TRACE_COUNTS, createKeys, justBefore, startWithKeys, type TestServer } from '../helpers/change-sets';
import { datasetDir, importDir, resetGraph, testClient } from '../helpers/neo4j';
import { runCli } from '../helpers/cli';

/**
 * LISTS.md end to end on the demo data: the shipped OFAC SDN version imported, the demo agency whose name is a
 * spelling variant of a DPRK labor exporter proposed with its explanation, the decision turning a product DIRECT,
 * exposureChanges naming the decision, knownAt before it giving the old answer, a second import changing nothing,
 * and the roles (ACCESS.md): analysts read the queue, investigators decide.
 */

const SEED = path.join(__dirname, '..', '..', 'seed');
const SHIPPED = path.join(SEED, 'lists', 'ofac-sdn-2021-09-17');

/** The demo agency that is a variant of a listed name, and what it supplies, read from the seed CSVs. */
const csvRows = (file: string) => parse(readFileSync(path.join(SEED, file)), { columns: true }) as Record<string, string>[];
const AGENCY = csvRows('agencies.csv').find((r) => r.id === 'AG-CHOLHYON')!;
const SUPPLIED = csvRows('labor_supply.csv').filter((r) => r.agency_id === AGENCY.id).map((r) => r.factory_id);
const MADE_THERE = csvRows('production.csv').filter((r) => SUPPLIED.includes(r.factory_id) && r.item_id.startsWith('P-')).map((r) => r.item_id);
/** The listed entry it is a variant of, read from the shipped file by its ent_num. */
const ENTRY = readFileSync(path.join(SHIPPED, 'sdn.csv'), 'latin1').split('\r\n').find((l) => l.startsWith('23084,'))!;

const MATCHES = `query($status: MatchStatus, $first: Int, $after: String) { listMatches(status: $status, first: $first, after: $after) {
  totalCount edges { cursor node { id list listVersion entryId entryName matchedName programs dprk score explanation status decidedBy
  entity { id kind name } } } pageInfo { hasNextPage endCursor } } }`;
const DECIDE_MATCH = `mutation($id: ID!, $decision: MatchDecision!, $note: String) { decideMatch(id: $id, decision: $decision, note: $note) {
  id status decidedBy decidedAt decisionNote } }`;
const CHANGES = `query($since: DateTime!, $asOf: Date) { exposureChanges(since: $since, asOf: $asOf) { totalCount
  edges { node { item { id } before after beforePathCount afterPathCount causes { id reason actor } } } } }`;
const LISTINGS = `query($id: ID!) { trace(itemId: $id) { subgraph { nodes { id source listings { list entryId entryName programs dprk } } } } }`;

let client: Neo4jClient;
beforeAll(async () => {
  client = await testClient();
});
afterAll(async () => {
  await resetGraph(client);
  await client.close();
});

describe('watch lists on the demo data', () => {
  let srv: TestServer;
  let keys: Record<string, string>;
  beforeAll(async () => {
    await resetGraph(client);
    await importDir(client, SEED);
    keys = await createKeys(client, { 'vic.viewer': 'viewer', 'ana.analyst': 'analyst', 'ines.investigator': 'investigator' });
    srv = await startWithKeys(client);
  });
  afterAll(() => srv.stop());

  it('the seed holds what this test relies on', () => {
    expect(AGENCY.name).toBe('Cholhyon Overseas Construction Co.');
    expect(ENTRY).toContain('"CH\'OLHYO\'N OVERSEAS CONSTRUCTION COMPANY"');
    expect(ENTRY).toContain('"DPRK3"');
    expect(MADE_THERE.length).toBeGreaterThan(0);
  });

  it('imports the shipped version, proposes the agency with an explanation, and changes no answer before a decision', async () => {
    const analyst = srv.api.as(keys['ana.analyst']);
    const before = (await analyst.ok(TRACE_COUNTS, { id: MADE_THERE[0] })).trace;
    expect(before.exposure).toBe('NONE');

    const first = await importList(client, { format: 'ofac-sdn', source: SHIPPED, label: null, actor: 'test', threshold: DEFAULT_MATCH_THRESHOLD });
    expect(first.version).toEqual({ list: 'ofac-sdn', label: '2021-09-17', entryCount: 9156, imported: true });

    const queue = (await analyst.ok(MATCHES, {})).listMatches;
    const candidate = queue.edges.map((e: any) => e.node).find((m: any) => m.entity.id === AGENCY.id);
    expect(candidate).toMatchObject({
      list: 'ofac-sdn', listVersion: '2021-09-17', entryId: '23084', entryName: "CH'OLHYO'N OVERSEAS CONSTRUCTION COMPANY",
      programs: ['DPRK3'], dprk: true, status: 'PENDING', entity: { id: AGENCY.id, kind: 'LaborAgency', name: AGENCY.name },
    });
    expect(candidate.score).toBeGreaterThanOrEqual(DEFAULT_MATCH_THRESHOLD);
    expect(candidate.explanation).toContain('"Cholhyon" = "CHOLHYON"');
    expect(candidate.explanation).toContain('"Co" ignored (legal form or filler)');
    expect(queue.totalCount).toBe(first.matching.pending);
    expect((await analyst.ok(TRACE_COUNTS, { id: MADE_THERE[0] })).trace.exposure).toBe('NONE');

    // the same version again: nothing new, the queue as it was
    const again = await importList(client, { format: 'ofac-sdn', source: SHIPPED, label: null, actor: 'test', threshold: DEFAULT_MATCH_THRESHOLD });
    expect(again.version.imported).toBe(false);
    expect(again.matching.proposed).toBe(0);
    const status = await listStatus(client);
    expect(status.versions).toHaveLength(1);
    expect((await analyst.ok(MATCHES, {})).listMatches.totalCount).toBe(queue.totalCount);
  });

  it('a confirmed DPRK match makes the agency a source: the product turns DIRECT, exposureChanges names the decision, knownAt before it does not', async () => {
    const analyst = srv.api.as(keys['ana.analyst']);
    const investigator = srv.api.as(keys['ines.investigator']);
    const candidate = (await analyst.ok(MATCHES, { first: 100 })).listMatches.edges.map((e: any) => e.node).find((m: any) => m.entity.id === AGENCY.id);

    // a viewer reads no queue; an analyst may read it but not decide (ACCESS.md)
    expect((await srv.api.as(keys['vic.viewer']).refused(MATCHES, {}))[0].extensions.code).toBe('FORBIDDEN');
    expect((await analyst.refused(DECIDE_MATCH, { id: candidate.id, decision: 'CONFIRMED' }))[0].extensions.code).toBe('FORBIDDEN');

    const sinceIso = new Date().toISOString();
    await new Promise((r) => setTimeout(r, 5));
    const decided = (await investigator.ok(DECIDE_MATCH, { id: candidate.id, decision: 'CONFIRMED', note: 'same bureau, local branch' })).decideMatch;
    expect(decided).toMatchObject({ id: candidate.id, status: 'CONFIRMED', decidedBy: 'ines.investigator', decisionNote: 'same bureau, local branch' });
    expect((await investigator.refused(DECIDE_MATCH, { id: candidate.id, decision: 'REJECTED' }))[0].extensions.code).toBe('CONFLICT');

    for (const product of MADE_THERE) {
      const now = (await analyst.ok(TRACE_COUNTS, { id: product })).trace;
      expect([product, now.exposure]).toEqual([product, 'DIRECT']);
      const then = (await analyst.ok(TRACE_COUNTS, { id: product, knownAt: justBefore(decided.decidedAt) })).trace;
      expect([product, then.exposure]).toEqual([product, 'NONE']);
    }

    const changes = (await analyst.ok(CHANGES, { since: sinceIso })).exposureChanges;
    const rows = changes.edges.map((e: any) => e.node);
    expect(rows.map((r: any) => r.item.id).sort()).toEqual([...MADE_THERE].sort());
    for (const r of rows) {
      expect(r).toMatchObject({ before: 'NONE', after: 'DIRECT', beforePathCount: '0' });
      expect(r.causes.map((c: any) => c.reason)).toEqual([`confirm list match ${candidate.id}`]);
    }
    // nothing changed since the decision
    const afterDecision = new Date().toISOString();
    expect((await analyst.ok(CHANGES, { since: afterDecision })).exposureChanges.totalCount).toBe(0);


    const nodes = (await analyst.ok(LISTINGS, { id: MADE_THERE[0] })).trace.subgraph.nodes;
    const agency = nodes.find((n: any) => n.id === AGENCY.id);
    expect(agency).toMatchObject({ source: true, listings: [{ list: 'ofac-sdn', entryId: '23084', programs: ['DPRK3'], dprk: true }] });

    // listings as recorded: none before the decision, the entry since
    const IMPACT = 'query($id: ID!, $knownAt: DateTime) { impact(nodeId: $id, knownAt: $knownAt) { node { source listings { entryId } } } }';
    expect((await analyst.ok(IMPACT, { id: AGENCY.id })).impact.node).toEqual({ source: true, listings: [{ entryId: '23084' }] });
    expect((await analyst.ok(IMPACT, { id: AGENCY.id, knownAt: justBefore(decided.decidedAt) })).impact.node).toEqual({ source: false, listings: [] });

    // the dossier names the listing among the agency's roles, and why it is a source
    const res = await fetch(srv.api.url.replace(/\/graphql$/, `/dossier/${MADE_THERE[0]}.html`), { headers: { authorization: `Bearer ${keys['ana.analyst']}` } });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('on the ofac-sdn list (version 2021-09-17) as entry 23084, CH&#39;OLHYO&#39;N OVERSEAS CONSTRUCTION COMPANY, programs DPRK3: a confirmed match');
    expect(html).toContain('a labor agency confirmed to be an entry under a DPRK sanctions program (DPRK labor source)');

    // a product retired since: NONE now, and read as it was then
    await new Promise((r) => setTimeout(r, 5));
    await investigator.ok(APPLY, { input: { reason: 'discontinued', retire: [MADE_THERE[0]] } });
    const retired = (await analyst.ok(CHANGES, { since: afterDecision })).exposureChanges.edges.map((e: any) => e.node);
    expect(retired.map((r: any) => [r.item.id, r.before, r.after])).toEqual([[MADE_THERE[0], 'DIRECT', 'NONE']]);
    expect(retired[0].causes.map((c: any) => c.reason)).toEqual(['discontinued']);
  });

});

describe('a rejected candidate', () => {
  let srv: TestServer;
  let keys: Record<string, string>;
  beforeAll(async () => {
    await resetGraph(client);
    // a company whose name is a variant of a listed DPRK entry (20578, MANSUDAE OVERSEAS PROJECT GROUP OF COMPANIES)
    await importDir(client, datasetDir({ 'companies.csv': 'id,name,country\nCO-MANSUDAE,Mansudae Overseas Projects Group,NA\n' }));
    keys = await createKeys(client, { 'ines.investigator': 'investigator' });
    srv = await startWithKeys(client);
  });
  afterAll(() => srv.stop());

  it('is not proposed again for the same entry when the list is imported again', async () => {
    const investigator = srv.api.as(keys['ines.investigator']);
    const first = await importList(client, { format: 'ofac-sdn', source: SHIPPED, label: null, actor: 'test', threshold: DEFAULT_MATCH_THRESHOLD });
    expect(first.matching.proposed).toBe(1);
    const [candidate] = (await investigator.ok(MATCHES, {})).listMatches.edges.map((e: any) => e.node);
    expect(candidate).toMatchObject({ entryId: '20578', entity: { id: 'CO-MANSUDAE' }, status: 'PENDING' });
    await investigator.ok(DECIDE_MATCH, { id: candidate.id, decision: 'REJECTED', note: 'a namesake' });

    const again = await importList(client, { format: 'ofac-sdn', source: SHIPPED, label: null, actor: 'test', threshold: DEFAULT_MATCH_THRESHOLD });
    expect(again.matching).toMatchObject({ proposed: 0, keptRejected: 1, pending: 0 });
    expect((await investigator.ok(MATCHES, {})).listMatches.totalCount).toBe(0);
    const rejected = (await investigator.ok(MATCHES, { status: 'REJECTED' })).listMatches.edges.map((e: any) => e.node);
    expect(rejected).toEqual([expect.objectContaining({ id: candidate.id, status: 'REJECTED', decidedBy: 'ines.investigator' })]);
  });
});

describe('labortrace lists', () => {
  const run = (args: string[]) => runCli(['lists', ...args]);

  beforeAll(async () => {
    await resetGraph(client);
    await importDir(client, SEED);
  });

  it('imports, then says the same version changed nothing, and status shows what is pending', async () => {
    const first = await run(['import', 'ofac-sdn', SHIPPED]);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/^imported ofac-sdn version 2021-09-17 \(9156 entries\)/);
    const again = await run(['import', 'ofac-sdn', SHIPPED]);
    expect(again.stdout).toMatch(/^already imported, nothing changed: ofac-sdn version 2021-09-17/);
    const status = await run(['status']);
    expect(status.stdout).toMatch(/ofac-sdn: latest version 2021-09-17 \(9156 entries.*candidates: [1-9]\d* pending, 0 confirmed, 0 rejected/);
  });

  it('imports a FollowTheMoney file as its own list, with --version, and matches it at once', async () => {
    const file = path.join(__dirname, '..', 'fixtures', 'list-ftm.jsonl');
    expect((await run(['import', 'ftm', file])).code).toBe(1); // an FtM file carries no version: --version is needed
    const imported = await run(['import', 'ftm', file, '--version', 'fixture-1']);
    expect(imported.code).toBe(0);
    expect(imported.stdout).toMatch(/^imported ftm version fixture-1 \(1 entries\); skipped 1 Sanction/);
    const status = await run(['status']);
    expect(status.stdout).toMatch(/^ftm: latest version fixture-1 \(1 entries/m);
    expect(status.stdout).toMatch(/^ofac-sdn: latest version 2021-09-17/m);
  });

  it('refuses a bad file whole with file:line, and wrong usage with exit 2', async () => {
    const dir = path.join(__dirname, '..', 'fixtures', 'bad-sdn');
    const bad = await run(['import', 'ofac-sdn', dir]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^sdn\.csv:2:1: ent_num must be a positive whole number/m);
    expect((await run(['import', 'csv', SHIPPED])).code).toBe(2);
    expect((await run(['import', 'ftm', '/nonexistent.json'])).code).toBe(1);
  });
});
