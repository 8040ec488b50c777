import fc from 'fast-check';
import type { Neo4jClient } from '../../src/db/neo4j-client';
import { relationshipId, relationshipKey, type RelType } from '../../src/model/graph-model';
import { bruteForce } from '../helpers/brute-force';
import { APPLY, DECIDE, PROPOSE, startLocal, type Api, type TestServer } from '../helpers/change-sets';
import { resetGraph, testClient } from '../helpers/neo4j';
import { asOfArb, datasetArb, resolveFrom, resolveTo, type GenDataset, type GenRow, type ScopedRebuttal } from '../helpers/random-dataset';

/**
 * CHANGES.md, "Knowledge time", as a property: a random sequence of change sets applied through the GraphQL API
 * (a random dataset first, then adds, updates such as a worker's nationality or an agency's DPRK link flipping,
 * retirements of nodes and relationships, corrections as retire + add in one set, in-place corrections of
 * relationships with their own id, the rebuttal column switched on and off, rebuttal proposals and decisions, some
 * scoped to items). The test keeps its own model: the dataset the first k change sets describe, as plain objects
 * updated from the test's own inputs, and the rebuttals with their status. After every change set, trace (and
 * screen) without knownAt must equal the brute-force enumerator (test/helpers/brute-force.ts) on the model; at the
 * end, with knownAt = the k-th change set's `at`, they must equal it on the model after k sets, in a random order
 * (the recorded graphs are cached four at a time). One server serves every run, so its snapshot and caches also
 * have to notice that the store was wiped between runs.
 *
 * LABORTRACE_PROPERTY_RUNS scales the runs like the other property tests: a tenth of it (10 by default).
 */
const RUNS = Math.max(1, Math.round(Number(process.env.LABORTRACE_PROPERTY_RUNS ?? 100) / 10));

type NodeKind = 'Worker' | 'LaborAgency' | 'Factory' | 'Company' | 'Product' | 'Component';
interface MNode { id: string; kind: NodeKind; nationality?: string; country?: string; dprkLinked?: boolean; operator?: string | null }
interface MRow {
  id: string;
  /** the row gives its own id (in-place corrections possible); else the id is derived from the key */
  explicit: boolean;
  type: RelType;
  source: string;
  target: string;
  rawFrom: string | null;
  rawTo: string | null;
  placement: string | null;
  /** the labor row's `rebuttal` column names the evidence EV: an accepted rebuttal for every path */
  column: boolean;
}
interface MRebuttal { id: string; relId: string; itemIds: string[] | null; status: 'PROPOSED' | 'ACCEPTED' | 'REJECTED' }

const LABOR = new Set<RelType>(['EMPLOYED_AT', 'RECRUITED_BY', 'DISPATCHES_TO', 'SUPPLIES_LABOR_TO']);
const UNTIMED = new Set<RelType>(['COMPONENT_OF', 'OPERATES']);
const keyOf = (r: MRow) => relationshipKey(r.type, r.source, r.target, resolveFrom(r.rawFrom), resolveTo(r.rawTo), r.placement);

class Model {
  nodes = new Map<string, MNode>();
  rows = new Map<string, MRow>();
  rebuttals = new Map<string, MRebuttal>();

  clone(): Model {
    const m = new Model();
    for (const [k, v] of this.nodes) m.nodes.set(k, { ...v });
    for (const [k, v] of this.rows) m.rows.set(k, { ...v });
    for (const [k, v] of this.rebuttals) m.rebuttals.set(k, { ...v, itemIds: v.itemIds && [...v.itemIds] });
    return m;
  }

  of(...kinds: NodeKind[]): MNode[] {
    return [...this.nodes.values()].filter((n) => kinds.includes(n.kind)).sort((a, b) => (a.id < b.id ? -1 : 1));
  }

  sortedRows(filter: (r: MRow) => boolean = () => true): MRow[] {
    return [...this.rows.values()].filter(filter).sort((a, b) => (a.id < b.id ? -1 : 1));
  }

  hasKey(key: string, except?: string): boolean {
    return [...this.rows.values()].some((r) => r.id !== except && keyOf(r) === key);
  }

  /** A retired relationship takes its rebuttals with it (README, "Retire and correct"). */
  removeRow(id: string): void {
    const row = this.rows.get(id)!;
    this.rows.delete(id);
    for (const [bid, b] of this.rebuttals) if (b.relId === id) this.rebuttals.delete(bid);
    if (row.type === 'OPERATES') this.nodes.get(row.target)!.operator = null;
  }

  /** A retired node takes its relationships with it (not the recruitment rows that only name it as placement). */
  removeNode(id: string): void {
    for (const r of [...this.rows.values()]) if (r.source === id || r.target === id) this.removeRow(r.id);
    this.nodes.delete(id);
  }

  /** What the brute-force enumerator reads. */
  dataset(): GenDataset {
    const accepted = [...this.rebuttals.values()].filter((b) => b.status === 'ACCEPTED');
    const rows: GenRow[] = this.sortedRows().map((r) => ({
      type: r.type, source: r.source, target: r.target, rawFrom: r.rawFrom, rawTo: r.rawTo,
      from: resolveFrom(r.rawFrom), to: resolveTo(r.rawTo), placement: r.placement, key: keyOf(r),
      rebutted: LABOR.has(r.type) && (r.column || accepted.some((b) => b.relId === r.id && b.itemIds === null)),
    }));
    const scopedRebuttals: ScopedRebuttal[] = accepted.filter((b) => b.itemIds !== null)
      .map((b) => ({ id: b.id, rowKey: keyOf(this.rows.get(b.relId)!), rowId: b.relId, itemIds: b.itemIds! }));
    return {
      workers: this.of('Worker').map((n) => ({ id: n.id, nationality: n.nationality! })),
      agencies: this.of('LaborAgency').map((n) => ({ id: n.id, country: n.country!, dprkLinked: n.dprkLinked! })),
      factories: this.of('Factory').map((n) => ({ id: n.id, country: n.country! })),
      companies: this.of('Company').map((n) => ({ id: n.id })),
      items: this.of('Product', 'Component').map((n) => ({ id: n.id, product: n.kind === 'Product' })),
      rows,
      scopedRebuttals,
    };
  }
}

// ---- the change sets, abstractly (indices resolved against the model when the set is built) ----

const DATES = ['2012', '2012-02', '2012-02-29', '2012-03-01', '2012-12-31', '2013', '2013-01', '2013-06-30', '2013-07-01', '2014'];
type RawInterval = [string | null, string | null];
const intervalArb: fc.Arbitrary<RawInterval> = fc.tuple(fc.option(fc.constantFrom(...DATES), { nil: null, freq: 3 }), fc.option(fc.constantFrom(...DATES), { nil: null, freq: 3 }))
  .map(([a, b]) => {
    const f = resolveFrom(a);
    const t = resolveTo(b);
    return (f !== null && t !== null && f > t ? [b, a] : [a, b]) as RawInterval;
  });

const ROW_KINDS = {
  L1: { type: 'EMPLOYED_AT', from: ['Worker'], to: ['Factory'] },
  L2: { type: 'RECRUITED_BY', from: ['Worker'], to: ['LaborAgency'] },
  L4: { type: 'DISPATCHES_TO', from: ['LaborAgency'], to: ['LaborAgency'] },
  L3: { type: 'SUPPLIES_LABOR_TO', from: ['LaborAgency'], to: ['Factory'] },
  S: { type: 'SUBCONTRACTOR_OF', from: ['Factory'], to: ['Factory'] },
  P: { type: 'PRODUCED', from: ['Factory'], to: ['Product', 'Component'] },
  C2: { type: 'SUPPLIES', from: ['Company'], to: ['Company'] },
  C3: { type: 'SOURCED_FROM', from: ['Company'], to: ['Product', 'Component'] },
} as const satisfies Record<string, { type: RelType; from: NodeKind[]; to: NodeKind[] }>;

type Op =
  | { t: 'addWorker'; kp: boolean; f: number; iv: RawInterval }
  | { t: 'flip'; kind: 'Worker' | 'Factory' | 'LaborAgency'; n: number }
  | { t: 'addRow'; kind: keyof typeof ROW_KINDS; a: number; b: number; placement: number | null; iv: RawInterval; column: boolean; explicit: boolean }
  | { t: 'retireRow'; n: number }
  | { t: 'retireNode'; n: number }
  | { t: 'correct'; n: number; iv: RawInterval }
  | { t: 'inPlace'; n: number; iv: RawInterval }
  | { t: 'toggleColumn'; n: number }
  | { t: 'readd'; n: number };
type Step =
  | { t: 'data'; ops: Op[] }
  /** a proposal on a labor row (mostly one on some path), scoped (mostly to some of the items its paths reach) or
   *  not, and mostly decided at once (a second change set) */
  | { t: 'propose'; n: number; onPath: boolean; scope: number | null; decide: boolean | null }
  | { t: 'decide'; n: number; accept: boolean };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ t: fc.constant('addWorker' as const), kp: fc.boolean(), f: fc.nat(50), iv: intervalArb }),
  fc.record({ t: fc.constant('flip' as const), kind: fc.constantFrom('Worker' as const, 'Factory' as const, 'LaborAgency' as const), n: fc.nat(50) }),
  fc.record({
    t: fc.constant('addRow' as const), kind: fc.constantFrom(...(Object.keys(ROW_KINDS) as (keyof typeof ROW_KINDS)[])),
    a: fc.nat(50), b: fc.nat(50), placement: fc.option(fc.nat(50), { nil: null }), iv: intervalArb, column: fc.nat(3).map((n) => n === 0), explicit: fc.boolean(),
  }),
  fc.record({ t: fc.constant('retireRow' as const), n: fc.nat(100) }),
  fc.record({ t: fc.constant('retireNode' as const), n: fc.nat(100) }),
  fc.record({ t: fc.constant('correct' as const), n: fc.nat(100), iv: intervalArb }),
  fc.record({ t: fc.constant('inPlace' as const), n: fc.nat(100), iv: intervalArb }),
  fc.record({ t: fc.constant('toggleColumn' as const), n: fc.nat(100) }),
  fc.record({ t: fc.constant('readd' as const), n: fc.nat(100) }),
  fc.record({ t: fc.constant('readd' as const), n: fc.nat(100) }),
);

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ t: fc.constant('data' as const), ops: fc.array(opArb, { minLength: 1, maxLength: 3 }) }) },
  {
    weight: 3,
    arbitrary: fc.record({
      t: fc.constant('propose' as const), n: fc.nat(100), onPath: fc.nat(3).map((n) => n > 0),
      scope: fc.option(fc.nat(1000), { nil: null }), decide: fc.option(fc.nat(3).map((n) => n > 0), { nil: null, freq: 4 }),
    }),
  },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('decide' as const), n: fc.nat(100), accept: fc.nat(3).map((n) => n > 0) }) },
);

// ---- building a change set's input from the model ----

const pick = <T>(list: T[], n: number): T | undefined => (list.length === 0 ? undefined : list[n % list.length]);

function nodeInput(n: MNode): [string, Record<string, unknown>] {
  switch (n.kind) {
    case 'Worker': return ['workers', { id: n.id, nationality: n.nationality }];
    case 'LaborAgency': return ['agencies', { id: n.id, name: n.id, country: n.country, dprkLinked: n.dprkLinked }];
    case 'Factory': return ['factories', { id: n.id, name: n.id, country: n.country, ...(n.operator ? { operatorId: n.operator } : {}) }];
    case 'Company': return ['companies', { id: n.id, name: n.id }];
    case 'Product': return ['products', { id: n.id, name: n.id }];
    case 'Component': return ['components', { id: n.id, name: n.id }];
  }
}

function rowInput(r: MRow): [string, Record<string, unknown>] {
  const common: Record<string, unknown> = { ...(r.explicit ? { id: r.id } : {}), ...(UNTIMED.has(r.type) ? {} : { from: r.rawFrom, to: r.rawTo }) };
  const reb = LABOR.has(r.type) && r.column ? { rebuttal: ['EV'] } : {};
  switch (r.type) {
    case 'EMPLOYED_AT': return ['employment', { ...common, workerId: r.source, factoryId: r.target, ...reb }];
    case 'RECRUITED_BY': return ['recruitment', { ...common, workerId: r.source, agencyId: r.target, factoryId: r.placement, ...reb }];
    case 'DISPATCHES_TO': return ['dispatch', { ...common, agencyId: r.source, toAgencyId: r.target, ...reb }];
    case 'SUPPLIES_LABOR_TO': return ['laborSupply', { ...common, agencyId: r.source, factoryId: r.target, ...reb }];
    case 'SUBCONTRACTOR_OF': return ['subcontracts', { ...common, factoryId: r.target, subcontractorId: r.source }];
    case 'PRODUCED': return ['production', { ...common, itemId: r.target, factoryId: r.source }];
    case 'COMPONENT_OF': return ['bom', { ...common, parentId: r.target, childId: r.source }];
    case 'SUPPLIES': return ['supply', { ...common, supplierId: r.source, customerId: r.target }];
    case 'SOURCED_FROM': return ['sourcing', { ...common, itemId: r.target, companyId: r.source }];
    default: throw new Error(`no input list for ${r.type}`);
  }
}

/** One change set being put together: its input lists, and what it touches (so that its ops never contradict). */
class Draft {
  readonly lists = new Map<string, Record<string, unknown>[]>();
  readonly retire: string[] = [];
  /** nodes sent or referenced by rows sent: retiring them in the same set would leave those rows dangling */
  readonly touched = new Set<string>();
  /** nodes sent as rows (one row per id) */
  readonly sentNodes = new Set<string>();
  /** relationships sent, or retired, in this set */
  readonly busyRels = new Set<string>();

  constructor(readonly m: Model) {}

  sendNode(n: MNode): void {
    const [list, row] = nodeInput(n);
    this.add(list, row);
    this.sentNodes.add(n.id);
    this.touched.add(n.id);
    if (n.operator) this.touched.add(n.operator);
  }

  sendRow(r: MRow): void {
    const [list, row] = rowInput(r);
    this.add(list, row);
    this.busyRels.add(r.id);
    for (const id of [r.source, r.target, r.placement]) if (id) this.touched.add(id);
  }

  private add(list: string, row: Record<string, unknown>): void {
    this.lists.set(list, [...(this.lists.get(list) ?? []), row]);
  }

  input(reason: string): Record<string, unknown> {
    return { reason, ...(this.retire.length > 0 ? { retire: this.retire } : {}), ...Object.fromEntries(this.lists) };
  }

  empty(): boolean {
    return this.retire.length === 0 && this.lists.size === 0;
  }
}

let counter = 0;

/** Applies the ops to a copy of the model, skipping any that would contradict the set (the model stays exact). */
function draftData(model: Model, ops: Op[]): { draft: Draft; next: Model } {
  const m = model.clone();
  const d = new Draft(m);
  const placementOk = (r: MRow) => r.placement === null || m.nodes.has(r.placement);
  const newRow = (r: Omit<MRow, 'id'>): MRow => {
    const id = r.explicit ? `R${++counter}` : relationshipId(keyOf({ ...r, id: '' }));
    return { ...r, id };
  };
  for (const op of ops) {
    switch (op.t) {
      case 'addWorker': {
        const f = pick(m.of('Factory'), op.f);
        const w: MNode = { id: `WN${++counter}`, kind: 'Worker', nationality: op.kp ? 'KP' : 'CN' };
        m.nodes.set(w.id, w);
        d.sendNode(w);
        if (f) {
          const r = newRow({ explicit: false, type: 'EMPLOYED_AT', source: w.id, target: f.id, rawFrom: op.iv[0], rawTo: op.iv[1], placement: null, column: false });
          m.rows.set(r.id, r);
          d.sendRow(r);
        }
        break;
      }
      case 'flip': {
        const n = pick(m.of(op.kind).filter((x) => !d.sentNodes.has(x.id)), op.n);
        if (!n) break;
        if (n.kind === 'Worker') n.nationality = n.nationality === 'KP' ? 'CN' : 'KP';
        else if (n.kind === 'Factory') n.country = n.country === 'KP' ? 'CN' : 'KP';
        else n.dprkLinked = !n.dprkLinked;
        d.sendNode(n);
        break;
      }
      case 'addRow': {
        const spec = ROW_KINDS[op.kind];
        const a = pick(m.of(...spec.from), op.a);
        const b = pick(m.of(...spec.to), op.b);
        if (!a || !b) break;
        const placement = spec.type === 'RECRUITED_BY' && op.placement !== null ? pick(m.of('Factory'), op.placement)?.id ?? null : null;
        const r = newRow({
          explicit: op.explicit, type: spec.type, source: a.id, target: b.id, rawFrom: op.iv[0], rawTo: op.iv[1], placement,
          column: LABOR.has(spec.type) && op.column,
        });
        if (m.hasKey(keyOf(r))) break; // the same relationship is already there (another test's business)
        m.rows.set(r.id, r);
        d.sendRow(r);
        break;
      }
      case 'retireRow': {
        const r = pick(m.sortedRows((x) => !d.busyRels.has(x.id)), op.n);
        if (!r) break;
        m.removeRow(r.id);
        d.retire.push(r.id);
        d.busyRels.add(r.id);
        break;
      }
      case 'retireNode': {
        const n = pick(m.of('Worker', 'LaborAgency', 'Factory', 'Company', 'Product', 'Component').filter((x) => !d.touched.has(x.id)), op.n);
        if (!n) break;
        for (const r of m.rows.values()) if (r.source === n.id || r.target === n.id) d.busyRels.add(r.id);
        m.removeNode(n.id);
        d.retire.push(n.id);
        break;
      }
      case 'correct': {
        const old = pick(m.sortedRows((x) => !d.busyRels.has(x.id) && !UNTIMED.has(x.type) && placementOk(x)), op.n);
        if (!old) break;
        const r = newRow({ ...old, rawFrom: op.iv[0], rawTo: op.iv[1] });
        if (m.hasKey(keyOf(r), old.id)) break;
        m.removeRow(old.id);
        d.retire.push(old.id);
        d.busyRels.add(old.id);
        m.rows.set(r.id, r);
        d.sendRow(r);
        break;
      }
      case 'inPlace': {
        const r = pick(m.sortedRows((x) => x.explicit && !d.busyRels.has(x.id) && placementOk(x)), op.n);
        if (!r) break;
        const moved = { ...r, rawFrom: op.iv[0], rawTo: op.iv[1] };
        if (m.hasKey(keyOf(moved), r.id)) break;
        m.rows.set(r.id, moved);
        d.sendRow(moved);
        break;
      }
      case 'readd': {
        // retire a relationship and send it again in the same set (rows with rebuttals first): it comes back without
        // the rebuttals retired with it, its rebuttal column recorded anew
        const free = m.sortedRows((x) => !d.busyRels.has(x.id) && x.type !== 'OPERATES' && placementOk(x));
        const rebutted = free.filter((x) => [...m.rebuttals.values()].some((b) => b.relId === x.id && b.status === 'ACCEPTED'));
        const r = pick(rebutted.length > 0 && op.n % 4 !== 0 ? rebutted : free, op.n);
        if (!r) break;
        m.removeRow(r.id);
        d.retire.push(r.id);
        m.rows.set(r.id, { ...r });
        d.sendRow(r);
        break;
      }
      case 'toggleColumn': {
        const r = pick(m.sortedRows((x) => LABOR.has(x.type) && !d.busyRels.has(x.id) && placementOk(x)), op.n);
        if (!r) break;
        r.column = !r.column;
        d.sendRow(r);
        break;
      }
    }
  }
  return { draft: d, next: m };
}

/** The first change set: the random dataset, every row with its derived id, rebutted rows with the rebuttal column. */
function initial(g: GenDataset): { draft: Draft; next: Model } {
  const m = new Model();
  const d = new Draft(m);
  d.lists.set('evidence', [{ id: 'EV', title: 'Audit' }]);
  const operatorOf = new Map(g.rows.filter((r) => r.type === 'OPERATES').map((r) => [r.target, r.source]));
  const nodes: MNode[] = [
    ...g.workers.map((w) => ({ id: w.id, kind: 'Worker' as const, nationality: w.nationality })),
    ...g.agencies.map((a) => ({ id: a.id, kind: 'LaborAgency' as const, country: a.country, dprkLinked: a.dprkLinked })),
    ...g.factories.map((f) => ({ id: f.id, kind: 'Factory' as const, country: f.country, operator: operatorOf.get(f.id) ?? null })),
    ...g.companies.map((c) => ({ id: c.id, kind: 'Company' as const })),
    ...g.items.map((i) => ({ id: i.id, kind: (i.product ? 'Product' : 'Component') as NodeKind })),
  ];
  for (const n of nodes) {
    m.nodes.set(n.id, n);
    d.sendNode(n);
  }
  for (const r of g.rows) {
    const row: MRow = {
      id: relationshipId(r.key), explicit: false, type: r.type, source: r.source, target: r.target, rawFrom: r.rawFrom, rawTo: r.rawTo,
      placement: r.placement, column: r.rebutted,
    };
    m.rows.set(row.id, row);
    if (r.type !== 'OPERATES') d.sendRow(row); // OPERATES is the factories' operator_id
  }
  return { draft: d, next: m };
}

// ---- what the API must answer ----

interface Counts { exposure: string; pathCount: string; possiblePathCount: string; openPathCount: string; openPossiblePathCount: string }

function expected(m: Model, asOf: string | null): { traces: Record<string, Counts>; screen: [string, string, string][] } {
  const d = m.dataset();
  const brute = bruteForce(d, asOf);
  const traces: Record<string, Counts> = {};
  for (const item of d.items) {
    const direct = brute.direct.filter((p) => p.nodes[p.nodes.length - 1] === item.id);
    const possible = brute.possible.filter((p) => p.nodes[p.nodes.length - 1] === item.id);
    traces[item.id] = {
      exposure: direct.length > 0 ? 'DIRECT' : possible.length > 0 ? 'POSSIBLE' : 'NONE',
      pathCount: String(direct.length),
      possiblePathCount: String(possible.length),
      openPathCount: String(direct.filter((p) => !p.rebutted).length),
      openPossiblePathCount: String(possible.filter((p) => !p.rebutted).length),
    };
  }
  const screen = d.items.filter((i) => i.product && traces[i.id].exposure !== 'NONE')
    .map((i) => [i.id, traces[i.id].exposure, traces[i.id].pathCount] as [string, string, string]);
  return { traces, screen };
}

const COUNTS = 'exposure pathCount possiblePathCount openPathCount openPossiblePathCount';

async function tracesSeen(api: Api, items: string[], asOf: string | null, knownAt?: string): Promise<Record<string, Counts>> {
  if (items.length === 0) return {};
  const aliases = items.map((id, i) => `t${i}: trace(itemId: ${JSON.stringify(id)}, asOf: $asOf, knownAt: $knownAt) { ${COUNTS} }`).join('\n');
  const data = await api.ok(`query($asOf: Date, $knownAt: DateTime) { ${aliases} }`, { asOf, knownAt });
  return Object.fromEntries(items.map((id, i) => [id, data[`t${i}`]]));
}

/** The screen's rows, or the errors it answered with. */
async function screenSeen(api: Api, asOf: string | null, knownAt?: string): Promise<[string, string, string][] | { errors: string[] }> {
  const r = await api.post('query($asOf: Date, $knownAt: DateTime) { screen(asOf: $asOf, knownAt: $knownAt, first: 100) { edges { node { item { id } exposure pathCount } } } }', { asOf, knownAt });
  if (r.errors) return { errors: r.errors.map((e) => `${e.extensions?.code} at ${(e.path ?? []).join('.')}: ${e.message}`) };
  return r.data.screen.edges.map((e: any) => [e.node.item.id, e.node.exposure, e.node.pathCount]);
}

// ---- the property ----

let client: Neo4jClient;
let srv: TestServer;
/** Screens that did not answer as the enumeration says (the first ten), from the property's runs. */
const screenProblems: unknown[] = [];
let propertyRan = false;
beforeAll(async () => {
  client = await testClient();
  srv = await startLocal(client);
});
afterAll(async () => {
  await srv.stop();
  await resetGraph(client);
  await client.close();
});

it('trace with knownAt = the k-th change set\'s instant equal the brute-force enumeration of the first k change sets; without knownAt, of all of them', async () => {
  const api = srv.api;
  await fc.assert(
    fc.asyncProperty(datasetArb, fc.array(stepArb, { minLength: 3, maxLength: 6 }), asOfArb, fc.infiniteStream(fc.nat()), async (g, steps, asOf, order) => {
      await resetGraph(client);
      const states: { at: string; model: Model; label: string }[] = [];
      const check = async (model: Model, label: string, knownAt?: string) => {
        const items = model.of('Product', 'Component').map((n) => n.id);
        const want = expected(model, asOf);
        const traces = await tracesSeen(api, items, asOf, knownAt);
        expect({ label, knownAt, asOf, traces }).toEqual({ label, knownAt, asOf, traces: want.traces });
        // the screen is checked apart (its own test below), so that a screen failure does not hide the traces'
        const screen = await screenSeen(api, asOf, knownAt);
        if (JSON.stringify(screen) !== JSON.stringify(want.screen) && screenProblems.length < 10) {
          screenProblems.push({ label, knownAt, asOf, screen, expected: want.screen });
        }
      };

      let model: Model;
      {
        const { draft, next } = initial(g);
        const set = (await api.ok(APPLY, { input: draft.input('the initial dataset') })).applyChanges;
        model = next;
        states.push({ at: set.at, model, label: 'initial dataset' });
        await check(model, 'after the initial dataset');
      }
      for (const [k, step] of steps.entries()) {
        let label: string;
        let at: string;
        let next: Model;
        const proposedRels = () => model.sortedRows((r) => LABOR.has(r.type));
        const pending = () => [...model.rebuttals.values()].filter((b) => b.status === 'PROPOSED').sort((a, b) => (a.id < b.id ? -1 : 1));
        if (step.t === 'propose' && proposedRels().length > 0) {
          // rows on some path (asOf aside) and the items those paths end at, by the enumerator
          const brute = bruteForce(model.dataset(), null);
          const reach = new Map<string, Set<string>>();
          for (const p of [...brute.direct, ...brute.possible]) {
            for (const key of p.rows) reach.set(key, new Set([...(reach.get(key) ?? []), p.nodes[p.nodes.length - 1]]));
          }
          const onPath = proposedRels().filter((r) => reach.has(keyOf(r)));
          const rel = pick(step.onPath && onPath.length > 0 ? onPath : proposedRels(), step.n)!;
          const items = model.of('Product', 'Component').map((n) => n.id);
          const reached = [...(reach.get(keyOf(rel)) ?? [])].sort();
          let itemIds: string[] | null = null;
          if (step.scope !== null && items.length > 0) {
            // a proper, non-empty part of the items its paths reach (so that the scope matters), else any one item
            const pool = reached.length >= 2 ? reached : items;
            const size = 1 + (step.scope % Math.max(1, pool.length - 1));
            itemIds = Array.from({ length: size }, (_, i) => pool[(step.scope! + i * 7) % pool.length]).filter((v, i, a) => a.indexOf(v) === i).sort();
          }
          const r = (await api.ok(PROPOSE, { input: { relationshipId: rel.id, prong: 'NOT_PRESENT', evidence: ['EV'], ...(itemIds ? { itemIds } : {}) } })).proposeRebuttal;
          expect(r).toMatchObject({ status: 'PROPOSED', itemIds });
          next = model.clone();
          next.rebuttals.set(r.id, { id: r.id, relId: rel.id, itemIds, status: 'PROPOSED' });
          label = `step ${k}: propose ${r.id} on ${rel.id} for ${itemIds ? itemIds.join(',') : 'every path'}`;
          at = r.proposedAt;
          if (step.decide !== null) {
            model = next;
            states.push({ at, model, label });
            await check(model, `now, after ${label}`);
            const decision = step.decide ? 'ACCEPTED' : 'REJECTED';
            const decided = (await api.ok(DECIDE, { id: r.id, decision })).decideRebuttal;
            expect(decided.status).toBe(decision);
            next = model.clone();
            next.rebuttals.get(r.id)!.status = decision;
            label = `step ${k}: ${decision} ${r.id}`;
            at = decided.decidedAt;
          }
        } else if (step.t === 'decide' && pending().length > 0) {
          const b = pick(pending(), step.n)!;
          const decision = step.accept ? 'ACCEPTED' : 'REJECTED';
          const r = (await api.ok(DECIDE, { id: b.id, decision })).decideRebuttal;
          expect(r.status).toBe(decision);
          next = model.clone();
          next.rebuttals.get(b.id)!.status = decision;
          label = `step ${k}: ${decision} ${b.id}`;
          at = r.decidedAt;
        } else {
          const drafted = draftData(model, step.t === 'data' ? step.ops : []);
          if (drafted.draft.empty()) drafted.draft.lists.set('evidence', [{ id: `EV-${++counter}`, title: 'Another report' }]);
          const input = drafted.draft.input(`step ${k}`);
          const set = (await api.ok(APPLY, { input })).applyChanges;
          next = drafted.next;
          label = `step ${k}: ${JSON.stringify(input)}`;
          at = set.at;
        }
        model = next;
        states.push({ at, model, label });
        await check(model, `now, after ${label}`);
      }

      // knownAt: every change set's instant, in a random order; then now again
      const indices = states.map((_, i) => i);
      const shuffled: number[] = [];
      const it = order[Symbol.iterator]();
      while (indices.length > 0) shuffled.push(indices.splice(it.next().value % indices.length, 1)[0]);
      for (const i of shuffled) await check(states[i].model, `knownAt = the instant of change set ${i} (${states[i].label})`, states[i].at);
      await check(model, 'now, at the end');
    }),
    { numRuns: RUNS, endOnFailure: true },
  );
  propertyRan = true;
}, 600_000);

it('screen, with knownAt and without, lists the products the enumeration exposes, with their exposure and path count (checked along the runs above)', () => {
  expect(screenProblems).toEqual([]);
  if (!propertyRan) throw new Error('the property above stopped at a failure: the screen was checked only up to it');
});
