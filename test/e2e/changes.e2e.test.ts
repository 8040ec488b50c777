import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { readDataset } from '../../src/dataset/dataset.reader';
import type { Neo4jClient } from '../../src/db/neo4j-client';
import { exportDataset } from '../../src/export/export.service';
import { importDataset } from '../../src/import/import.service';
import {
  APPLY, Api, CHANGE_SET_FIELDS, DECIDE, PROPOSE, TRACE_COUNTS, changeSetTotal, createKeys, exportFiles, justBefore, startLocal, startWithKeys, type TestServer,
} from '../helpers/change-sets';
import { datasetDir, importDir, resetGraph, testClient } from '../helpers/neo4j';

/**
 * CHANGES.md through the GraphQL API over HTTP: applyChanges, change sets and history, knownAt, reviewed rebuttals,
 * refusals that write nothing, concurrency, four eyes and roles with API keys, imports as change sets. Every expected
 * answer is read off the rows by hand (the comments say how), never copied from the program's output.
 */

let client: Neo4jClient;
beforeAll(async () => {
  client = await testClient();
});
afterAll(async () => {
  await resetGraph(client);
  await client.close();
});

const csv = (...lines: string[]) => `${lines.join('\n')}\n`;

/** A clean product made at a clean factory with a clean workforce; two evidence rows for what investigators find. */
const CLEAN = {
  'evidence.csv': csv('id,title,kind', 'EV-REPORT,NGO report: DPRK cohort at the plant,media report', 'EV-AUDIT,Third-party audit: no DPRK nationals on the line,audit'),
  'products.csv': csv('id,name', 'P-CLEAN,Clean jacket'),
  'factories.csv': csv('id,name,country', 'F-CLEAN,Clean Sewing Plant,CN'),
  'workers.csv': csv('id,nationality,name,headcount', 'W-LOCAL,CN,Local sewing staff,200'),
  'employment.csv': csv('worker_id,factory_id,from,to', 'W-LOCAL,F-CLEAN,2015-01-01,'),
  'production.csv': csv('item_id,factory_id,from,to', 'P-CLEAN,F-CLEAN,2020-01-01,'),
};

const traceOf = async (api: Api, id: string, opts: { asOf?: string; knownAt?: string } = {}) =>
  (await api.ok(TRACE_COUNTS, { id, ...opts })).trace;

describe('an investigator\'s walk-through with API keys: records a cohort, corrects it, rebuts it; knownAt gives every earlier answer back', () => {
  let srv: TestServer;
  let keys: Record<string, string>;
  beforeAll(async () => {
    await resetGraph(client);
    await importDir(client, datasetDir(CLEAN));
    keys = await createKeys(client, { 'ines.investigator': 'investigator', 'ada.admin': 'admin' });
    srv = await startWithKeys(client);
  });
  afterAll(() => srv.stop());

  it('each step changes the trace as the rows say, and trace(knownAt) at each change set answers as it did then', async () => {
    const investigator = srv.api.as(keys['ines.investigator']);
    const admin = srv.api.as(keys['ada.admin']);
    /** What each step must give, read off the rows: exposure without asOf, and at two production days. */
    type Seen = { exposure: string; pathCount: string; openPathCount: string; feb: string; apr: string };
    const look = async (knownAt?: string): Promise<Seen> => {
      const now = await traceOf(investigator, 'P-CLEAN', { knownAt });
      const feb = await traceOf(investigator, 'P-CLEAN', { knownAt, asOf: '2023-02-15' });
      const apr = await traceOf(investigator, 'P-CLEAN', { knownAt, asOf: '2023-04-15' });
      return { exposure: now.exposure, pathCount: now.pathCount, openPathCount: now.openPathCount, feb: feb.exposure, apr: apr.exposure };
    };
    const steps: { at: string; seen: Seen }[] = [];

    // 0. the imported graph: no DPRK source anywhere
    const clean: Seen = { exposure: 'NONE', pathCount: '0', openPathCount: '0', feb: 'NONE', apr: 'NONE' };
    expect(await look()).toEqual(clean);

    // 1. a KP cohort employed at the plant January..June 2023: one direct path W-KP > F-CLEAN > P-CLEAN; the plant makes
    //    the jacket since 2020, so on any day from 2023-01-01 the path exists (Feb and Apr both DIRECT)
    const s1 = (await investigator.ok(APPLY, {
      input: {
        reason: 'NGO report on a DPRK cohort at the plant',
        workers: [{ id: 'W-KP', nationality: 'KP', name: 'DPRK sewing cohort', headcount: 30, evidence: ['EV-REPORT'] }],
        employment: [{ id: 'emp-kp', workerId: 'W-KP', factoryId: 'F-CLEAN', from: '2023-01', to: '2023-06', evidence: ['EV-REPORT'] }],
      },
    })).applyChanges;
    expect(s1).toMatchObject({ actor: 'ines.investigator', reason: 'NGO report on a DPRK cohort at the plant', source: 'api', changeCount: 2 });
    expect(s1.changes.map((c: any) => [c.op, c.entityId, c.kind, c.version]).sort()).toEqual([
      ['ADD', 'W-KP', 'Worker', 1], ['ADD', 'emp-kp', 'EMPLOYED_AT', 1],
    ]);
    const s1Seen: Seen = { exposure: 'DIRECT', pathCount: '1', openPathCount: '1', feb: 'DIRECT', apr: 'DIRECT' };
    expect(await look()).toEqual(s1Seen);
    steps.push({ at: s1.at, seen: s1Seen });

    // 2. correction as retire + add: the report meant March..June; the new row carries its own id
    const s2 = (await investigator.ok(APPLY, {
      input: {
        reason: 'the report dates the cohort from March',
        retire: ['emp-kp'],
        employment: [{ id: 'emp-kp-2', workerId: 'W-KP', factoryId: 'F-CLEAN', from: '2023-03', to: '2023-06', evidence: ['EV-REPORT'] }],
      },
    })).applyChanges;
    expect(s2.changes.map((c: any) => [c.op, c.entityId]).sort()).toEqual([['ADD', 'emp-kp-2'], ['RETIRE', 'emp-kp']]);
    // from 2023-03-01 on: not yet on 2023-02-15, already on 2023-04-15
    const s2Seen: Seen = { exposure: 'DIRECT', pathCount: '1', openPathCount: '1', feb: 'NONE', apr: 'DIRECT' };
    expect(await look()).toEqual(s2Seen);
    steps.push({ at: s2.at, seen: s2Seen });
    const workers = (await investigator.ok('{ factory(id: "F-CLEAN") { workers { id worker { id } from to version } } }')).factory.workers;
    expect(workers.filter((w: any) => w.worker.id === 'W-KP')).toEqual([{ id: 'emp-kp-2', worker: { id: 'W-KP' }, from: '2023-03-01', to: '2023-06-30', version: 1 }]);

    // 3. correction in place: the same id, the version it was read at; the cohort came in May
    const s3 = (await investigator.ok(APPLY, {
      input: {
        reason: 'payroll shows May',
        employment: [{ id: 'emp-kp-2', workerId: 'W-KP', factoryId: 'F-CLEAN', from: '2023-05', to: '2023-06', evidence: ['EV-REPORT'], expectedVersion: 1 }],
      },
    })).applyChanges;
    expect(s3.changes).toHaveLength(1);
    const update = s3.changes[0];
    expect({ op: update.op, entityId: update.entityId, version: update.version }).toEqual({ op: 'UPDATE', entityId: 'emp-kp-2', version: 2 });
    expect(JSON.parse(update.before)).toMatchObject({ type: 'EMPLOYED_AT', source: 'W-KP', target: 'F-CLEAN', from: '2023-03-01', to: '2023-06-30' });
    expect(JSON.parse(update.after)).toMatchObject({ type: 'EMPLOYED_AT', source: 'W-KP', target: 'F-CLEAN', from: '2023-05-01', to: '2023-06-30' });
    const s3Seen: Seen = { exposure: 'DIRECT', pathCount: '1', openPathCount: '1', feb: 'NONE', apr: 'NONE' };
    expect(await look()).toEqual(s3Seen);
    steps.push({ at: s3.at, seen: s3Seen });

    // 4. a rebuttal proposed with the audit: proposed only, it does not count yet
    const proposed = (await investigator.ok(PROPOSE, {
      input: { relationshipId: 'emp-kp-2', prong: 'NOT_PRESENT', evidence: ['EV-AUDIT'], note: 'audit found no DPRK nationals' },
    })).proposeRebuttal;
    expect(proposed).toMatchObject({ status: 'PROPOSED', prong: 'NOT_PRESENT', proposedBy: 'ines.investigator', decidedBy: null, itemIds: null });
    expect(await look()).toEqual(s3Seen);
    steps.push({ at: proposed.proposedAt, seen: s3Seen });

    // 5. an admin (another key) accepts it: the one path is rebutted; exposure stays DIRECT (TRACING: rebuttal is the
    //    importer's answer, not the absence of exposure)
    const decided = (await admin.ok(DECIDE, { id: proposed.id, decision: 'ACCEPTED', note: 'audit is credible' })).decideRebuttal;
    expect(decided).toMatchObject({ id: proposed.id, status: 'ACCEPTED', proposedBy: 'ines.investigator', decidedBy: 'ada.admin', decisionNote: 'audit is credible' });
    const s5Seen: Seen = { exposure: 'DIRECT', pathCount: '1', openPathCount: '0', feb: 'NONE', apr: 'NONE' };
    expect(await look()).toEqual(s5Seen);
    steps.push({ at: decided.decidedAt, seen: s5Seen });
    const paths = (await investigator.ok('{ trace(itemId: "P-CLEAN") { paths { edges { node { rebutted nodes { id } relationships { id rebutted rebuttals { id status } } } } } } }')).trace.paths.edges;
    expect(paths.map((e: any) => [e.node.nodes.map((n: any) => n.id).join('>'), e.node.rebutted])).toEqual([['W-KP>F-CLEAN>P-CLEAN', true]]);
    const emp = paths[0].node.relationships.find((r: any) => r.id === 'emp-kp-2');
    expect(emp).toMatchObject({ rebutted: true, rebuttals: [{ id: proposed.id, status: 'ACCEPTED' }] });

    // knownAt: just before the first change set, the clean graph; at each change set's instant, that step's answer
    expect(await look(justBefore(s1.at))).toEqual(clean);
    for (const step of steps) expect({ at: step.at, seen: await look(step.at) }).toEqual(step);
    // and between two steps, the earlier one
    for (let i = 0; i + 1 < steps.length; i++) {
      if (Date.parse(steps[i + 1].at) - Date.parse(steps[i].at) > 1) {
        expect({ between: i, seen: await look(justBefore(steps[i + 1].at)) }).toEqual({ between: i, seen: steps[i].seen });
      }
    }
    // instants are strictly increasing, and the log lists the five API change sets after the import, newest first
    const ats = steps.map((s) => Date.parse(s.at));
    expect(ats).toEqual([...ats].sort((a, b) => a - b));
    expect(new Set(ats).size).toBe(ats.length);
    const log = (await investigator.ok('{ changeSets(first: 10) { totalCount edges { node { actor source at } } } }')).changeSets;
    expect(log.totalCount).toBe(6);
    expect(log.edges.map((e: any) => [e.node.actor, e.node.source])).toEqual([
      ['ada.admin', 'api'], ['ines.investigator', 'api'], ['ines.investigator', 'api'], ['ines.investigator', 'api'], ['ines.investigator', 'api'],
      [expect.any(String), 'import'],
    ]);
    expect(log.edges.slice(0, 5).map((e: any) => e.node.at)).toEqual(steps.map((s) => s.at).reverse());
  });
});

/**
 * The README's walk-through ("Walk-through: an investigator's week, through GraphQL alone"), its GraphQL blocks taken
 * from the README itself so that the two cannot drift apart, on the demo data, with API keys: the investigator
 * records, another key (an admin) decides. Expected answers from seed/ by hand: F-CRAB-CANNERY (US) produces
 * P-CRAB-CAN, C-CRAB-MEAT and C-CAN since 2010-01-01, and P-CRAB-CAN contains C-CRAB-MEAT and C-CAN; nothing else
 * reaches them. A KP cohort employed at the cannery therefore gives P-CRAB-CAN three direct paths (cohort > cannery
 * > P-CRAB-CAN, and through each of the two components).
 */
describe('the README walk-through, as the README writes it', () => {
  let srv: TestServer;
  let keys: Record<string, string>;
  beforeAll(async () => {
    await resetGraph(client);
    const seed = await readDataset(path.join(__dirname, '..', '..', 'seed'));
    if (!seed.ok) throw new Error('invalid seed');
    await importDataset(client, seed.dataset, { meta: { actor: 'labortrace', reason: 'demo dataset', source: 'import' } });
    keys = await createKeys(client, { 'ines.investigator': 'investigator', 'ada.admin': 'admin' });
    srv = await startWithKeys(client);
  });
  afterAll(() => srv.stop());

  /** The README's ```graphql blocks of the walk-through, split into one document per operation. */
  function walkThroughDocuments(): string[] {
    const readme = readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8');
    const from = readme.indexOf('### Walk-through');
    const to = readme.indexOf('\n## ', from);
    expect(from).toBeGreaterThan(0);
    const blocks = [...readme.slice(from, to).matchAll(/```graphql\n([\s\S]*?)```/g)].map((m) => m[1]);
    return blocks.flatMap((b) => b.split(/^(?=query|mutation)/m)).map((d) => d.replace(/#.*$/gm, '').trim()).filter(Boolean);
  }

  it('each step answers as the README says, and the Trace query with knownAt gives each earlier answer back', async () => {
    const investigator = srv.api.as(keys['ines.investigator']);
    const admin = srv.api.as(keys['ada.admin']);
    const docs = walkThroughDocuments();
    const [traceDoc, addCohort, correctDates, addEvidence, propose, decide] = docs;
    expect(docs).toHaveLength(6);
    expect(traceDoc).toMatch(/^query Trace/);
    const trace = async (vars: { knownAt?: string; asOf?: string } = {}) => {
      const doc = vars.asOf ? traceDoc.replace('knownAt: $knownAt)', `knownAt: $knownAt, asOf: "${vars.asOf}")`) : traceDoc;
      const t = (await investigator.ok(doc, { knownAt: vars.knownAt })).trace;
      return [t.exposure, t.pathCount, t.openPathCount];
    };

    expect(await trace()).toEqual(['NONE', '0', '0']);
    const step1 = (await investigator.ok(addCohort)).applyChanges;
    expect(step1).toMatchObject({ actor: 'ines.investigator', changeCount: 3 }); // evidence, cohort, employment
    expect(await trace()).toEqual(['DIRECT', '3', '3']);
    // the cohort from 2022-01: already there for goods made by 2023-01-31
    expect(await trace({ asOf: '2023-01-31' })).toEqual(['DIRECT', '3', '3']);

    const step2 = (await investigator.ok(correctDates)).applyChanges;
    expect(step2.changes.map((c: any) => [c.op, c.entityId]).sort()).toEqual([['ADD', 'emp-crab-02'], ['RETIRE', 'emp-crab-01']]);
    expect(await trace()).toEqual(['DIRECT', '3', '3']);
    expect(await trace({ asOf: '2023-01-31' })).toEqual(['NONE', '0', '0']); // from 2023-03-01 now

    await investigator.ok(addEvidence);
    const step3 = (await investigator.ok(propose)).proposeRebuttal;
    expect(step3).toMatchObject({ status: 'PROPOSED', proposedBy: 'ines.investigator' });
    expect(await trace()).toEqual(['DIRECT', '3', '3']);

    expect(decide).toContain('"rb-…"');
    const own = await investigator.post(decide.replace('"rb-…"', JSON.stringify(step3.id)));
    expect(own.errors?.map((e) => e.extensions.code)).toEqual(['FORBIDDEN']);
    const step4 = (await admin.ok(decide.replace('"rb-…"', JSON.stringify(step3.id)))).decideRebuttal;
    expect(step4).toMatchObject({ id: step3.id, status: 'ACCEPTED', decidedBy: 'ada.admin' });
    expect(await trace()).toEqual(['DIRECT', '3', '0']);

    // step 5: what did we know, and when?
    expect(await trace({ knownAt: justBefore(step1.at) })).toEqual(['NONE', '0', '0']);
    expect(await trace({ knownAt: step1.at })).toEqual(['DIRECT', '3', '3']);
    expect(await trace({ knownAt: step3.proposedAt })).toEqual(['DIRECT', '3', '3']);
    expect(await trace({ knownAt: step4.decidedAt })).toEqual(['DIRECT', '3', '0']);
    expect(await trace({ knownAt: step1.at, asOf: '2023-01-31' })).toEqual(['DIRECT', '3', '3']);
    expect(await trace({ knownAt: step2.at, asOf: '2023-01-31' })).toEqual(['NONE', '0', '0']);
    const history = (await investigator.ok('{ changeSets(entityId: "W-KP-CRAB-01") { edges { node { id at } } } }')).changeSets.edges.map((e: any) => e.node);
    expect(history).toEqual([{ id: step1.id, at: step1.at }]);
  });
});

describe('a refused change set writes nothing: the export and the log are unchanged, and extensions.field names the bad row', () => {
  let srv: TestServer;
  beforeAll(async () => {
    await resetGraph(client);
    await importDir(client, datasetDir({
      'evidence.csv': csv('id,title', 'EV1,Report'),
      'products.csv': csv('id,name', 'P1,Jacket'),
      'components.csv': csv('id,name', 'C1,Shell', 'C2,Yarn'),
      'bom.csv': csv('parent_id,child_id', 'P1,C1', 'C1,C2'),
      'factories.csv': csv('id,name,country', 'F1,Plant,CN'),
      'workers.csv': csv('id,nationality,name', 'W1,CN,Line staff'),
      'employment.csv': csv('id,worker_id,factory_id,from,to', 'emp-1,W1,F1,2019-01-01,'),
      'production.csv': csv('item_id,factory_id,from,to', 'P1,F1,,'),
    }));
    srv = await startLocal(client);
  });
  afterAll(() => srv.stop());

  /**
   * `valid + bad` is refused with `code` at `field` (and every problem in extensions.errors), writing nothing; then
   * `valid` alone is accepted: the refusal was the bad row's doing.
   */
  async function refusedThenValid(valid: Record<string, any>, bad: Record<string, any[]>, code: string, field: RegExp | string, errorCount = 1) {
    const input: Record<string, any> = { reason: 'a change set with one bad row', ...valid };
    for (const [list, rows] of Object.entries(bad)) input[list] = [...(input[list] ?? []), ...rows];
    const before = { files: await exportFiles(client), changeSets: await changeSetTotal(srv.api) };
    const errors = await srv.api.refused(APPLY, { input });
    expect(errors).toHaveLength(1);
    const ext = errors[0].extensions;
    expect(ext.code).toBe(code);
    if (typeof field === 'string') expect(ext.field).toBe(field);
    else expect(ext.field).toMatch(field);
    expect(ext.errors).toHaveLength(errorCount);
    expect(ext.errors[0].field).toBe(ext.field);
    expect({ files: await exportFiles(client), changeSets: await changeSetTotal(srv.api) }).toEqual(before);
    const accepted = (await srv.api.ok(APPLY, { input: { reason: 'the same without the bad row', ...valid } })).applyChanges;
    expect(accepted.changeCount).toBeGreaterThan(0);
    return ext;
  }

  it('a dangling reference among valid rows: refused at input.employment[2].workerId', async () => {
    await refusedThenValid(
      { workers: [{ id: 'W2', nationality: 'KP' }], employment: [{ workerId: 'W2', factoryId: 'F1' }, { workerId: 'W1', factoryId: 'F1', from: '2010', to: '2012' }] },
      { employment: [{ workerId: 'W-NOPE', factoryId: 'F1' }] },
      'BAD_USER_INPUT', 'input.employment[2].workerId',
    );
  });

  it('every problem is reported, each at its own path; the first one in extensions.field', async () => {
    const ext = await refusedThenValid(
      { workers: [{ id: 'W3', nationality: 'CN' }] },
      { employment: [{ workerId: 'W3', factoryId: 'F-NOPE' }, { workerId: 'W-NOPE', factoryId: 'F1' }] },
      'BAD_USER_INPUT', 'input.employment[0].factoryId', 2,
    );
    expect(ext.errors.map((e: any) => e.field)).toEqual(['input.employment[0].factoryId', 'input.employment[1].workerId']);
  });

  it('a reversed interval: refused at its row of input.employment', async () => {
    await refusedThenValid(
      { employment: [{ workerId: 'W1', factoryId: 'F1', from: '2020-01-01', to: '2020-12-31' }] },
      { employment: [{ workerId: 'W1', factoryId: 'F1', from: '2023-05-01', to: '2023-01-01' }] },
      'BAD_USER_INPUT', /^input\.employment\[1\]\.(from|to)$/,
    );
  });

  it('a bill-of-materials row that closes a cycle with the stored graph (P1 > C1 > C2 > P1): refused at input.bom[1]', async () => {
    const ext = await refusedThenValid(
      { components: [{ id: 'C3', name: 'Thread' }], bom: [{ parentId: 'C2', childId: 'C3' }] },
      { bom: [{ parentId: 'C2', childId: 'P1' }] },
      'BAD_USER_INPUT', /^input\.bom\[1\](\.(parentId|childId))?$/,
    );
    expect(ext.errors[0].message).toMatch(/cycle/);
    for (const id of ['P1', 'C1', 'C2']) expect(ext.errors[0].message).toContain(id);
  });

  it('a kind change (the factory F1 sent as a product): refused at input.products[1]', async () => {
    await refusedThenValid(
      { products: [{ id: 'P2', name: 'Gloves' }] },
      { products: [{ id: 'F1', name: 'Not a product' }] },
      'BAD_USER_INPUT', /^input\.products\[1\](\.id)?$/,
    );
  });

  it('a stale expectedVersion: CONFLICT at input.workers[1]; expectedVersion 0 for an existing entity too', async () => {
    const v = (await srv.api.ok('{ worker(id: "W1") { version } }')).worker.version;
    await srv.api.ok(APPLY, { input: { reason: 'rename', workers: [{ id: 'W1', nationality: 'CN', name: 'Line staff (renamed)', expectedVersion: v }] } });
    expect((await srv.api.ok('{ worker(id: "W1") { version name } }')).worker).toEqual({ version: v + 1, name: 'Line staff (renamed)' });
    await refusedThenValid(
      { workers: [{ id: 'W4', nationality: 'CN' }] },
      { workers: [{ id: 'W1', nationality: 'KP', expectedVersion: v }] },
      'CONFLICT', /^input\.workers\[1\](\.expectedVersion)?$/,
    );
    await refusedThenValid(
      { workers: [{ id: 'W5', nationality: 'CN', expectedVersion: 0 }] },
      { workers: [{ id: 'W1', nationality: 'KP', expectedVersion: 0 }] },
      'CONFLICT', /^input\.workers\[1\](\.expectedVersion)?$/,
    );
    expect((await srv.api.ok('{ worker(id: "W1") { version nationality } }')).worker).toEqual({ version: v + 1, nationality: 'CN' });
  });

  it('while an import is staged: CONFLICT naming it, nothing written; accepted once it is gone', async () => {
    // a staged import as its process leaves it between two batches (README, "Staged import"): its marker, alive
    await client.writeTx((tx) => tx.run('staging/create-marker', { id: 'import-e2e', version: 0, actor: 'bulk.loader', reason: 'nightly' }));
    const input = { reason: 'a change during an import', workers: [{ id: 'W6', nationality: 'CN' }] };
    const before = { files: await exportFiles(client), changeSets: await changeSetTotal(srv.api) };
    try {
      const errors = await srv.api.refused(APPLY, { input });
      expect(errors).toHaveLength(1);
      expect(errors[0].extensions.code).toBe('CONFLICT');
      expect(errors[0].message).toContain('import-e2e');
      expect(errors[0].message).toContain('bulk.loader');
      expect({ files: await exportFiles(client), changeSets: await changeSetTotal(srv.api) }).toEqual(before);
    } finally {
      await client.writeTx((tx) => tx.run('staging/delete-marker', { id: 'import-e2e' }));
    }
    expect((await srv.api.ok(APPLY, { input })).applyChanges.changeCount).toBe(1);
  });

  it('retiring what does not exist: refused at input.retire[1], and the retirement before it is not half applied', async () => {
    await refusedThenValid({ retire: ['emp-1'] }, { retire: ['NOPE'] }, 'BAD_USER_INPUT', 'input.retire[1]');
    expect((await srv.api.ok('{ factory(id: "F1") { workers { id } } }')).factory.workers.map((w: any) => w.id)).not.toContain('emp-1');
  });

  it('a retirement followed by a row refused against the stored graph is rolled back whole (the worker stays)', async () => {
    const before = { files: await exportFiles(client), changeSets: await changeSetTotal(srv.api) };
    const errors = await srv.api.refused(APPLY, { input: { reason: 'retire and a kind change', retire: ['W1'], products: [{ id: 'F1', name: 'x' }] } });
    expect(errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
    expect(errors[0].extensions.field).toMatch(/^input\.products\[0\]/);
    expect({ files: await exportFiles(client), changeSets: await changeSetTotal(srv.api) }).toEqual(before);
    expect((await srv.api.ok('{ worker(id: "W1") { id } }')).worker).toEqual({ id: 'W1' });
  });
});

describe('concurrency', () => {
  let srv: TestServer;
  beforeAll(async () => {
    await resetGraph(client);
    await importDir(client, datasetDir({ 'workers.csv': csv('id,nationality,name', 'W-C,CN,Contested') }));
    srv = await startLocal(client);
  });
  afterAll(() => srv.stop());

  it('two clients change the same entity from the same version at once: one wins, the other gets CONFLICT; version + 1, history ends with the winner', async () => {
    const a = new Api(srv.api.url);
    const b = new Api(srv.api.url);
    for (let round = 0; round < 5; round++) {
      const { version } = (await a.ok('{ worker(id: "W-C") { version } }')).worker;
      const total = await changeSetTotal(a);
      const send = (who: Api, name: string) => who.post(APPLY, {
        input: { reason: `rename by ${name}`, workers: [{ id: 'W-C', nationality: 'CN', name: `${name} ${round}`, expectedVersion: version }] },
      });
      const results = await Promise.all([send(a, 'A'), send(b, 'B')]);
      const won = results.filter((r) => !r.errors);
      const lost = results.filter((r) => r.errors);
      expect({ round, won: won.length, lost: lost.length }).toEqual({ round, won: 1, lost: 1 });
      expect(lost[0].errors!.map((e) => [e.extensions.code, e.extensions.field])).toEqual([['CONFLICT', expect.stringMatching(/^input\.workers\[0\]/)]]);
      const winner = won[0].data.applyChanges;
      const now = (await a.ok('{ worker(id: "W-C") { version name history { id reason } } }')).worker;
      expect(now.version).toBe(version + 1);
      expect(now.name).toBe(winner.reason === 'rename by A' ? `A ${round}` : `B ${round}`);
      expect(now.history[now.history.length - 1]).toEqual({ id: winner.id, reason: winner.reason });
      expect(now.history).toHaveLength(version + 1);
      expect(await changeSetTotal(a)).toBe(total + 1);
    }
  });

  it('change sets without expectedVersion on different entities at once all land, one after another: distinct ids, strictly increasing instants', async () => {
    const total = await changeSetTotal(srv.api);
    const n = 8;
    const results = await Promise.all(Array.from({ length: n }, (_, i) => new Api(srv.api.url).post(APPLY, {
      input: { reason: `parallel ${i}`, workers: [{ id: `W-PAR-${i}`, nationality: i % 2 === 0 ? 'KP' : 'CN' }] },
    })));
    expect(results.map((r) => r.errors ?? null)).toEqual(results.map(() => null));
    const sets = results.map((r) => r.data.applyChanges);
    expect(new Set(sets.map((s) => s.id)).size).toBe(n);
    expect(new Set(sets.map((s) => s.at)).size).toBe(n);
    const log = (await srv.api.ok(`{ changeSets(first: ${n}) { totalCount edges { node { id at reason } } } }`)).changeSets;
    expect(log.totalCount).toBe(total + n);
    // newest first: the log's order is the order they were written in, and their instants strictly decrease along it
    expect(new Set(log.edges.map((e: any) => e.node.id))).toEqual(new Set(sets.map((s) => s.id)));
    const ats = log.edges.map((e: any) => Date.parse(e.node.at));
    for (let i = 1; i < ats.length; i++) expect(ats[i]).toBeLessThan(ats[i - 1]);
    const workers = (await srv.api.ok('{ workers(first: 50) { edges { node { id version } } } }')).workers.edges.map((e: any) => e.node);
    for (let i = 0; i < n; i++) expect(workers).toContainEqual({ id: `W-PAR-${i}`, version: 1 });
  });
});

describe('roles and four eyes with API keys (not local mode)', () => {
  let srv: TestServer;
  let keys: Record<string, string>;
  beforeAll(async () => {
    await resetGraph(client);
    await importDir(client, datasetDir({
      'evidence.csv': csv('id,title,kind', 'EV-A,Audit A,audit', 'EV-B,Audit B,audit'),
      'products.csv': csv('id,name', 'P1,Jacket', 'P2,Gloves'),
      'factories.csv': csv('id,name,country', 'F1,Plant,CN'),
      'workers.csv': csv('id,nationality', 'W-KP,KP'),
      'employment.csv': csv('id,worker_id,factory_id,from,to', 'emp-1,W-KP,F1,2020-01-01,'),
      'production.csv': csv('item_id,factory_id,from,to', 'P1,F1,,', 'P2,F1,,'),
    }));
    keys = await createKeys(client, {
      'vic.viewer': 'viewer', 'ana.analyst': 'analyst', 'ian.investigator': 'investigator', 'iris.investigator': 'investigator',
      'adam.admin': 'admin', 'alma.admin': 'admin',
    });
    srv = await startWithKeys(client);
  });
  afterAll(() => srv.stop());

  const add = (id: string) => ({ input: { reason: `add ${id}`, workers: [{ id, nationality: 'CN' }] } });

  it('viewer and analyst cannot applyChanges (FORBIDDEN, nothing written); without a key: 401; an investigator can, and is the actor', async () => {
    const admin = srv.api.as(keys['adam.admin']);
    const before = { files: await exportFiles(client), changeSets: await changeSetTotal(admin) };
    for (const who of ['vic.viewer', 'ana.analyst']) {
      const r = await srv.api.as(keys[who]).post(APPLY, add(`W-${who}`));
      expect({ who, codes: r.errors?.map((e) => e.extensions.code) }).toEqual({ who, codes: ['FORBIDDEN'] });
      const p = await srv.api.as(keys[who]).post(PROPOSE, { input: { relationshipId: 'emp-1', prong: 'NOT_FORCED', evidence: ['EV-A'] } });
      expect({ who, codes: p.errors?.map((e) => e.extensions.code) }).toEqual({ who, codes: ['FORBIDDEN'] });
    }
    const anonymous = await srv.api.as(undefined).post(APPLY, add('W-ANON'));
    expect(anonymous.status).toBe(401);
    expect(anonymous.errors?.[0].extensions.code).toBe('UNAUTHENTICATED');
    expect({ files: await exportFiles(client), changeSets: await changeSetTotal(admin) }).toEqual(before);

    const set = (await srv.api.as(keys['ian.investigator']).ok(APPLY, add('W-IAN'))).applyChanges;
    expect(set).toMatchObject({ actor: 'ian.investigator', source: 'api', reason: 'add W-IAN' });
    const history = (await admin.ok('{ worker(id: "W-IAN") { history { id actor } } }')).worker.history;
    expect(history).toEqual([{ id: set.id, actor: 'ian.investigator' }]);
  });

  it('an investigator proposes but cannot decide; an admin cannot decide what they proposed; another admin can', async () => {
    const ian = srv.api.as(keys['ian.investigator']);
    const iris = srv.api.as(keys['iris.investigator']);
    const adam = srv.api.as(keys['adam.admin']);
    const alma = srv.api.as(keys['alma.admin']);
    const rb1 = (await ian.ok(PROPOSE, { input: { relationshipId: 'emp-1', prong: 'NOT_FORCED', evidence: ['EV-A'], itemIds: ['P1'] } })).proposeRebuttal;
    expect(rb1).toMatchObject({ status: 'PROPOSED', proposedBy: 'ian.investigator', itemIds: ['P1'] });
    for (const who of [iris, ian]) {
      const r = await who.post(DECIDE, { id: rb1.id, decision: 'ACCEPTED' });
      expect(r.errors?.map((e) => e.extensions.code)).toEqual(['FORBIDDEN']);
    }
    const rb2 = (await adam.ok(PROPOSE, { input: { relationshipId: 'emp-1', prong: 'NOT_PRESENT', evidence: ['EV-B'] } })).proposeRebuttal;
    expect(rb2.proposedBy).toBe('adam.admin');
    const own = await adam.post(DECIDE, { id: rb2.id, decision: 'ACCEPTED' });
    expect(own.errors?.map((e) => e.extensions.code)).toEqual(['FORBIDDEN']);
    // nothing decided yet: both paths open
    const counts = async () => (await adam.ok('{ p1: trace(itemId: "P1") { pathCount openPathCount } p2: trace(itemId: "P2") { pathCount openPathCount } }'));
    expect(await counts()).toEqual({ p1: { pathCount: '1', openPathCount: '1' }, p2: { pathCount: '1', openPathCount: '1' } });

    const rejected = (await alma.ok(DECIDE, { id: rb2.id, decision: 'REJECTED', note: 'audit predates the cohort' })).decideRebuttal;
    expect(rejected).toMatchObject({ status: 'REJECTED', proposedBy: 'adam.admin', decidedBy: 'alma.admin' });
    expect(await counts()).toEqual({ p1: { pathCount: '1', openPathCount: '1' }, p2: { pathCount: '1', openPathCount: '1' } });
    const accepted = (await adam.ok(DECIDE, { id: rb1.id, decision: 'ACCEPTED' })).decideRebuttal;
    expect(accepted).toMatchObject({ status: 'ACCEPTED', proposedBy: 'ian.investigator', decidedBy: 'adam.admin' });
    // rb1 holds for paths to P1 only
    expect(await counts()).toEqual({ p1: { pathCount: '1', openPathCount: '0' }, p2: { pathCount: '1', openPathCount: '1' } });
    // a decided rebuttal cannot be decided again
    const again = await alma.post(DECIDE, { id: rb1.id, decision: 'REJECTED' });
    expect(again.errors?.map((e) => e.extensions.code)).toEqual(['CONFLICT']);
    // the log: proposals and decisions are change sets of their actors
    const log = (await adam.ok('{ changeSets(first: 4) { edges { node { actor source changes { op entityId kind } } } } }')).changeSets.edges.map((e: any) => e.node);
    expect(log.map((s: any) => [s.actor, s.changes.map((c: any) => [c.op, c.entityId, c.kind])])).toEqual([
      ['adam.admin', [['UPDATE', rb1.id, 'Rebuttal']]],
      ['alma.admin', [['UPDATE', rb2.id, 'Rebuttal']]],
      ['adam.admin', [['ADD', rb2.id, 'Rebuttal']]],
      ['ian.investigator', [['ADD', rb1.id, 'Rebuttal']]],
    ]);
  });

  it('who reads history: viewer not at all; analyst yes, but a worker\'s or an evidence row\'s recorded state only from investigator on', async () => {
    const q = '{ changeSets(first: 30) { edges { node { id changes(first: 30) { kind entityId before after } } } } }';
    const viewer = await srv.api.as(keys['vic.viewer']).post(q);
    expect(viewer.errors?.map((e) => [e.extensions.code, e.path.join('.')])).toEqual([['FORBIDDEN', 'changeSets']]);
    const viewerHistory = await srv.api.as(keys['vic.viewer']).post('{ item(id: "P1") { id version history { id } } }');
    expect(viewerHistory.errors?.map((e) => [e.extensions.code, e.path.join('.')])).toEqual([['FORBIDDEN', 'item.history']]);

    // the analyst may read who changed what, and the states of products, factories, relationships, rebuttals...
    const open = '{ changeSets(first: 30) { totalCount edges { node { changes(first: 30) { kind entityId } } } } }';
    expect((await srv.api.as(keys['ana.analyst']).ok(open)).changeSets.totalCount).toBeLessThan(30);
    const all = (await srv.api.as(keys['ana.analyst']).ok(open)).changeSets.edges.flatMap((e: any) => e.node.changes);
    const personal = all.filter((c: any) => c.kind === 'Worker' || c.kind === 'Evidence');
    expect(personal.length).toBeGreaterThan(0);
    const product = (await srv.api.as(keys['ana.analyst']).ok('{ changeSets(entityId: "P1", first: 10) { edges { node { changes(entityId: "P1", first: 10) { kind after } } } } }')).changeSets.edges;
    expect(JSON.parse(product[product.length - 1].node.changes[0].after)).toMatchObject({ id: 'P1', name: 'Jacket' });
    // ...but a worker's or an evidence row's state is refused at that field, for every such change
    const analyst = await srv.api.as(keys['ana.analyst']).post(q);
    const refused = (analyst.errors ?? []).filter((e) => e.extensions.code === 'FORBIDDEN').map((e) => e.path[e.path.length - 1]);
    expect(refused.length).toBeGreaterThanOrEqual(personal.length); // before and/or after of each personal change
    expect(new Set(refused)).toEqual(new Set(['before', 'after']));
    const w = await srv.api.as(keys['ana.analyst']).post('{ worker(id: "W-KP") { id history { changes(entityId: "W-KP") { op before after } } } }');
    expect(w.errors?.map((e) => e.extensions.code)).toEqual(expect.arrayContaining(['FORBIDDEN']));
    expect(JSON.stringify(w.data ?? {})).not.toContain('"nationality"');
    // an investigator reads them all
    const investigator = await srv.api.as(keys['ian.investigator']).post(q);
    expect(investigator.errors).toBeUndefined();
  });

  it('changeSets pages newest first with cursors, and since keeps the change sets at or after an instant', async () => {
    const admin = srv.api.as(keys['adam.admin']);
    const all = (await admin.ok('{ changeSets(first: 100) { totalCount edges { node { id at } } } }')).changeSets;
    expect(all.edges).toHaveLength(all.totalCount);
    const sets = all.edges.map((e: any) => e.node);
    const paged: any[] = [];
    let after: string | null = null;
    for (;;) {
      const page: any = (await admin.ok('query($after: String) { changeSets(first: 2, after: $after) { totalCount edges { cursor node { id at } } pageInfo { hasNextPage endCursor } } }', { after })).changeSets;
      expect(page.totalCount).toBe(all.totalCount);
      paged.push(...page.edges.map((e: any) => e.node));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(paged).toEqual(sets);
    const since = sets[Math.floor(sets.length / 2)].at;
    const recent = (await admin.ok('query($since: DateTime) { changeSets(since: $since, first: 100) { totalCount edges { node { id at } } } }', { since })).changeSets;
    const want = sets.filter((s: any) => Date.parse(s.at) >= Date.parse(since));
    expect({ total: recent.totalCount, sets: recent.edges.map((e: any) => e.node) }).toEqual({ total: want.length, sets: want });
  });

  it('replace needs admin: an investigator is FORBIDDEN and nothing is written; an admin replaces the graph, retiring the rest', async () => {
    const admin = srv.api.as(keys['adam.admin']);
    const input = {
      reason: 'the audited dataset is the whole truth', replace: true,
      products: [{ id: 'P1', name: 'Jacket' }], factories: [{ id: 'F1', name: 'Plant', country: 'CN' }],
      production: [{ itemId: 'P1', factoryId: 'F1' }],
    };
    const before = { files: await exportFiles(client), changeSets: await changeSetTotal(admin) };
    const r = await srv.api.as(keys['ian.investigator']).post(APPLY, { input });
    expect(r.errors?.map((e) => e.extensions.code)).toEqual(['FORBIDDEN']);
    expect({ files: await exportFiles(client), changeSets: await changeSetTotal(admin) }).toEqual(before);

    const set = (await admin.ok(APPLY, { input })).applyChanges;
    expect(set.actor).toBe('adam.admin');
    // retired: what the input does not have (P2, W-KP, W-IAN, the evidence) and every relationship it does not have
    const retired = set.changes.filter((c: any) => c.op === 'RETIRE').map((c: any) => c.entityId).sort();
    expect(retired).toEqual(expect.arrayContaining(['EV-A', 'EV-B', 'P2', 'W-IAN', 'W-KP', 'emp-1']));
    expect(retired).not.toContain('P1');
    expect(retired).not.toContain('F1');
    expect(set.changes.filter((c: any) => c.op !== 'RETIRE')).toEqual([]); // P1, F1 and their production are unchanged
    const items = (await admin.ok('{ items(first: 10) { edges { node { id } } } workers(first: 10) { totalCount } }'));
    expect(items.items.edges.map((e: any) => e.node.id)).toEqual(['P1']);
    expect(items.workers.totalCount).toBe(0);
    expect((await admin.ok('{ trace(itemId: "P1") { exposure pathCount } }')).trace).toEqual({ exposure: 'NONE', pathCount: '0' });
  });
});

describe('imports are change sets', () => {
  const run = promisify(execFile);
  const BIN = path.join(__dirname, '..', '..', 'bin', 'labortrace.js');
  const env = {
    ...process.env,
    NEO4J_URI: process.env.LABORTRACE_TEST_NEO4J_URI!,
    NEO4J_USER: process.env.LABORTRACE_TEST_NEO4J_USER ?? 'neo4j',
    NEO4J_PASSWORD: process.env.LABORTRACE_TEST_NEO4J_PASSWORD ?? '',
  };
  /** CLEAN plus a KP cohort whose employment row carries a rebuttal column. */
  const withCohort = (headcount: number) => ({
    ...CLEAN,
    'workers.csv': csv('id,nationality,name,headcount', `W-LOCAL,CN,Local sewing staff,${headcount}`, 'W-KP,KP,DPRK cohort,'),
    'employment.csv': csv('worker_id,factory_id,from,to,rebuttal', 'W-LOCAL,F-CLEAN,2015-01-01,,', 'W-KP,F-CLEAN,2023-01,2023-06,EV-AUDIT'),
  });
  let srv: TestServer;
  beforeAll(async () => {
    await resetGraph(client);
    srv = await startLocal(client);
  });
  afterAll(() => srv.stop());

  const latest = async () => (await srv.api.ok(`{ changeSets(first: 1) { totalCount edges { node { ${CHANGE_SET_FIELDS} } } } }`)).changeSets;

  it('importDataset with meta records actor, reason and source "import"; the same dataset again records 0 changes', async () => {
    const dataset = (await readDataset(datasetDir(withCohort(200))));
    if (!dataset.ok) throw new Error('invalid');
    await importDataset(client, dataset.dataset, { meta: { actor: 'alice', reason: 'initial load', source: 'import' } });
    const first = await latest();
    expect(first.totalCount).toBe(1);
    const set = first.edges[0].node;
    expect(set).toMatchObject({ actor: 'alice', reason: 'initial load', source: 'import' });
    // 6 nodes (2 evidence, 1 product, 1 factory, 2 workers), 3 relationships (2 employment, 1 production), and the
    // employment row's rebuttal column: one accepted rebuttal
    expect(set.changeCount).toBe(10);
    expect(set.changes).toHaveLength(10);
    expect(set.changes.every((c: any) => c.op === 'ADD' && c.version === 1 && c.before === null)).toBe(true);
    const kinds = set.changes.map((c: any) => c.kind).sort();
    expect(kinds).toEqual(['EMPLOYED_AT', 'EMPLOYED_AT', 'Evidence', 'Evidence', 'Factory', 'PRODUCED', 'Product', 'Rebuttal', 'Worker', 'Worker']);
    const kp = JSON.parse(set.changes.find((c: any) => c.entityId === 'W-KP').after);
    expect(kp).toMatchObject({ kind: 'Worker', id: 'W-KP', nationality: 'KP', name: 'DPRK cohort' });
    expect(kp).not.toHaveProperty('headcount'); // empty = unknown, never 1
    const rebuttal = (await srv.api.ok('{ trace(itemId: "P-CLEAN") { pathCount openPathCount paths { edges { node { relationships { type rebuttals { status proposedBy decidedBy origin } } } } } } }')).trace;
    expect({ pathCount: rebuttal.pathCount, openPathCount: rebuttal.openPathCount }).toEqual({ pathCount: '1', openPathCount: '0' });
    const emp = rebuttal.paths.edges[0].node.relationships.find((r: any) => r.type === 'EMPLOYED_AT');
    expect(emp.rebuttals).toEqual([{ status: 'ACCEPTED', proposedBy: 'alice', decidedBy: 'alice', origin: 'import' }]);

    const files = await exportFiles(client);
    await importDataset(client, dataset.dataset, { meta: { actor: 'alice', reason: 'same again', source: 'import' } });
    const again = await latest();
    expect(again.totalCount).toBe(2);
    expect(again.edges[0].node).toMatchObject({ actor: 'alice', reason: 'same again', source: 'import', changeCount: 0, changes: [] });
    expect(await exportFiles(client)).toEqual(files);
  });

  it('labortrace import --actor/--reason, and without them the OS user and "import <dir>"; history lists import and API change sets with before/after', async () => {
    const changed = datasetDir(withCohort(250));
    const cli = await run('node', [BIN, 'import', '--actor', 'bob', '--reason', 'quarterly refresh', changed], { env, timeout: 60_000 });
    expect(cli.stderr).not.toMatch(/error/i);
    const bob = (await latest()).edges[0].node;
    expect(bob).toMatchObject({ actor: 'bob', reason: 'quarterly refresh', source: 'import', changeCount: 1 });
    expect(bob.changes.map((c: any) => [c.op, c.entityId, c.version])).toEqual([['UPDATE', 'W-LOCAL', 2]]);
    expect(JSON.parse(bob.changes[0].before).headcount).toBe(200);
    expect(JSON.parse(bob.changes[0].after).headcount).toBe(250);

    const original = datasetDir(withCohort(200));
    await run('node', [BIN, 'import', original], { env, timeout: 60_000 });
    const os = (await latest()).edges[0].node;
    expect(os).toMatchObject({ actor: userInfo().username, reason: `import ${original}`, source: 'import', changeCount: 1 });

    const api = (await srv.api.ok(APPLY, {
      input: { reason: 'headcount from the payroll', workers: [{ id: 'W-LOCAL', nationality: 'CN', name: 'Local sewing staff', headcount: 210, expectedVersion: 3 }] },
    })).applyChanges;
    expect(api).toMatchObject({ actor: 'local', source: 'api', changeCount: 1 });

    const worker = (await srv.api.ok(`{ worker(id: "W-LOCAL") { version headcount history { actor source reason changes(entityId: "W-LOCAL") { op before after version } } } }`)).worker;
    expect({ version: worker.version, headcount: worker.headcount }).toEqual({ version: 4, headcount: 210 });
    expect(worker.history.map((s: any) => [s.actor, s.source])).toEqual([['alice', 'import'], ['bob', 'import'], [userInfo().username, 'import'], ['local', 'api']]);
    const headcounts = worker.history.map((s: any) => s.changes.map((c: any) => [c.op, c.version, c.before && JSON.parse(c.before).headcount, JSON.parse(c.after).headcount]));
    expect(headcounts).toEqual([[['ADD', 1, null, 200]], [['UPDATE', 2, 200, 250]], [['UPDATE', 3, 250, 200]], [['UPDATE', 4, 200, 210]]]);
    // changeSets(entityId) lists the same, newest first; the 0-change re-import is not among them
    const byEntity = (await srv.api.ok('{ changeSets(entityId: "W-LOCAL") { totalCount edges { node { actor } } } }')).changeSets;
    expect(byEntity.totalCount).toBe(4);
    expect(byEntity.edges.map((e: any) => e.node.actor)).toEqual(['local', userInfo().username, 'bob', 'alice']);
  });

  it('the demo dataset imported twice, and its export imported back, record 0 changes', async () => {
    await resetGraph(client);
    const seed = await readDataset(path.join(__dirname, '..', '..', 'seed'));
    if (!seed.ok) throw new Error('invalid seed');
    const first = await importDataset(client, seed.dataset);
    expect(first.changeCount).toBeGreaterThan(seed.dataset.nodes.length);
    expect((await importDataset(client, seed.dataset)).changeCount).toBe(0);
    const out = mkdtempSync(path.join(tmpdir(), 'labortrace-changes-seed-'));
    await exportDataset(client, out, { force: true });
    const exported = await readDataset(out);
    if (!exported.ok) throw new Error('invalid export');
    expect((await importDataset(client, exported.dataset)).changeCount).toBe(0);
  });
});

describe('scoped and unscoped rebuttals, reviewed', () => {
  let srv: TestServer;
  beforeAll(async () => {
    await resetGraph(client);
    // W-KP > F1 > C-SHARED, a component of both A and B: one labor edge on the paths to A, to B and to C-SHARED
    await importDir(client, datasetDir({
      'evidence.csv': csv('id,title,kind', 'EV-A,Buyer A audit,audit', 'EV-X,Anonymous tip,media report'),
      'products.csv': csv('id,name', 'A,Product A', 'B,Product B'),
      'components.csv': csv('id,name', 'C-SHARED,Shared part'),
      'bom.csv': csv('parent_id,child_id', 'A,C-SHARED', 'B,C-SHARED'),
      'factories.csv': csv('id,name,country', 'F1,Plant,CN'),
      'workers.csv': csv('id,nationality', 'W-KP,KP'),
      'employment.csv': csv('id,worker_id,factory_id,from,to', 'emp-1,W-KP,F1,2020-01-01,'),
      'production.csv': csv('item_id,factory_id,from,to', 'C-SHARED,F1,,'),
    }));
    srv = await startLocal(client);
  });
  afterAll(() => srv.stop());

  const counts = async (knownAt?: string) => {
    const q = `query($k: DateTime) { a: trace(itemId: "A", knownAt: $k) { pathCount openPathCount paths { edges { node { rebutted } } } }
      b: trace(itemId: "B", knownAt: $k) { pathCount openPathCount paths { edges { node { rebutted } } } }
      c: trace(itemId: "C-SHARED", knownAt: $k) { pathCount openPathCount } }`;
    const d = await srv.api.ok(q, { k: knownAt });
    return {
      a: [d.a.pathCount, d.a.openPathCount, d.a.paths.edges.map((e: any) => e.node.rebutted)],
      b: [d.b.pathCount, d.b.openPathCount, d.b.paths.edges.map((e: any) => e.node.rebutted)],
      c: [d.c.pathCount, d.c.openPathCount],
    };
  };
  const open = { a: ['1', '1', [false]], b: ['1', '1', [false]], c: ['1', '1'] };

  it('accepted with itemIds [A]: A\'s path is rebutted, B\'s (same labor edge) and the component\'s are not; proposed and rejected ones count nowhere', async () => {
    expect(await counts()).toEqual(open);
    // an unscoped proposal left undecided, and an unscoped one rejected: nothing changes
    const pending = (await srv.api.ok(PROPOSE, { input: { relationshipId: 'emp-1', prong: 'NOT_FORCED', evidence: ['EV-X'] } })).proposeRebuttal;
    const toReject = (await srv.api.ok(PROPOSE, { input: { relationshipId: 'emp-1', prong: 'NOT_PRESENT', evidence: ['EV-X'] } })).proposeRebuttal;
    await srv.api.ok(DECIDE, { id: toReject.id, decision: 'REJECTED' });
    expect(await counts()).toEqual(open);
    // local mode: the proposer (local) may decide
    const scoped = (await srv.api.ok(PROPOSE, { input: { relationshipId: 'emp-1', prong: 'NOT_PRESENT', evidence: ['EV-A'], itemIds: ['A'] } })).proposeRebuttal;
    expect(scoped).toMatchObject({ status: 'PROPOSED', itemIds: ['A'], proposedBy: 'local' });
    expect(await counts()).toEqual(open);
    const accepted = (await srv.api.ok(DECIDE, { id: scoped.id, decision: 'ACCEPTED' })).decideRebuttal;
    expect(accepted).toMatchObject({ status: 'ACCEPTED', decidedBy: 'local' });
    const scopedOnly = { a: ['1', '0', [true]], b: ['1', '1', [false]], c: ['1', '1'] };
    expect(await counts()).toEqual(scopedOnly);
    // the relationship itself is not rebutted for every path
    const emp = (await srv.api.ok('{ factory(id: "F1") { workers { id rebutted rebuttals { id status itemIds } } } }')).factory.workers[0];
    expect(emp.rebutted).toBe(false);
    expect(emp.rebuttals.map((r: any) => [r.id, r.status, r.itemIds]).sort()).toEqual(
      [[pending.id, 'PROPOSED', null], [toReject.id, 'REJECTED', null], [scoped.id, 'ACCEPTED', ['A']]].sort(),
    );
    // accepting the pending unscoped one rebuts every path
    const all = (await srv.api.ok(DECIDE, { id: pending.id, decision: 'ACCEPTED' })).decideRebuttal;
    expect(await counts()).toEqual({ a: ['1', '0', [true]], b: ['1', '0', [true]], c: ['1', '0'] });
    // knownAt: before the scoped acceptance, at it, and at the unscoped one
    expect(await counts(justBefore(accepted.decidedAt))).toEqual(open);
    expect(await counts(accepted.decidedAt)).toEqual(scopedOnly);
    expect(await counts(justBefore(all.decidedAt))).toEqual(scopedOnly);
  });

  it('a rebuttal needs a labor relationship, evidence, and items that are items', async () => {
    const prod = (await srv.api.ok('{ item(id: "C-SHARED") { madeAt { id } } }')).item.madeAt[0].id;
    const cases: [Record<string, unknown>, string][] = [
      [{ relationshipId: prod, prong: 'NOT_PRESENT', evidence: ['EV-A'] }, 'input.relationshipId'],
      [{ relationshipId: 'nope', prong: 'NOT_PRESENT', evidence: ['EV-A'] }, 'input.relationshipId'],
      [{ relationshipId: 'emp-1', prong: 'NOT_PRESENT', evidence: [] }, 'input.evidence'],
      [{ relationshipId: 'emp-1', prong: 'NOT_PRESENT', evidence: ['EV-A', 'F1'] }, 'input.evidence[1]'],
      [{ relationshipId: 'emp-1', prong: 'NOT_PRESENT', evidence: ['EV-A'], itemIds: ['F1'] }, 'input.itemIds[0]'],
    ];
    const total = await changeSetTotal(srv.api);
    for (const [input, field] of cases) {
      const errors = await srv.api.refused(PROPOSE, { input });
      expect({ input, code: errors[0].extensions.code, field: errors[0].extensions.field }).toEqual({ input, code: 'BAD_USER_INPUT', field });
    }
    expect(await changeSetTotal(srv.api)).toBe(total);
  });
});

describe('retiring', () => {
  let srv: TestServer;
  beforeAll(async () => {
    await resetGraph(client);
    // P1: F-KP > P1 (1 path). P2: F-KP > P2 and W-KP > F-CN > P2 (2 paths).
    await importDir(client, datasetDir({
      'products.csv': csv('id,name', 'P1,One', 'P2,Two'),
      'factories.csv': csv('id,name,country', 'F-KP,Plant in the DPRK,KP', 'F-CN,Plant,CN'),
      'workers.csv': csv('id,nationality', 'W-KP,KP'),
      'employment.csv': csv('id,worker_id,factory_id,from,to', 'emp-1,W-KP,F-CN,,'),
      'production.csv': csv('id,item_id,factory_id,from,to', 'prod-1,P1,F-KP,,', 'prod-2,P2,F-KP,,', 'prod-3,P2,F-CN,,'),
    }));
    srv = await startLocal(client);
  });
  afterAll(() => srv.stop());

  const both = async (knownAt?: string) => {
    const d = await srv.api.ok(`query($k: DateTime) { p2: trace(itemId: "P2", knownAt: $k) { exposure pathCount }
      screen(knownAt: $k) { edges { node { item { id } pathCount } } } }`, { k: knownAt });
    return { p2: d.p2, screen: d.screen.edges.map((e: any) => [e.node.item.id, e.node.pathCount]) };
  };

  it('a retired node and its relationships leave the present (trace, screen, item queries) and stay at earlier knownAt', async () => {
    const before = { p2: { exposure: 'DIRECT', pathCount: '2' }, screen: [['P1', '1'], ['P2', '2']] };
    expect(await both()).toEqual(before);
    const v = (await srv.api.ok('{ factory(id: "F-KP") { version } }')).factory.version;
    const retired = (await srv.api.ok(APPLY, { input: { reason: 'the DPRK plant was a mistranslation', retire: ['F-KP'] } })).applyChanges;
    // the node and both its relationships, each at its version + 1, with no state after
    expect(retired.changes.map((c: any) => [c.op, c.entityId, c.kind, c.after]).sort()).toEqual([
      ['RETIRE', 'F-KP', 'Factory', null], ['RETIRE', 'prod-1', 'PRODUCED', null], ['RETIRE', 'prod-2', 'PRODUCED', null],
    ]);
    expect(retired.changes.find((c: any) => c.entityId === 'F-KP').version).toBe(v + 1);
    expect(JSON.parse(retired.changes.find((c: any) => c.entityId === 'F-KP').before)).toMatchObject({ id: 'F-KP', country: 'KP' });
    const after = { p2: { exposure: 'DIRECT', pathCount: '1' }, screen: [['P2', '1']] };
    expect(await both()).toEqual(after);
    expect((await srv.api.ok('{ factory(id: "F-KP") { id } item(id: "P1") { madeAt { id } } factories { edges { node { id } } } }'))).toEqual({
      factory: null, item: { madeAt: [] }, factories: { edges: [{ node: { id: 'F-CN' } }] },
    });
    expect((await srv.api.ok('{ trace(itemId: "P1") { exposure pathCount } }')).trace).toEqual({ exposure: 'NONE', pathCount: '0' });
    // knownAt before the retirement: as before
    expect(await both(justBefore(retired.at))).toEqual(before);
    expect(await both(retired.at)).toEqual(after);
    const impact = (await srv.api.ok('query($k: DateTime) { impact(nodeId: "F-KP", knownAt: $k) { products { item { id } } } }', { k: justBefore(retired.at) })).impact;
    expect(impact.products.map((r: any) => r.item.id).sort()).toEqual(['P1', 'P2']);

    // retiring a product: gone from item queries and trace now, there before
    const p1 = (await srv.api.ok(APPLY, { input: { reason: 'discontinued', retire: ['P1'] } })).applyChanges;
    expect((await srv.api.ok('{ item(id: "P1") { id } items { edges { node { id } } } }'))).toEqual({ item: null, items: { edges: [{ node: { id: 'P2' } }] } });
    expect((await srv.api.refused(TRACE_COUNTS, { id: 'P1' }))[0].extensions.code).toBe('NOT_FOUND');
    expect((await srv.api.ok(TRACE_COUNTS, { id: 'P1', knownAt: justBefore(retired.at) })).trace).toMatchObject({ exposure: 'DIRECT', pathCount: '1' });
    expect((await srv.api.ok(TRACE_COUNTS, { id: 'P1', knownAt: justBefore(p1.at) })).trace).toMatchObject({ exposure: 'NONE', pathCount: '0' });

    // added again: a new node, without the relationships retired with it; its version continues after the retirement
    const readded = (await srv.api.ok(APPLY, { input: { reason: 'the plant exists after all', factories: [{ id: 'F-KP', name: 'Plant in the DPRK', country: 'KP' }] } })).applyChanges;
    expect(readded.changes.map((c: any) => [c.op, c.entityId, c.version, c.before])).toEqual([['ADD', 'F-KP', v + 2, null]]);
    const f = (await srv.api.ok('{ factory(id: "F-KP") { version produces { id } history { id } } }')).factory;
    expect(f).toEqual({ version: v + 2, produces: [], history: [expect.anything(), { id: retired.id }, { id: readded.id }] });
    expect((await both()).p2).toEqual({ exposure: 'DIRECT', pathCount: '1' });
  });

  it('screen and impact at a knownAt before a retirement and a rename show the items as recorded then (fields below read at the same knownAt)', async () => {
    // (continues the test above: F-KP, then P1 were retired) before F-KP's retirement: P1 (1 path) and P2 (2 paths)
    const fkp = (await srv.api.ok('{ changeSets(entityId: "F-KP") { edges { node { at changes(entityId: "F-KP") { op } } } } }')).changeSets.edges;
    const k = justBefore(fkp.find((e: any) => e.node.changes[0].op === 'RETIRE').node.at);
    await srv.api.ok(APPLY, { input: { reason: 'rename', products: [{ id: 'P2', name: 'Two (renamed)' }] } });
    const q = `query($k: DateTime) {
      screen(knownAt: $k) { edges { node { item { id name } pathCount } } }
      impact(nodeId: "F-KP", knownAt: $k) { products { item { id name } } }
      trace(itemId: "P2", knownAt: $k) { item { id name } pathCount } }`;
    const r = await srv.api.post(q, { k });
    const byId = (list: any[]) => [...list].sort((a, b) => (a.item.id < b.item.id ? -1 : 1));
    const data = r.data && { ...r.data, impact: r.data.impact && { products: byId(r.data.impact.products) } };
    expect({ errors: r.errors?.map((e) => [e.extensions.code, e.path.join('.')]) ?? [], data }).toEqual({
      errors: [],
      data: {
        screen: { edges: [{ node: { item: { id: 'P1', name: 'One' }, pathCount: '1' } }, { node: { item: { id: 'P2', name: 'Two' }, pathCount: '2' } }] },
        impact: { products: [{ item: { id: 'P1', name: 'One' } }, { item: { id: 'P2', name: 'Two' } }] },
        trace: { item: { id: 'P2', name: 'Two' }, pathCount: '2' },
      },
    });
  });

  it('the entity queries take knownAt too (CHANGES.md, "Knowledge time"): a retired factory is there before its retirement', async () => {
    const log = (await srv.api.ok('{ changeSets(entityId: "prod-1") { edges { node { at changes(entityId: "prod-1") { op } } } } }')).changeSets.edges;
    const retiredAt = log.find((e: any) => e.node.changes[0].op === 'RETIRE').node.at;
    const r = await srv.api.post('query($k: DateTime) { factory(id: "F-KP", knownAt: $k) { id produces { id } } }', { k: justBefore(retiredAt) });
    expect(r.errors).toBeUndefined();
    expect(r.data.factory).toEqual({ id: 'F-KP', produces: [{ id: 'prod-1' }, { id: 'prod-2' }] });
  });
});

describe('versions of an entity corrected by retire + add of the same id in one change set', () => {
  let srv: TestServer;
  beforeAll(async () => {
    await resetGraph(client); // a fresh log: nothing was ever retired
    await importDir(client, datasetDir({
      'factories.csv': csv('id,name,country', 'F1,Plant,CN'),
      'workers.csv': csv('id,nationality', 'W-KP,KP'),
      'employment.csv': csv('id,worker_id,factory_id,from,to', 'emp-x,W-KP,F1,2020-01-01,2020-12-31'),
    }));
    srv = await startLocal(client);
  });
  afterAll(() => srv.stop());

  it('one more change set changed it: its version goes up by one, it appears once in the history, and a client holding the old version gets CONFLICT', async () => {
    const read = async () => (await srv.api.ok('{ factory(id: "F1") { workers { id from to version history { id } } } }')).factory.workers[0];
    const v1 = await read();
    expect(v1).toMatchObject({ id: 'emp-x', version: 1 });
    const set = (await srv.api.ok(APPLY, {
      input: { reason: 'correct the interval', retire: ['emp-x'], employment: [{ id: 'emp-x', workerId: 'W-KP', factoryId: 'F1', from: '2021-01-01', to: '2021-12-31' }] },
    })).applyChanges;
    const v2 = await read();
    // whoever read version 1 before the correction must not overwrite it silently
    const stale = await srv.api.post(APPLY, {
      input: { reason: 'stale edit', employment: [{ id: 'emp-x', workerId: 'W-KP', factoryId: 'F1', from: '2020-01-01', to: '2020-06-30', expectedVersion: v1.version }] },
    });
    // all at once, so that a failure shows every symptom: two change sets changed emp-x (the import and the
    // correction), so its version is 2 and its history lists two change sets, each once
    expect({
      interval: [v2.from, v2.to],
      version: v2.version,
      history: v2.history.map((h: any) => h.id),
      staleEdit: stale.errors?.map((e) => e.extensions.code) ?? 'accepted',
    }).toEqual({
      interval: ['2021-01-01', '2021-12-31'],
      version: 2,
      history: [v1.history[0].id, set.id],
      staleEdit: ['CONFLICT'],
    });
  });

  it('the same correction after a retirement elsewhere in the store: version 2 there too (the version must not depend on unrelated retirements)', async () => {
    await srv.api.ok(APPLY, {
      input: { reason: 'setup', workers: [{ id: 'W-OTHER', nationality: 'CN' }], employment: [{ id: 'emp-y', workerId: 'W-KP', factoryId: 'F1', from: '2018-01-01', to: '2018-12-31' }] },
    });
    await srv.api.ok(APPLY, { input: { reason: 'an unrelated retirement', retire: ['W-OTHER'] } });
    await srv.api.ok(APPLY, {
      input: { reason: 'correct the interval', retire: ['emp-y'], employment: [{ id: 'emp-y', workerId: 'W-KP', factoryId: 'F1', from: '2019-01-01', to: '2019-12-31' }] },
    });
    const emp = (await srv.api.ok('{ factory(id: "F1") { workers { id version } } }')).factory.workers.find((w: any) => w.id === 'emp-y');
    expect(emp).toEqual({ id: 'emp-y', version: 2 });
  });
});

describe('knowledge time is repeatable', () => {
  let srv: TestServer;
  beforeAll(async () => {
    await resetGraph(client);
    await importDir(client, datasetDir(CLEAN));
    srv = await startLocal(client);
  });
  afterAll(() => srv.stop());

  it('an answer given for knownAt = T never changes later: a change set still being written at T is not "recorded at T"', async () => {
    // a large change set (a few seconds to write) that makes P-CLEAN DIRECT; while it is being written, ask what was
    // known "now", again and again
    const n = 1000;
    const input = {
      reason: 'a large survey',
      workers: [{ id: 'W-KP', nationality: 'KP' }, ...Array.from({ length: n }, (_, i) => ({ id: `W-S${i}`, nationality: 'CN' }))],
      employment: [{ workerId: 'W-KP', factoryId: 'F-CLEAN' }, ...Array.from({ length: n }, (_, i) => ({ workerId: `W-S${i}`, factoryId: 'F-CLEAN' }))],
    };
    let done = false;
    const write = srv.api.post(APPLY, { input }).finally(() => { done = true; });
    const probes: { knownAt: string; exposure: string }[] = [];
    while (!done) {
      const knownAt = new Date().toISOString();
      const r = await srv.api.post(TRACE_COUNTS, { id: 'P-CLEAN', knownAt });
      if (!done && !r.errors) probes.push({ knownAt, exposure: r.data.trace.exposure });
      await new Promise((res) => setTimeout(res, 50));
    }
    const written = await write;
    expect(written.errors).toBeUndefined();
    const set = written.data.applyChanges;
    expect(set.changeCount).toBe(2 * n + 2);
    expect((await traceOf(srv.api, 'P-CLEAN')).exposure).toBe('DIRECT');
    // every probe answered before the change set committed; asked again now, each must answer the same
    const again = [];
    for (const p of probes) again.push({ knownAt: p.knownAt, exposure: (await traceOf(srv.api, 'P-CLEAN', { knownAt: p.knownAt })).exposure });
    const changed = again.filter((a, i) => a.exposure !== probes[i].exposure);
    expect({ at: set.at, probes: probes.length, changed: changed.length, first: changed[0] ?? null }).toEqual({ at: set.at, probes: probes.length, changed: 0, first: null });
  });
});
