import fc from 'fast-check';
import { relationshipKey, type RelType } from '../../src/model/graph-model';
import { TaintGraph } from '../../src/trace/taint-graph';

/** A small random dataset for property tests, kept in the shape of the CSV rows. */
export interface GenRow {
  type: RelType;
  /** taint direction, as stored (OPERATES: company -> factory) */
  source: string;
  target: string;
  from: string | null;
  to: string | null;
  rebutted: boolean;
  key: string;
}

export interface GenDataset {
  workers: { id: string; nationality: string }[];
  agencies: { id: string; country: string; dprkLinked: boolean }[];
  factories: { id: string }[];
  companies: { id: string }[];
  items: { id: string; product: boolean }[];
  rows: GenRow[];
}

const YEARS = ['2010', '2011', '2012', '2013', '2014', '2015', '2016'];
const dateArb = fc.option(fc.tuple(fc.constantFrom(...YEARS), fc.constantFrom('01-01', '06-30', '12-31')).map(([y, md]) => `${y}-${md}`), { nil: null, freq: 3 });
const intervalArb = fc.tuple(dateArb, dateArb).map(([a, b]) => (a !== null && b !== null && a > b ? [b, a] : [a, b]) as [string | null, string | null]);
export const asOfArb = fc.option(fc.constantFrom('2009-12-31', '2011-06-30', '2013-01-01', '2014-12-31', '2017-01-01'), { nil: null });

export const datasetArb: fc.Arbitrary<GenDataset> = fc
  .record({
    nWorkers: fc.integer({ min: 1, max: 4 }),
    nAgencies: fc.integer({ min: 0, max: 3 }),
    nFactories: fc.integer({ min: 1, max: 4 }),
    nCompanies: fc.integer({ min: 0, max: 4 }),
    nItems: fc.integer({ min: 1, max: 6 }),
    workerKp: fc.array(fc.boolean(), { minLength: 4, maxLength: 4 }),
    agencyKind: fc.array(fc.constantFrom('flag', 'kp', 'none'), { minLength: 3, maxLength: 3 }),
    itemProduct: fc.array(fc.boolean(), { minLength: 6, maxLength: 6 }),
    operators: fc.array(fc.nat(8), { minLength: 5, maxLength: 5 }),
    pairs: fc.array(
      fc.record({
        kind: fc.constantFrom('L1', 'L2', 'L3', 'S', 'P', 'B', 'C2', 'C3'),
        a: fc.nat(100), b: fc.nat(100), interval: intervalArb, rebutted: fc.boolean(),
      }),
      { minLength: 12, maxLength: 45 },
    ),
  })
  .map((g) => {
    const workers = Array.from({ length: g.nWorkers }, (_, i) => ({ id: `W${i}`, nationality: g.workerKp[i] ? 'KP' : 'CN' }));
    const agencies = Array.from({ length: g.nAgencies }, (_, i) => ({
      id: `A${i}`, country: g.agencyKind[i] === 'kp' ? 'KP' : 'RU', dprkLinked: g.agencyKind[i] === 'flag',
    }));
    const factories = Array.from({ length: g.nFactories }, (_, i) => ({ id: `F${i}` }));
    const companies = Array.from({ length: g.nCompanies }, (_, i) => ({ id: `C${i}` }));
    const items = Array.from({ length: g.nItems }, (_, i) => ({ id: `I${i}`, product: i === 0 || g.itemProduct[i] }));
    const rows = new Map<string, GenRow>();
    const add = (type: RelType, source: string, target: string, interval: [string | null, string | null], rebutted: boolean, timed: boolean) => {
      const [from, to] = timed ? interval : [null, null];
      const key = relationshipKey(type, source, target, from, to);
      if (!rows.has(key)) rows.set(key, { type, source, target, from, to, rebutted, key });
    };
    const pick = <T>(list: T[], n: number) => list[n % list.length];
    for (const p of g.pairs) {
      switch (p.kind) {
        case 'L1': if (workers.length) add('EMPLOYED_AT', pick(workers, p.a).id, pick(factories, p.b).id, p.interval, p.rebutted, true); break;
        case 'L2': if (workers.length && agencies.length) add('RECRUITED_BY', pick(workers, p.a).id, pick(agencies, p.b).id, p.interval, p.rebutted, false); break;
        case 'L3': if (agencies.length) add('SUPPLIES_LABOR_TO', pick(agencies, p.a).id, pick(factories, p.b).id, p.interval, p.rebutted, true); break;
        case 'S': add('SUBCONTRACTOR_OF', pick(factories, p.a).id, pick(factories, p.b).id, p.interval, false, true); break;
        case 'P': add('PRODUCED', pick(factories, p.a).id, pick(items, p.b).id, p.interval, false, true); break;
        case 'B': {
          // child has the larger index: the bill of materials stays acyclic
          const i = p.a % items.length;
          const j = p.b % items.length;
          if (i !== j) add('COMPONENT_OF', items[Math.max(i, j)].id, items[Math.min(i, j)].id, p.interval, false, false);
          break;
        }
        case 'C2': if (companies.length) add('SUPPLIES', pick(companies, p.a).id, pick(companies, p.b).id, p.interval, false, false); break;
        case 'C3': if (companies.length) add('SOURCED_FROM', pick(companies, p.a).id, pick(items, p.b).id, p.interval, false, false); break;
      }
    }
    if (companies.length) {
      factories.forEach((f, i) => {
        const o = g.operators[i];
        if (o < companies.length) add('OPERATES', companies[o].id, f.id, [null, null], false, false);
      });
    }
    return { workers, agencies, factories, companies, items, rows: [...rows.values()] };
  });

export function toTaintGraph(d: GenDataset): TaintGraph {
  const g = new TaintGraph();
  d.workers.forEach((w) => g.addNode({ id: w.id, kind: 'Worker', nationality: w.nationality }));
  d.agencies.forEach((a) => g.addNode({ id: a.id, kind: 'LaborAgency', country: a.country, dprkLinked: a.dprkLinked }));
  d.factories.forEach((f) => g.addNode({ id: f.id, kind: 'Factory', name: f.id }));
  d.companies.forEach((c) => g.addNode({ id: c.id, kind: 'Company', name: c.id }));
  d.items.forEach((i) => g.addNode({ id: i.id, kind: i.product ? 'Product' : 'Component', name: i.id }));
  for (const r of d.rows) g.addRow({ ...r, evidence: [], rebuttals: r.rebutted ? ['EV'] : [] });
  return g;
}

const csv = (header: string[], lines: (string | null | boolean)[][]) =>
  [header.join(','), ...lines.map((l) => l.map((v) => (v === null ? '' : String(v))).join(','))].join('\n') + '\n';

/** The dataset as CSV files (DATA-FORMAT.md), rebuttals pointing at one evidence row. */
export function toCsvFiles(d: GenDataset): Record<string, string> {
  const rows = (t: RelType) => d.rows.filter((r) => r.type === t);
  const operatorOf = new Map(rows('OPERATES').map((r) => [r.target, r.source]));
  const reb = (r: GenRow) => (r.rebutted ? 'EV' : '');
  return {
    'evidence.csv': csv(['id', 'title'], [['EV', 'audit']]),
    'workers.csv': csv(['id', 'nationality'], d.workers.map((w) => [w.id, w.nationality])),
    'agencies.csv': csv(['id', 'name', 'country', 'dprk_linked'], d.agencies.map((a) => [a.id, a.id, a.country, a.dprkLinked])),
    'factories.csv': csv(['id', 'name', 'country', 'operator_id'], d.factories.map((f) => [f.id, f.id, 'CN', operatorOf.get(f.id) ?? null])),
    'companies.csv': csv(['id', 'name'], d.companies.map((c) => [c.id, c.id])),
    'products.csv': csv(['id', 'name'], d.items.filter((i) => i.product).map((i) => [i.id, i.id])),
    'components.csv': csv(['id', 'name'], d.items.filter((i) => !i.product).map((i) => [i.id, i.id])),
    'employment.csv': csv(['worker_id', 'factory_id', 'from', 'to', 'rebuttal'], rows('EMPLOYED_AT').map((r) => [r.source, r.target, r.from, r.to, reb(r)])),
    'recruitment.csv': csv(['worker_id', 'agency_id', 'rebuttal'], rows('RECRUITED_BY').map((r) => [r.source, r.target, reb(r)])),
    'labor_supply.csv': csv(['agency_id', 'factory_id', 'from', 'to', 'rebuttal'], rows('SUPPLIES_LABOR_TO').map((r) => [r.source, r.target, r.from, r.to, reb(r)])),
    'subcontracts.csv': csv(['factory_id', 'subcontractor_id', 'from', 'to'], rows('SUBCONTRACTOR_OF').map((r) => [r.target, r.source, r.from, r.to])),
    'production.csv': csv(['item_id', 'factory_id', 'from', 'to'], rows('PRODUCED').map((r) => [r.target, r.source, r.from, r.to])),
    'bom.csv': csv(['parent_id', 'child_id'], rows('COMPONENT_OF').map((r) => [r.target, r.source])),
    'supply.csv': csv(['supplier_id', 'customer_id'], rows('SUPPLIES').map((r) => [r.source, r.target])),
    'sourcing.csv': csv(['item_id', 'company_id'], rows('SOURCED_FROM').map((r) => [r.target, r.source])),
  };
}
