import fc from 'fast-check';
import { relationshipId, relationshipKey, type RelType } from '../../src/model/graph-model';
import { TaintGraph, type RebuttalIn } from '../../src/trace/engine/taint-graph';

/** A small random dataset for property tests, kept in the shape of the CSV rows. */
export interface GenRow {
  type: RelType;
  /** taint direction, as stored (OPERATES: company -> factory) */
  source: string;
  target: string;
  /** As written in the CSV: `YYYY-MM-DD`, `YYYY-MM`, `YYYY` or null (open). */
  rawFrom: string | null;
  rawTo: string | null;
  /** Resolved calendar days: a partial `from` is its first day, a partial `to` its last day. */
  from: string | null;
  to: string | null;
  /** Recruitment rows: the factory of the placement (recruitment.csv factory_id), else null. */
  placement: string | null;
  /** An accepted rebuttal without item scope (the CSV `rebuttal` column): labor rows only. */
  rebutted: boolean;
  key: string;
}

/**
 * An accepted rebuttal of one labor row that holds only for the paths ending at `itemIds` (none when empty). The
 * CSV `rebuttal` column cannot say this, so toCsvFiles leaves these out: a test that imports the CSV form applies them
 * afterwards through the API, to the relationship `rowId` (= relationshipId(rowKey): the generated rows have no `id`
 * column), as accepted rebuttals with these item ids.
 */
export interface ScopedRebuttal {
  id: string;
  rowKey: string;
  rowId: string;
  itemIds: string[];
}

export interface GenDataset {
  workers: { id: string; nationality: string }[];
  agencies: { id: string; country: string; dprkLinked: boolean }[];
  factories: { id: string; country: string }[];
  companies: { id: string }[];
  items: { id: string; product: boolean }[];
  rows: GenRow[];
  /** Item-scoped accepted rebuttals (scopedDatasetArb), beside the rows' unscoped ones; absent or empty: none. */
  scopedRebuttals?: ScopedRebuttal[];
}

/** DATA-FORMAT.md partial dates, resolved here without the project's code: a `from` is the first day, a `to` the last. */
export function resolveFrom(raw: string | null): string | null {
  if (raw === null) return null;
  if (raw.length === 4) return `${raw}-01-01`;
  if (raw.length === 7) return `${raw}-01`;
  return raw;
}

export function resolveTo(raw: string | null): string | null {
  if (raw === null) return null;
  if (raw.length === 4) return `${raw}-12-31`;
  if (raw.length === 7) {
    const [y, m] = raw.split('-').map(Number);
    const last = new Date(Date.UTC(y, m, 0)).getUTCDate(); // day 0 of the next month
    return `${raw}-${String(last).padStart(2, '0')}`;
  }
  return raw;
}

/**
 * Dates crowded around boundaries so that intervals often touch on one day, miss by one day, or meet at the last day
 * of a partial month or year (including a leap February).
 */
const DATES = [
  '2012', '2012-02', '2012-02-29', '2012-03-01', '2012-12-31',
  '2013', '2013-01', '2013-01-01', '2013-01-31', '2013-02-01', '2013-06', '2013-06-30', '2013-07-01', '2013-12-31',
  '2014', '2014-01-01',
];
const dateArb = fc.option(fc.constantFrom(...DATES), { nil: null, freq: 3 });
type RawInterval = [string | null, string | null];
const intervalArb: fc.Arbitrary<RawInterval> = fc.tuple(dateArb, dateArb).map(([a, b]) => {
  const f = resolveFrom(a);
  const t = resolveTo(b);
  return (f !== null && t !== null && f > t ? [b, a] : [a, b]) as RawInterval;
});
export const asOfArb = fc.option(
  fc.constantFrom('2011-12-31', '2012-02-29', '2012-03-01', '2012-12-31', '2013-01-01', '2013-01-31', '2013-06-30', '2013-07-01', '2014-01-01', '2015-01-01'),
  { nil: null },
);

const KINDS = ['L1', 'L2', 'L4', 'L3', 'S', 'P', 'B', 'C2', 'C3'] as const;

/** Random datasets the CSV form says completely: unscoped rebuttals only (`scopedRebuttals` empty). */
export const datasetArb: fc.Arbitrary<GenDataset> = fc
  .record({
    nWorkers: fc.integer({ min: 1, max: 4 }),
    nAgencies: fc.integer({ min: 0, max: 4 }),
    nFactories: fc.integer({ min: 1, max: 4 }),
    nCompanies: fc.integer({ min: 0, max: 4 }),
    nItems: fc.integer({ min: 1, max: 6 }),
    workerKp: fc.array(fc.boolean(), { minLength: 4, maxLength: 4 }),
    agencyKind: fc.array(fc.constantFrom('flag', 'kp', 'none', 'none'), { minLength: 4, maxLength: 4 }),
    factoryKp: fc.array(fc.nat(4).map((n) => n === 0), { minLength: 4, maxLength: 4 }),
    itemProduct: fc.array(fc.boolean(), { minLength: 6, maxLength: 6 }),
    operators: fc.array(fc.nat(8), { minLength: 5, maxLength: 5 }),
    pairs: fc.array(
      fc.record({
        kind: fc.constantFrom(...KINDS),
        a: fc.nat(100), b: fc.nat(100), interval: intervalArb, rebutted: fc.nat(2).map((n) => n === 0),
        /** recruitment: the placement factory (null: none) */
        placement: fc.option(fc.nat(100), { nil: null, freq: 2 }),
        /** a parallel row of the same pair: its own interval, placement and rebuttal */
        twin: fc.tuple(fc.nat(3), fc.record({ interval: intervalArb, rebutted: fc.boolean(), placement: fc.option(fc.nat(100), { nil: null, freq: 2 }) }))
          .map(([n, twin]) => (n === 0 ? twin : null)),
      }),
      { minLength: 12, maxLength: 45 },
    ),
  })
  .map((g) => {
    const workers = Array.from({ length: g.nWorkers }, (_, i) => ({ id: `W${i}`, nationality: g.workerKp[i] ? 'KP' : 'CN' }));
    const agencies = Array.from({ length: g.nAgencies }, (_, i) => ({
      id: `A${i}`, country: g.agencyKind[i] === 'kp' ? 'KP' : 'CN', dprkLinked: g.agencyKind[i] === 'flag',
    }));
    const factories = Array.from({ length: g.nFactories }, (_, i) => ({ id: `F${i}`, country: g.factoryKp[i] ? 'KP' : 'CN' }));
    const companies = Array.from({ length: g.nCompanies }, (_, i) => ({ id: `C${i}` }));
    const items = Array.from({ length: g.nItems }, (_, i) => ({ id: `I${i}`, product: i === 0 || g.itemProduct[i] }));
    const rows = new Map<string, GenRow>();
    const TIMED = new Set<RelType>(['EMPLOYED_AT', 'RECRUITED_BY', 'DISPATCHES_TO', 'SUPPLIES_LABOR_TO', 'SUBCONTRACTOR_OF', 'PRODUCED', 'SUPPLIES', 'SOURCED_FROM']);
    const LABOR = new Set<RelType>(['EMPLOYED_AT', 'RECRUITED_BY', 'DISPATCHES_TO', 'SUPPLIES_LABOR_TO']);
    const add = (type: RelType, source: string, target: string, interval: RawInterval, rebutted: boolean, placement: string | null = null) => {
      const [rawFrom, rawTo] = TIMED.has(type) ? interval : [null, null];
      const from = resolveFrom(rawFrom);
      const to = resolveTo(rawTo);
      const key = relationshipKey(type, source, target, from, to, placement);
      // rows with the same key are one row (the first one written wins)
      if (!rows.has(key)) rows.set(key, { type, source, target, rawFrom, rawTo, from, to, placement, rebutted: LABOR.has(type) && rebutted, key });
    };
    const pick = <T>(list: T[], n: number) => list[n % list.length];
    for (const p of g.pairs) {
      const both = (type: RelType, source: string, target: string, placement: (n: number | null) => string | null = () => null) => {
        add(type, source, target, p.interval, p.rebutted, placement(p.placement));
        if (p.twin) add(type, source, target, p.twin.interval, p.twin.rebutted, placement(p.twin.placement));
      };
      switch (p.kind) {
        case 'L1': both('EMPLOYED_AT', pick(workers, p.a).id, pick(factories, p.b).id); break;
        case 'L2':
          if (agencies.length) both('RECRUITED_BY', pick(workers, p.a).id, pick(agencies, p.b).id, (n) => (n === null ? null : pick(factories, n).id));
          break;
        // agencies may dispatch to themselves (a self-loop) and in cycles
        case 'L4': if (agencies.length) both('DISPATCHES_TO', pick(agencies, p.a).id, pick(agencies, p.b).id); break;
        case 'L3': if (agencies.length) both('SUPPLIES_LABOR_TO', pick(agencies, p.a).id, pick(factories, p.b).id); break;
        case 'S': both('SUBCONTRACTOR_OF', pick(factories, p.a).id, pick(factories, p.b).id); break;
        case 'P': both('PRODUCED', pick(factories, p.a).id, pick(items, p.b).id); break;
        case 'B': {
          // child has the larger index: the bill of materials stays acyclic
          const i = p.a % items.length;
          const j = p.b % items.length;
          if (i !== j) add('COMPONENT_OF', items[Math.max(i, j)].id, items[Math.min(i, j)].id, p.interval, false);
          break;
        }
        case 'C2': if (companies.length) both('SUPPLIES', pick(companies, p.a).id, pick(companies, p.b).id); break;
        case 'C3': if (companies.length) both('SOURCED_FROM', pick(companies, p.a).id, pick(items, p.b).id); break;
      }
    }
    if (companies.length) {
      factories.forEach((f, i) => {
        const o = g.operators[i];
        if (o < companies.length) add('OPERATES', companies[o].id, f.id, [null, null], false);
      });
    }
    return { workers, agencies, factories, companies, items, rows: [...rows.values()], scopedRebuttals: [] as ScopedRebuttal[] };
  });

const LABOR_TYPES = new Set<RelType>(['EMPLOYED_AT', 'RECRUITED_BY', 'DISPATCHES_TO', 'SUPPLIES_LABOR_TO']);

/** The items a row's taint can flow to (OPERATES flows factory -> company): where a scope on it can matter. */
function downstreamItems(d: GenDataset, row: GenRow): string[] {
  const from = (r: GenRow) => (r.type === 'OPERATES' ? r.target : r.source);
  const to = (r: GenRow) => (r.type === 'OPERATES' ? r.source : r.target);
  const seen = new Set([to(row)]);
  const stack = [to(row)];
  while (stack.length > 0) {
    const id = stack.pop()!;
    for (const r of d.rows) {
      if (from(r) === id && r.type !== 'EMPLOYED_AT' && r.type !== 'RECRUITED_BY' && !seen.has(to(r))) {
        seen.add(to(r));
        stack.push(to(r));
      }
    }
  }
  return d.items.filter((i) => seen.has(i.id)).map((i) => i.id);
}

/**
 * Random datasets with item-scoped rebuttals as well (`scopedRebuttals`): on random labor rows, some of which also
 * have an unscoped one, naming one to three items (mostly items the row's taint can reach, so that the scope
 * matters), sometimes none, and sometimes several rebuttals on one row.
 */
export const scopedDatasetArb: fc.Arbitrary<GenDataset> = fc
  .tuple(
    datasetArb,
    fc.array(
      fc.record({
        row: fc.nat(1000),
        items: fc.oneof({ weight: 9, arbitrary: fc.array(fc.nat(100), { minLength: 1, maxLength: 3 }) }, { weight: 1, arbitrary: fc.constant<number[]>([]) }),
        near: fc.nat(3).map((n) => n > 0),
      }),
      { maxLength: 8 },
    ),
  )
  .map(([d, raw]) => {
    const labor = d.rows.filter((r) => LABOR_TYPES.has(r.type));
    const scopedRebuttals: ScopedRebuttal[] = [];
    if (labor.length > 0) {
      raw.forEach((s, i) => {
        const row = labor[s.row % labor.length];
        const near = downstreamItems(d, row);
        const pool = s.near && near.length > 0 ? near : d.items.map((it) => it.id);
        const itemIds = [...new Set(s.items.map((n) => pool[n % pool.length]))];
        scopedRebuttals.push({ id: `SR${i}`, rowKey: row.key, rowId: relationshipId(row.key), itemIds });
      });
    }
    return { ...d, scopedRebuttals };
  });

/** The engine's graph of a dataset: what the loaders build from Neo4j, built directly. */
export function toTaintGraph(d: GenDataset): TaintGraph {
  const g = new TaintGraph();
  d.workers.forEach((w) => g.addNode({ id: w.id, kind: 'Worker', name: null, nationality: w.nationality }));
  d.agencies.forEach((a) => g.addNode({ id: a.id, kind: 'LaborAgency', name: a.id, country: a.country, dprkLinked: a.dprkLinked }));
  d.factories.forEach((f) => g.addNode({ id: f.id, kind: 'Factory', name: f.id, country: f.country }));
  d.companies.forEach((c) => g.addNode({ id: c.id, kind: 'Company', name: c.id }));
  d.items.forEach((i) => g.addNode({ id: i.id, kind: i.product ? 'Product' : 'Component', name: i.id }));
  const unscoped = (r: GenRow): RebuttalIn[] => (r.rebutted ? [{ id: 'EV', itemIds: null }] : []);
  for (const r of d.rows) {
    g.addRow({
      key: r.key, type: r.type, source: r.source, target: r.target, from: r.from, to: r.to,
      evidence: [], rebuttals: unscoped(r), placement: r.placement,
    });
  }
  // as the loaders do: accepted rebuttals read apart from the rows, set on them afterwards
  const byRow = new Map<string, RebuttalIn[]>();
  for (const s of d.scopedRebuttals ?? []) {
    const list = byRow.get(s.rowKey) ?? unscoped(d.rows.find((r) => r.key === s.rowKey)!);
    byRow.set(s.rowKey, [...list, { id: s.id, itemIds: s.itemIds }]);
  }
  for (const [key, list] of byRow) g.setRebuttals(relationshipId(key), list);
  return g;
}

const csv = (header: string[], lines: (string | null | boolean)[][]) =>
  [header.join(','), ...lines.map((l) => l.map((v) => (v === null ? '' : String(v))).join(','))].join('\n') + '\n';

/**
 * The dataset as CSV files (DATA-FORMAT.md), partial dates as written, unscoped rebuttals pointing at one evidence
 * row. Item-scoped rebuttals (`scopedRebuttals`) are not in it: see ScopedRebuttal.
 */
export function toCsvFiles(d: GenDataset): Record<string, string> {
  const rows = (t: RelType) => d.rows.filter((r) => r.type === t);
  const operatorOf = new Map(rows('OPERATES').map((r) => [r.target, r.source]));
  const reb = (r: GenRow) => (r.rebutted ? 'EV' : '');
  return {
    'evidence.csv': csv(['id', 'title'], [['EV', 'audit']]),
    'workers.csv': csv(['id', 'nationality'], d.workers.map((w) => [w.id, w.nationality])),
    'agencies.csv': csv(['id', 'name', 'country', 'dprk_linked'], d.agencies.map((a) => [a.id, a.id, a.country, a.dprkLinked])),
    'factories.csv': csv(['id', 'name', 'country', 'operator_id'], d.factories.map((f) => [f.id, f.id, f.country, operatorOf.get(f.id) ?? null])),
    'companies.csv': csv(['id', 'name'], d.companies.map((c) => [c.id, c.id])),
    'products.csv': csv(['id', 'name'], d.items.filter((i) => i.product).map((i) => [i.id, i.id])),
    'components.csv': csv(['id', 'name'], d.items.filter((i) => !i.product).map((i) => [i.id, i.id])),
    'employment.csv': csv(['worker_id', 'factory_id', 'from', 'to', 'rebuttal'],
      rows('EMPLOYED_AT').map((r) => [r.source, r.target, r.rawFrom, r.rawTo, reb(r)])),
    'recruitment.csv': csv(['worker_id', 'agency_id', 'factory_id', 'from', 'to', 'rebuttal'],
      rows('RECRUITED_BY').map((r) => [r.source, r.target, r.placement, r.rawFrom, r.rawTo, reb(r)])),
    'dispatch.csv': csv(['agency_id', 'to_agency_id', 'from', 'to', 'rebuttal'],
      rows('DISPATCHES_TO').map((r) => [r.source, r.target, r.rawFrom, r.rawTo, reb(r)])),
    'labor_supply.csv': csv(['agency_id', 'factory_id', 'from', 'to', 'rebuttal'],
      rows('SUPPLIES_LABOR_TO').map((r) => [r.source, r.target, r.rawFrom, r.rawTo, reb(r)])),
    'subcontracts.csv': csv(['factory_id', 'subcontractor_id', 'from', 'to'], rows('SUBCONTRACTOR_OF').map((r) => [r.target, r.source, r.rawFrom, r.rawTo])),
    'production.csv': csv(['item_id', 'factory_id', 'from', 'to'], rows('PRODUCED').map((r) => [r.target, r.source, r.rawFrom, r.rawTo])),
    'bom.csv': csv(['parent_id', 'child_id'], rows('COMPONENT_OF').map((r) => [r.target, r.source])),
    'supply.csv': csv(['supplier_id', 'customer_id', 'from', 'to'], rows('SUPPLIES').map((r) => [r.source, r.target, r.rawFrom, r.rawTo])),
    'sourcing.csv': csv(['item_id', 'company_id', 'from', 'to'], rows('SOURCED_FROM').map((r) => [r.target, r.source, r.rawFrom, r.rawTo])),
  };
}
