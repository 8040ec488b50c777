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
