import type { Neo4jClient } from '../../src/db/neo4j-client';
import { relationshipId, relationshipKey } from '../../src/model/graph-model';
import {
  APPLY, Api, DECIDE, PROPOSE, TRACE_COUNTS, changeSetTotal, createKeys, exportFiles, justBefore, startLocal, startWithKeys, type TestServer,
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

describe('the README walk-through: an investigator records a cohort, corrects it, rebuts it; knownAt gives every earlier answer back', () => {
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
