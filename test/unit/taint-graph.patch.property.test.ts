import fc from 'fast-check';
import { REL_TYPES, relationshipId, relationshipKey, type NodeKind, type RelType } from '../../src/model/graph-model';
import { dayOf } from '../../src/trace/engine/interval';
import { TaintGraph, type Hop, type NodeRecordIn, type RebuttalIn, type RowRecordIn, type TaintRow } from '../../src/trace/engine/taint-graph';
import { patchTaintGraph, type GraphChange } from '../../src/trace/engine/taint-graph.patch';
import { decodeGraphState, encodeGraphState } from '../../src/trace/engine/graph-state.codec';
import type { PathKind } from '../../src/trace/engine/counts';
import { newWalkMemo } from '../../src/trace/engine/engine-memo';
import { TraceEngine } from '../../src/trace/engine/trace.engine';
import { WorkBudget } from '../../src/trace/engine/work-budget';
import { screenGraph } from '../../src/trace/trace.service';
import { asOfArb, datasetArb, resolveFrom, resolveTo, scopedDatasetArb, toTaintGraph, type GenDataset } from '../helpers/random-dataset';

const RUNS = Number(process.env.LABORTRACE_PROPERTY_RUNS ?? 100);

/**
 * The state a change list describes, kept the simplest way: nodes and rows by id, and each row's accepted rebuttals.
 * Its meaning (TaintGraph's contract): an upserted row replaces the row with its id and any row with its key;
 * `rebuttals` left out keeps the replaced row's; removing a node removes its rows.
 */
interface Model {
  nodes: Map<string, NodeRecordIn>;
  rows: Map<string, RowRecordIn & { id: string }>;
  rebuttals: Map<string, RebuttalIn[]>;
  next: number;
}

function modelOf(d: GenDataset): Model {
  const nodes = new Map<string, NodeRecordIn>();
  const add = (n: NodeRecordIn) => nodes.set(n.id, n);
  d.workers.forEach((w) => add({ id: w.id, kind: 'Worker', name: null, nationality: w.nationality }));
  d.agencies.forEach((a) => add({ id: a.id, kind: 'LaborAgency', name: a.id, country: a.country, dprkLinked: a.dprkLinked }));
  d.factories.forEach((f) => add({ id: f.id, kind: 'Factory', name: f.id, country: f.country }));
  d.companies.forEach((c) => add({ id: c.id, kind: 'Company', name: c.id }));
  d.items.forEach((i) => add({ id: i.id, kind: i.product ? 'Product' : 'Component', name: i.id }));
  const rows = new Map<string, RowRecordIn & { id: string }>();
  const rebuttals = new Map<string, RebuttalIn[]>();
  for (const r of d.rows) {
    const id = relationshipId(r.key);
    rows.set(id, { id, key: r.key, type: r.type, source: r.source, target: r.target, from: r.from, to: r.to, evidence: [], placement: r.placement });
    if (r.rebutted) rebuttals.set(id, [{ id: 'EV', itemIds: null }]);
  }
  for (const s of d.scopedRebuttals ?? []) rebuttals.set(s.rowId, [...(rebuttals.get(s.rowId) ?? []), { id: s.id, itemIds: s.itemIds }]);
  return { nodes, rows, rebuttals, next: 100 };
}

/** A fresh build of the model, as a loader makes it: rebuttals with the rows, or set afterwards. */
function build(m: Model, rebuttalsApart: boolean): TaintGraph {
  const g = new TaintGraph();
  for (const n of m.nodes.values()) g.addNode(n);
  for (const r of m.rows.values()) g.addRow({ ...r, rebuttals: rebuttalsApart ? null : m.rebuttals.get(r.id) ?? null });
  if (rebuttalsApart) for (const [id, list] of m.rebuttals) g.setRebuttals(id, list);
  return g;
}

function apply(m: Model, c: GraphChange): void {
  switch (c.op) {
    case 'upsertNode':
      m.nodes.set(c.node.id, c.node);
      break;
    case 'removeNode':
      m.nodes.delete(c.id);
      for (const r of [...m.rows.values()]) {
        if (r.source === c.id || r.target === c.id) {
          m.rows.delete(r.id);
          m.rebuttals.delete(r.id);
        }
      }
      break;
    case 'upsertRow': {
      const { rebuttals, ...row } = c.row;
      const kept = m.rebuttals.get(row.id);
      for (const other of [...m.rows.values()]) {
        if (other.id === row.id || other.key === row.key) {
          m.rows.delete(other.id);
          m.rebuttals.delete(other.id);
        }
      }
      m.rows.set(row.id, row);
      const list = rebuttals === undefined ? kept : rebuttals ?? undefined;
      if (list && list.length > 0) m.rebuttals.set(row.id, list);
      break;
    }
    case 'removeRow':
      m.rows.delete(c.id);
      m.rebuttals.delete(c.id);
      break;
    case 'setRebuttals':
      if (m.rows.has(c.rowId)) {
        if (c.rebuttals.length > 0) m.rebuttals.set(c.rowId, c.rebuttals);
        else m.rebuttals.delete(c.rowId);
      }
      break;
  }
}

// ---- random changes: intents resolved against the model as it evolves, so that rows join nodes of the right kinds

const ENDS: Record<string, [NodeKind[], NodeKind[]]> = {
  EMPLOYED_AT: [['Worker'], ['Factory']],
  RECRUITED_BY: [['Worker'], ['LaborAgency']],
  DISPATCHES_TO: [['LaborAgency'], ['LaborAgency']],
  SUPPLIES_LABOR_TO: [['LaborAgency'], ['Factory']],
  SUBCONTRACTOR_OF: [['Factory'], ['Factory']],
  PRODUCED: [['Factory'], ['Product', 'Component']],
  COMPONENT_OF: [['Product', 'Component'], ['Product', 'Component']],
  OPERATES: [['Company'], ['Factory']],
  SUPPLIES: [['Company'], ['Company']],
  SOURCED_FROM: [['Company'], ['Product', 'Component']],
};
const TYPES = Object.keys(ENDS) as RelType[];
const LABOR = new Set<RelType>(['EMPLOYED_AT', 'RECRUITED_BY', 'DISPATCHES_TO', 'SUPPLIES_LABOR_TO']);
const UNTIMED = new Set<RelType>(['COMPONENT_OF', 'OPERATES']);
const DATES = ['2012', '2012-02', '2012-12-31', '2013-01-01', '2013-06', '2014', null];
const KINDS: NodeKind[] = ['Worker', 'LaborAgency', 'Factory', 'Company', 'Product', 'Component'];
const PREFIX: Record<string, string> = { Worker: 'W', LaborAgency: 'A', Factory: 'F', Company: 'C', Product: 'I', Component: 'I' };

const intentArb = fc.record({
  op: fc.constantFrom('upsertNode', 'upsertNode', 'removeNode', 'upsertRow', 'upsertRow', 'upsertRow', 'removeRow', 'setRebuttals', 'setRebuttals'),
  a: fc.nat(1000),
  b: fc.nat(1000),
  c: fc.nat(1000),
  mode: fc.nat(9),
  from: fc.nat(DATES.length - 1),
  to: fc.nat(DATES.length - 1),
  flag: fc.boolean(),
  scopes: fc.array(fc.record({ scoped: fc.nat(2).map((n) => n > 0), items: fc.array(fc.nat(1000), { maxLength: 3 }) }), { maxLength: 3 }),
});
type Intent = typeof intentArb extends fc.Arbitrary<infer T> ? T : never;

const pick = <T>(list: readonly T[], n: number): T | undefined => (list.length === 0 ? undefined : list[n % list.length]);
/** Items are numbered; a child has a larger number than its parent, so that the bill of materials stays acyclic. */
const itemNo = (id: string) => Number(id.slice(1));

function resolve(m: Model, i: Intent): GraphChange | null {
  const nodes = [...m.nodes.values()];
  const ofKind = (kinds: NodeKind[]) => nodes.filter((n) => kinds.includes(n.kind)).map((n) => n.id);
  const items = ofKind(['Product', 'Component']);
  const rows = [...m.rows.values()];
  const rebuttalsArb = (): RebuttalIn[] => i.scopes.map((s, k) => ({
    id: `R${m.next}-${k}`, itemIds: s.scoped ? [...new Set(s.items.map((n) => pick(items, n) ?? 'I0'))] : null,
  }));
  switch (i.op) {
    case 'upsertNode': {
      const old = pick(nodes, i.a);
      if (i.mode < 4 || !old) {
        const kind = KINDS[i.b % KINDS.length];
        const id = `${PREFIX[kind]}${m.next++}`;
        return { op: 'upsertNode', node: { id, kind, name: id, nationality: i.flag ? 'KP' : 'CN', country: i.c % 3 === 0 ? 'KP' : 'CN', dprkLinked: i.flag } };
      }
      // the same node with another nationality, country or DPRK link (a source or not), or an item's other kind
      const kind = old.kind === 'Product' ? 'Component' : old.kind === 'Component' ? 'Product' : old.kind;
      return { op: 'upsertNode', node: { ...old, kind: i.flag ? kind : old.kind, nationality: i.flag ? 'KP' : 'CN', country: i.c % 2 === 0 ? 'KP' : 'CN', dprkLinked: !old.dprkLinked, name: `${old.id}'` } };
    }
    case 'removeNode':
      return { op: 'removeNode', id: i.mode === 0 ? 'NOPE' : pick(nodes, i.a)?.id ?? 'NOPE' };
    case 'removeRow':
      return { op: 'removeRow', id: i.mode === 0 ? 'NOPE' : pick(rows, i.a)?.id ?? 'NOPE' };
    case 'setRebuttals': {
      const labor = rows.filter((r) => LABOR.has(r.type));
      m.next++;
      return { op: 'setRebuttals', rowId: i.mode === 0 ? 'NOPE' : pick(labor, i.a)?.id ?? 'NOPE', rebuttals: rebuttalsArb() };
    }
    case 'upsertRow': {
      const old = pick(rows, i.a);
      // 0-3: a new row; 4-7: the row with an existing id, changed; 8: that row between other nodes; 9: a new id with an existing key
      const type = old && i.mode >= 4 ? old.type : TYPES[i.b % TYPES.length];
      let source: string | undefined;
      let target: string | undefined;
      if (old && i.mode >= 4 && i.mode <= 7) [source, target] = [old.source, old.target];
      else {
        source = pick(ofKind(ENDS[type][0]), i.b);
        target = pick(ofKind(ENDS[type][1]), i.c);
      }
      if (source === undefined || target === undefined) return null;
      if (type === 'COMPONENT_OF') {
        if (source === target) return null;
        if (itemNo(source) < itemNo(target)) [source, target] = [target, source];
      }
      const timed = !UNTIMED.has(type);
      let from = timed ? resolveFrom(DATES[i.from]) : null;
      let to = timed ? resolveTo(DATES[i.to]) : null;
      if (from !== null && to !== null && from > to) [from, to] = [to, from];
      const placement = type === 'RECRUITED_BY' && i.flag ? pick(ofKind(['Factory']), i.c) ?? null : null;
      if (old && i.mode === 9) {
        // another id for the row with old's key: it replaces old
        m.next++;
        return { op: 'upsertRow', row: { id: `X${m.next}`, key: old.key, type: old.type, source: old.source, target: old.target, from: old.from, to: old.to, placement: old.placement } };
      }
      const key = relationshipKey(type, source, target, from, to, placement);
      const id = old && i.mode >= 4 ? old.id : i.flag ? relationshipId(key) : `X${m.next++}`;
      const row: RowRecordIn & { id: string } = {
        id, key, type, source, target, from, to, placement,
        evidence: i.c % 2 === 0 ? [`E${i.c}`] : [], extras: i.c % 3 === 0 ? { x_note: `n${i.c}` } : null,
      };
      // rebuttals left out (kept when replacing) most of the time, given otherwise
      if (LABOR.has(type) && i.mode % 2 === 1) row.rebuttals = i.scopes.length === 0 ? null : rebuttalsArb();
      return { op: 'upsertRow', row };
    }
  }
  return null;
}

const changesArb = (d: GenDataset) => fc.array(intentArb, { maxLength: 25 }).map((intents) => {
  const m = modelOf(d);
  const changes: GraphChange[] = [];
  for (const i of intents) {
    const c = resolve(m, i);
    if (c) {
      changes.push(c);
      apply(m, c);
    }
  }
  return { changes, model: m };
});

// ---- what must be equal

const rowView = (r: TaintRow) => ({ ...r, key: r.key, from: r.from, to: r.to, extras: r.extras, rebuttedFor: r.rebuttedFor && [...r.rebuttedFor].sort() });
const hopView = (h: Hop) => ({
  type: h.type, source: h.source, target: h.target, rows: h.rows.map(rowView), intervals: h.intervals,
  openIntervals: h.openIntervals, openIsAll: h.openIntervals === h.intervals, placed: h.placed,
  openFor: h.openFor && [...h.openFor.entries()],
});

function view(g: TaintGraph, ids: Iterable<string>, rowIds: Iterable<string>) {
  const hops: Record<string, unknown> = {};
  for (const id of [...new Set(ids)].sort()) {
    for (const type of REL_TYPES) {
      const into = g.into(id, type).map(hopView);
      const out = g.outOf(id, type).map(hopView);
      if (into.length > 0) hops[`${id} <- ${type}`] = into;
      if (out.length > 0) hops[`${id} -> ${type}`] = out;
    }
  }
  return {
    nodes: [...g.nodes.entries()].sort(([a], [b]) => (a < b ? -1 : 1)),
    hops,
    rows: g.rows().map(rowView),
    rowCount: g.rowCount,
    byId: Object.fromEntries([...new Set(rowIds)].sort().map((id) => [id, g.row(id) ? rowView(g.row(id)!) : null])),
    scoped: Object.fromEntries(g.scopedItems().map((item) => [item, [...g.hopsScopedTo(item)].map((h) => `${h.type}:${h.source}>${h.target}`).sort()])),
  };
}

/** What tracing answers over the graph: every item's counts, its first pages with their rebutted flags, the screen. */
function answers(g: TaintGraph, engine: TraceEngine, items: string[]) {
  const out: Record<string, unknown> = {};
  for (const item of items) {
    const counts = engine.counts(item);
    const pages: Record<string, [string, boolean][]> = {};
    for (const kind of ['direct', 'possible'] as PathKind[]) {
      pages[kind] = [];
      for (let k = 0n; k < counts[kind].all && k < 12n; k++) {
        const p = engine.pathAt(item, kind, k);
        pages[kind].push([p.nodes.join('>'), p.rebutted]);
      }
    }
    out[item] = { counts, pages };
  }
  out.screen = screenGraph(g, engine).map(({ engine: _e, ...row }) => row);
  return out;
}

/** Change lists applied one after another (rounds), each resolved against the model as the previous ones left it. */
const roundsArb = (d: GenDataset, scoped: boolean) => fc.array(fc.array(intentArb, { maxLength: 12 }), { minLength: 1, maxLength: 4 }).map((rounds) => {
  const m = modelOf(d);
  return rounds.map((intents) => {
    const changes: GraphChange[] = [];
    for (const raw of intents) {
      // without scoped rebuttals: every rebuttal the changes set holds for every path
      const i = scoped ? raw : { ...raw, scopes: raw.scopes.map((x) => ({ ...x, scoped: false })) };
      const c = resolve(m, i);
      if (c) {
        changes.push(c);
        apply(m, c);
      }
    }
    return changes;
  });
});

const itemsOf = (g: TaintGraph) => [...g.nodes.values()].filter((n) => n.kind === 'Product' || n.kind === 'Component').map((n) => n.id).sort();

/** Everything an engine answers about every item: counts, the first pages (with rows and flags), subgraph, labor facts. */
function everything(g: TaintGraph, engine: TraceEngine, items: string[]) {
  const out: Record<string, unknown> = {};
  for (const item of items) {
    const counts = engine.counts(item);
    const pages: Record<string, unknown[]> = {};
    for (const kind of ['direct', 'possible'] as PathKind[]) {
      pages[kind] = [];
      for (let k = 0n; k < counts[kind].all && k < 8n; k++) {
        const p = engine.pathAt(item, kind, k);
        pages[kind].push([p.nodes.join('>'), p.rebutted, p.hops.map((h) => h.rows.map((r) => r.id))]);
      }
    }
    const sub = engine.subgraph(item);
    out[item] = { counts, pages, subgraph: { nodes: sub.nodes, rows: sub.rows.map((r) => r.id), sites: sub.sites }, facts: engine.laborFacts(item) };
  }
  out.screen = screenGraph(g, engine).map(({ engine: _e, ...row }) => row);
  return out;
}

describe('patching a taint graph in place', () => {
  it('gives the graph a fresh build of the changed data gives, and the same traces', () => {
    fc.assert(
      fc.property(
        scopedDatasetArb.chain((d) => fc.tuple(fc.constant(d), changesArb(d))),
        asOfArb, fc.boolean(), fc.boolean(), fc.boolean(),
        ([d, { changes, model }], asOf, readFirst, oneByOne, rebuttalsApart) => {
          const g = toTaintGraph(d);
          const day = asOf ? dayOf(asOf) : null;
          // an engine that has counted the graph before the changes: its memo must not survive them
          const engine = new TraceEngine(g, { asOf: day });
          if (readFirst) {
            for (const i of d.items) engine.counts(i.id);
            screenGraph(g, engine); // what the graph keeps for screens (the pass order) must not survive them either
          }
          if (oneByOne) {
            for (const c of changes) {
              patchTaintGraph(g, [c]);
              const item = [...model.nodes.values()].find((n) => n.kind === 'Product');
              if (readFirst && item && g.nodes.has(item.id)) engine.counts(item.id);
            }
          } else {
            patchTaintGraph(g, changes);
          }
          const fresh = build(model, rebuttalsApart);
          const ids = [
            ...model.nodes.keys(), ...d.workers.map((w) => w.id), ...d.agencies.map((a) => a.id), ...d.factories.map((f) => f.id),
            ...d.companies.map((c) => c.id), ...d.items.map((i) => i.id),
            ...changes.flatMap((c) => (c.op === 'upsertNode' ? [c.node.id] : c.op === 'removeNode' ? [c.id] : [])),
          ];
          const rowIds = [...model.rows.keys(), ...changes.flatMap((c) => (c.op === 'upsertRow' ? [c.row.id] : c.op === 'removeRow' ? [c.id] : []))];
          expect(view(g, ids, rowIds)).toEqual(view(fresh, ids, rowIds));
          const items = [...model.nodes.values()].filter((n) => n.kind === 'Product' || n.kind === 'Component').map((n) => n.id).sort();
          expect(answers(g, engine, items)).toEqual(answers(fresh, new TraceEngine(fresh, { asOf: day }), items));
        },
      ),
      { numRuns: RUNS * 3 },
    );
  });

  it('an engine that counted every item keeps what the patches cannot change, and answers as a fresh engine would', () => {
    fc.assert(
      fc.property(
        fc.boolean().chain((scoped) => (scoped ? scopedDatasetArb : datasetArb).chain((d) => fc.tuple(fc.constant(d), roundsArb(d, scoped)))),
        asOfArb, asOfArb, fc.constantFrom('whole', 'one by one', 'one by one, counting'), fc.nat(),
        ([d, rounds], asOf, otherAsOf, mode, probe) => {
          const g = toTaintGraph(d);
          const day = asOf ? dayOf(asOf) : null;
          const otherDay = otherAsOf ? dayOf(otherAsOf) : null;
          // two engines sharing their walk counts (as a snapshot's do), each catching the shared memo up in turn
          const walks = newWalkMemo(g.version);
          const engine = new TraceEngine(g, { asOf: day, walks });
          const other = new TraceEngine(g, { asOf: otherDay, walks });
          // the memo full: every item counted, paged and drawn (scoped memos too, for the items a rebuttal names)
          everything(g, engine, itemsOf(g));
          everything(g, other, itemsOf(g));
          for (const changes of rounds) {
            if (mode === 'whole') patchTaintGraph(g, changes);
            else {
              changes.forEach((c, k) => {
                patchTaintGraph(g, [c]);
                // the memo caught up at versions in between, partly or wholly recounted there
                const items = itemsOf(g);
                if (mode === 'one by one, counting') items.forEach((i) => engine.counts(i));
                else if (items.length > 0) (k % 2 === 0 ? engine : other).counts(items[(probe + k) % items.length]);
              });
            }
            const items = itemsOf(g);
            // an engine joining the shared counts after the patches, first: they are caught up by their own version
            const lateDay = (day ?? 0) + 1;
            expect(everything(g, new TraceEngine(g, { asOf: lateDay, walks }), items)).toEqual(everything(g, new TraceEngine(g, { asOf: lateDay }), items));
            expect(everything(g, engine, items)).toEqual(everything(g, new TraceEngine(g, { asOf: day }), items));
            expect(everything(g, other, items)).toEqual(everything(g, new TraceEngine(g, { asOf: otherDay }), items));
          }
        },
      ),
      { numRuns: RUNS * 3 },
    );
  });

  it('journals what each patch touched: the taint end of each row, nodes whose source status changed', () => {
    const g = new TaintGraph();
    const node = (id: string, kind: NodeKind, extra: Partial<NodeRecordIn> = {}): GraphChange => ({ op: 'upsertNode', node: { id, kind, name: id, ...extra } });
    const row = (type: RelType, source: string, target: string, id = `${type}-${source}-${target}`): GraphChange => ({
      op: 'upsertRow', row: { id, key: relationshipKey(type, source, target, null, null), type, source, target },
    });
    patchTaintGraph(g, [node('W', 'Worker', { nationality: 'CN' }), node('F', 'Factory'), node('C', 'Company'), node('I', 'Product')]);
    const v0 = g.version;
    expect(g.changesSince(v0)).toEqual({ dirty: new Set(), hopEnds: new Map() });
    patchTaintGraph(g, [row('EMPLOYED_AT', 'W', 'F'), row('OPERATES', 'C', 'F'), row('PRODUCED', 'F', 'I')]);
    const v1 = g.version;
    // OPERATES is stored company -> factory; the company reads it
    expect(g.changesSince(v0)!.dirty).toEqual(new Set(['F', 'C', 'I']));
    expect(g.changesSince(v0)!.hopEnds.get('OPERATES')).toEqual(new Set(['C', 'F']));
    patchTaintGraph(g, [node('W', 'Worker', { nationality: 'CN', name: 'renamed' })]);
    expect(g.changesSince(v1)!.dirty).toEqual(new Set());
    patchTaintGraph(g, [node('W', 'Worker', { nationality: 'KP' })]);
    expect(g.changesSince(v1)!.dirty).toEqual(new Set(['W']));
    const v2 = g.version;
    patchTaintGraph(g, [{ op: 'removeRow', id: 'PRODUCED-F-I' }]);
    expect(g.changesSince(v2)).toEqual({ dirty: new Set(['I']), hopEnds: new Map([['PRODUCED', new Set(['F', 'I'])]]) });
    const v3 = g.version;
    patchTaintGraph(g, [{ op: 'setRebuttals', rowId: 'EMPLOYED_AT-W-F', rebuttals: [{ id: 'R', itemIds: ['I'] }] }]);
    expect(g.changesSince(v3)!.dirty).toEqual(new Set(['F']));
    const v4 = g.version;
    patchTaintGraph(g, [{ op: 'removeNode', id: 'F' }]);
    expect(g.changesSince(v4)!.dirty).toEqual(new Set(['F', 'C']));
    // a load says nothing of what changed before it; nor does a journal past its limit
    g.addNode({ id: 'X', kind: 'Factory' });
    expect(g.changesSince(v4)).toBeNull();
    expect(g.changesSince(g.version)).toEqual({ dirty: new Set(), hopEnds: new Map() });
  });

  it('a screen after a patch to the bill of materials reads the patched one (the pass order kept per graph version)', () => {
    const g = new TaintGraph();
    const node = (id: string, kind: NodeKind, extra: Partial<NodeRecordIn> = {}): GraphChange => ({ op: 'upsertNode', node: { id, kind, name: id, ...extra } });
    const row = (type: RelType, source: string, target: string): GraphChange => ({
      op: 'upsertRow', row: { id: `${type}-${source}-${target}`, key: relationshipKey(type, source, target, null, null), type, source, target },
    });
    // a fresh engine each time: only what the graph keeps (its pass order) could carry over from one screen to the next
    const screened = () => Object.fromEntries(screenGraph(g, new TraceEngine(g, { asOf: null })).map((r) => [r.itemId, r.counts?.direct.all]));
    patchTaintGraph(g, [
      node('W', 'Worker', { nationality: 'KP' }), node('F', 'Factory'), node('P', 'Product'), node('A', 'Component'), node('B', 'Component'),
      row('EMPLOYED_AT', 'W', 'F'), row('PRODUCED', 'F', 'A'), row('COMPONENT_OF', 'A', 'P'),
    ]);
    expect(screened()).toEqual({ P: 1n });
    patchTaintGraph(g, [row('PRODUCED', 'F', 'B'), row('COMPONENT_OF', 'B', 'P')]); // a second component below P
    expect(screened()).toEqual({ P: 2n });
    patchTaintGraph(g, [node('Q', 'Product'), row('COMPONENT_OF', 'A', 'Q')]); // a new product above A
    expect(screened()).toEqual({ P: 2n, Q: 1n });
    patchTaintGraph(g, [{ op: 'removeRow', id: 'COMPONENT_OF-A-P' }]); // A no longer in P
    expect(screened()).toEqual({ P: 1n, Q: 1n });
  });

  it('a patch in one part of the graph leaves the counts of the other parts memoized', () => {
    const g = new TaintGraph();
    const changes: GraphChange[] = [];
    const row = (type: RelType, source: string, target: string): GraphChange => {
      const key = relationshipKey(type, source, target, null, null);
      return { op: 'upsertRow', row: { id: relationshipId(key), key, type, source, target } };
    };
    // two regions, each a KP cohort at a plant with a subcontracting cycle, making a part of a product
    for (const r of ['A', 'B']) {
      changes.push(
        { op: 'upsertNode', node: { id: `W${r}`, kind: 'Worker', nationality: 'KP' } },
        { op: 'upsertNode', node: { id: `F${r}`, kind: 'Factory' } },
        { op: 'upsertNode', node: { id: `G${r}`, kind: 'Factory' } },
        { op: 'upsertNode', node: { id: `C${r}`, kind: 'Component' } },
        { op: 'upsertNode', node: { id: `P${r}`, kind: 'Product' } },
        row('EMPLOYED_AT', `W${r}`, `F${r}`), row('SUBCONTRACTOR_OF', `F${r}`, `G${r}`), row('SUBCONTRACTOR_OF', `G${r}`, `F${r}`),
        row('PRODUCED', `G${r}`, `C${r}`), row('COMPONENT_OF', `C${r}`, `P${r}`),
      );
    }
    patchTaintGraph(g, changes);
    const engine = new TraceEngine(g, { asOf: null });
    const steps = (item: string) => {
      const budget = new WorkBudget(1000);
      const counts = engine.withBudget(budget).counts(item);
      return { direct: counts.direct.all, steps: budget.steps };
    };
    expect([steps('PA'), steps('PB')].map((s) => s.direct)).toEqual([1n, 1n]);
    expect([steps('PA'), steps('PB')]).toEqual([{ direct: 1n, steps: 0 }, { direct: 1n, steps: 0 }]);
    // a second KP cohort at B's other plant: B is counted again, A not at all
    patchTaintGraph(g, [{ op: 'upsertNode', node: { id: 'WB2', kind: 'Worker', nationality: 'KP' } }, row('EMPLOYED_AT', 'WB2', 'GB')]);
    expect(steps('PA')).toEqual({ direct: 1n, steps: 0 });
    const b = steps('PB');
    expect(b.direct).toBe(2n);
    expect(b.steps).toBeGreaterThan(0);
    // breaking B's cycle: A still untouched, B counted on its new components
    patchTaintGraph(g, [{ op: 'removeRow', id: relationshipId(relationshipKey('SUBCONTRACTOR_OF', 'GB', 'FB', null, null)) }]);
    expect(steps('PA')).toEqual({ direct: 1n, steps: 0 });
    expect(steps('PB').direct).toBe(2n);
    expect(new TraceEngine(g, { asOf: null }).counts('PB').direct.all).toBe(2n);
  });

  it('removes hops with their last row, and nodes with their rows; absent ids change nothing', () => {
    const g = new TaintGraph();
    g.addNode({ id: 'W', kind: 'Worker', nationality: 'KP' });
    g.addNode({ id: 'F', kind: 'Factory' });
    g.addNode({ id: 'P', kind: 'Product' });
    const row = (from: string | null, to: string | null): RowRecordIn & { id: string } => {
      const key = relationshipKey('EMPLOYED_AT', 'W', 'F', from, to);
      return { id: relationshipId(key), key, type: 'EMPLOYED_AT', source: 'W', target: 'F', from, to };
    };
    const [a, b] = [row('2012-01-01', '2012-12-31'), row('2014-01-01', null)];
    patchTaintGraph(g, [
      { op: 'upsertRow', row: b }, { op: 'upsertRow', row: a },
      { op: 'upsertRow', row: { id: 'P1', key: relationshipKey('PRODUCED', 'F', 'P', null, null), type: 'PRODUCED', source: 'F', target: 'P' } },
    ]);
    expect(g.into('F', 'EMPLOYED_AT')[0].rows.map((r) => r.from)).toEqual(['2012-01-01', '2014-01-01']);
    expect(new TraceEngine(g, { asOf: null }).counts('P').direct.all).toBe(1n);
    patchTaintGraph(g, [{ op: 'removeRow', id: a.id }, { op: 'removeRow', id: 'NOPE' }, { op: 'removeNode', id: 'NOPE' }]);
    expect(g.into('F', 'EMPLOYED_AT')[0].rows.map((r) => r.from)).toEqual(['2014-01-01']);
    patchTaintGraph(g, [{ op: 'removeRow', id: b.id }]);
    expect([g.into('F', 'EMPLOYED_AT'), g.outOf('W', 'EMPLOYED_AT')]).toEqual([[], []]);
    patchTaintGraph(g, [{ op: 'removeNode', id: 'F' }]);
    expect([g.nodes.has('F'), g.row('P1'), g.into('P', 'PRODUCED'), g.rowCount]).toEqual([false, undefined, [], 0]);
  });
});

describe('loading a taint graph in pieces', () => {
  // The store is built when the graph is first read; rows loaded after a read rebuild it from everything held so
  // far (thawed hops and rebuttals included). Whatever the order and the reads between, the graph must be the one a
  // single load builds.
  it('rows loaded in any order, again, or after reads give the graph one load gives', () => {
    fc.assert(
      fc.property(scopedDatasetArb, fc.array(fc.nat(), { maxLength: 6 }), fc.nat(), asOfArb, (d, readsAt, seed, asOf) => {
        const once = toTaintGraph(d);
        const m = modelOf(d);
        const g = new TaintGraph();
        for (const n of [...m.nodes.values()].reverse()) g.addNode(n);
        // a fixed shuffle of the rows, the first few loaded twice (the second time ignored: same key)
        const rows = [...m.rows.values()].map((r, i) => ({ r, k: (i * 7919 + seed) % 104729 })).sort((a, b) => a.k - b.k).map((x) => x.r);
        const loads = [...rows, ...rows.slice(0, 3)];
        const reads = new Set(readsAt.map((x) => x % (loads.length + 1)));
        const products = d.items.filter((i) => i.product).map((i) => i.id);
        loads.forEach((r, i) => {
          if (reads.has(i)) {
            for (const id of m.nodes.keys()) g.into(id, 'EMPLOYED_AT');
            if (products.length > 0) new TraceEngine(g, { asOf: null }).counts(products[0]);
          }
          g.addRow({ ...r, rebuttals: m.rebuttals.get(r.id) ?? null });
        });
        const ids = [...m.nodes.keys()];
        const rowIds = [...m.rows.keys()];
        expect(view(g, ids, rowIds)).toEqual(view(once, ids, rowIds));
        const day = asOf ? dayOf(asOf) : null;
        const items = itemsOf(once);
        expect(everything(g, new TraceEngine(g, { asOf: day }), items)).toEqual(everything(once, new TraceEngine(once, { asOf: day }), items));
      }),
      { numRuns: RUNS },
    );
  });
});

describe('saving a taint graph', () => {
  // What the snapshot file holds (src/trace/snapshot-file.ts): a graph saved after patches, list matches and
  // rebuttals and read back must answer exactly as the graph it was saved from, and take patches the same way.
  it('a graph read back from its saved state is the graph it was saved from', () => {
    fc.assert(
      fc.property(
        scopedDatasetArb.chain((d) => fc.tuple(fc.constant(d), changesArb(d), changesArb(d))), asOfArb, fc.nat(),
        ([d, before, after], asOf, listed) => {
          const g = toTaintGraph(d);
          patchTaintGraph(g, before.changes);
          const agencies = [...g.nodes.values()].filter((n) => n.kind === 'LaborAgency');
          if (agencies.length > 0) g.setListedDprk(agencies[listed % agencies.length].id, 'M1', true);
          const meta = { version: 7, epoch: 'e' };
          const read = decodeGraphState(Buffer.concat(encodeGraphState(g.state(), meta)));
          expect(read.meta).toEqual(meta);
          const copy = TaintGraph.fromState(read.state);
          const ids = [...g.nodes.keys(), ...copy.nodes.keys()];
          const rowIds = g.rows().map((r) => r.id);
          expect(view(copy, ids, rowIds)).toEqual(view(g, ids, rowIds));
          const day = asOf ? dayOf(asOf) : null;
          expect(everything(copy, new TraceEngine(copy, { asOf: day }), itemsOf(g))).toEqual(everything(g, new TraceEngine(g, { asOf: day }), itemsOf(g)));
          // the same patches after reading it back: the same graph (a listed agency's match withdrawn included)
          const later = after.changes.filter((c) => c.op !== 'upsertNode' || g.nodes.has(c.node.id) || !copy.nodes.has(c.node.id));
          for (const x of [g, copy]) {
            patchTaintGraph(x, later);
            if (agencies.length > 0) x.setListedDprk(agencies[listed % agencies.length].id, 'M1', false);
          }
          const after2 = [...g.nodes.keys()];
          expect(view(copy, after2, g.rows().map((r) => r.id))).toEqual(view(g, after2, g.rows().map((r) => r.id)));
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('refuses bytes that are not a whole snapshot, naming what is wrong', () => {
    const g = new TaintGraph();
    g.addNode({ id: 'W', kind: 'Worker', nationality: 'KP' });
    const bytes = Buffer.concat(encodeGraphState(g.state(), null));
    expect(() => decodeGraphState(Buffer.from('not a snapshot at all'))).toThrow('not a labortrace snapshot');
    expect(() => decodeGraphState(bytes.subarray(0, bytes.length - 8))).toThrow(/cut short in section/);
  });
});
