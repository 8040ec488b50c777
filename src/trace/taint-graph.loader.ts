import type { Neo4jClient, Tx } from '../db/neo4j-client';
import { LABOR_REL_TYPES, kindOfLabels, type RelType } from '../model/graph-model';
import { TaintGraph, type RowRecordIn } from './engine/taint-graph';
import { acceptedRebuttals } from '../changes/recorded-graph';
import type { AcceptedIndex } from '../changes/log-to-graph-changes';

interface NodeRow {
  node: { id: string; name?: string | null; nationality?: string | null; country?: string | null; dprk_linked?: boolean | null };
  labels: string[];
}

/** A relationship row as the trace statements return it; `extras` comes as [key, value] pairs. */
interface HopRow extends Omit<RowRecordIn, 'extras'> {
  extras: [string, string][] | null;
  far?: NodeRow['node'];
  farLabels?: string[];
}

/** A node as trace/all-nodes.cypher lists it. */
type NodeList = [id: string, name: string | null, nationality: string | null, country: string | null, dprkLinked: boolean | null, labels: string[]];
/** A relationship as trace/all-hops.cypher lists it. */
type HopList = [type: RelType, id: string | null, key: string, source: string, target: string, placement: string | null, from: string | null,
  to: string | null, evidence: string[] | null, extras: [string, string][]];

function rowIn(h: HopRow): RowRecordIn {
  const { far: _far, farLabels: _labels, extras, ...row } = h;
  return { ...row, extras: extras && extras.length > 0 ? Object.fromEntries(extras) : null };
}

function addNode(g: TaintGraph, n: NodeRow['node'], labels: string[]): void {
  g.addNode({
    id: n.id, kind: kindOfLabels(labels), name: n.name ?? null,
    nationality: n.nationality ?? null, country: n.country ?? null, dprkLinked: n.dprk_linked ?? null,
  });
}

/** Only accepted rebuttals count (CHANGES.md); they live on :Rebuttal nodes, read apart from the rows they rebut. */
async function addRebuttals(tx: Tx, g: TaintGraph, ids: string[] | null): Promise<void> {
  if (ids !== null && ids.length === 0) return;
  for (const [relId, list] of await acceptedRebuttals(tx, ids)) g.setRebuttals(relId, list);
}

/** Agencies a person confirmed to be on a list under a DPRK program are sources (LISTS.md); read before the nodes. */
async function addListedSources(tx: Tx, g: TaintGraph): Promise<void> {
  for (const r of (await tx.run('lists/confirmed-dprk-matches')).records) g.setListedDprk(r.get('entityId'), r.get('id'), true);
}

async function rows<R>(tx: Tx, statement: string, params: Record<string, unknown>): Promise<R[]> {
  return (await tx.run(statement, params)).records.map((r) => r.toObject() as R);
}

function addHops(g: TaintGraph, hops: HopRow[]): void {
  for (const h of hops) {
    if (h.far && h.farLabels && !g.nodes.has(h.far.id)) addNode(g, h.far, h.farLabels);
    g.addRow(rowIn(h));
  }
}

/**
 * Everything a trace of one item can touch, in one read transaction of at most nine statements whatever the
 * size of the graph: the item's bill of materials, the factories and companies behind it (with their subcontract
 * and supply closures, supply and sourcing with their intervals), the labor edges into those factories, and the
 * labor behind the agencies supplying them: every agency that dispatches into them through any chain, the
 * dispatch rows, and recruitment (with placements) into all of those agencies. Returns null when the item does
 * not exist.
 */
export async function loadItemRegion(client: Neo4jClient, itemId: string): Promise<TaintGraph | null> {
  return (await loadItemRegionAt(client, itemId))?.graph ?? null;
}

/** The item's region and the graph version it was read at (the same read transaction). */
export async function loadItemRegionAt(client: Neo4jClient, itemId: string): Promise<{ graph: TaintGraph; at: GraphVersion } | null> {
  return client.readTx(async (tx) => {
    if ((await tx.run('trace/item', { id: itemId })).records.length === 0) return null;
    const at = await graphVersion(tx);
    const g = new TaintGraph();
    await addListedSources(tx, g);
    const items = await rows<NodeRow>(tx, 'trace/bom-closure', { id: itemId });
    items.forEach((r) => addNode(g, r.node, r.labels));
    const itemHops = await rows<HopRow>(tx, 'trace/item-hops', { ids: items.map((r) => r.node.id) });
    addHops(g, itemHops);

    const factories = new Set(itemHops.filter((h) => h.type === 'PRODUCED').map((h) => h.source));
    const sellers = [...new Set(itemHops.filter((h) => h.type === 'SOURCED_FROM').map((h) => h.source))];
    if (sellers.length > 0) {
      const companies = await rows<NodeRow>(tx, 'trace/company-closure', { ids: sellers });
      companies.forEach((r) => addNode(g, r.node, r.labels));
      const companyHops = await rows<HopRow>(tx, 'trace/company-hops', { ids: companies.map((r) => r.node.id) });
      addHops(g, companyHops);
      companyHops.filter((h) => h.type === 'OPERATES').forEach((h) => factories.add(h.target));
    }
    if (factories.size > 0) {
      const closure = await rows<NodeRow>(tx, 'trace/factory-closure', { ids: [...factories] });
      closure.forEach((r) => addNode(g, r.node, r.labels));
      const factoryHops = await rows<HopRow>(tx, 'trace/factory-hops', { ids: closure.map((r) => r.node.id) });
      addHops(g, factoryHops);
      const suppliers = [...new Set(factoryHops.filter((h) => h.type === 'SUPPLIES_LABOR_TO').map((h) => h.source))];
      if (suppliers.length > 0) {
        const agencies = await rows<NodeRow>(tx, 'trace/agency-closure', { ids: suppliers });
        agencies.forEach((r) => addNode(g, r.node, r.labels));
        addHops(g, await rows<HopRow>(tx, 'trace/agency-hops', { ids: agencies.map((r) => r.node.id) }));
      }
    }
    await addRebuttals(tx, g, g.rows().filter((r) => LABOR_REL_TYPES.has(r.type)).map((r) => r.id));
    return { graph: g, at };
  });
}

export interface GraphVersion {
  version: number;
  token: string | null;
  epoch: string | null;
}

/**
 * What a path cursor carries (API-CORE.md: a cursor belongs to the graph version it was issued on): the store's
 * epoch and the version, so that neither a later change set nor a wiped store can give it another path.
 */
export const versionTag = (v: { version?: number; epoch?: string | null }): string => `${(v.epoch ?? '').slice(0, 8)}.${v.version ?? 0}`;

export async function graphVersion(tx: Tx): Promise<GraphVersion> {
  const r = (await tx.run('admin/graph-version')).records[0];
  return { version: Number(r.get('version')), token: r.get('token'), epoch: r.get('epoch') };
}

/**
 * The whole graph (screen, impact, cached traces), the version it was read at and its accepted rebuttals by
 * relationship (so that a rebuttal's change can later be applied alone), in one read transaction.
 */
export async function loadWholeGraph(client: Neo4jClient): Promise<{ graph: TaintGraph; at: GraphVersion; accepted: AcceptedIndex }> {
  return client.readTx(async (tx) => {
    const at = await graphVersion(tx);
    const g = new TaintGraph();
    await addListedSources(tx, g);
    for await (const [id, name, nationality, country, dprkLinked, labels] of tx.streamColumn<NodeList>('trace/all-nodes')) {
      g.addNode({ id, kind: kindOfLabels(labels), name, nationality, country, dprkLinked });
    }
    for await (const [type, id, key, source, target, placement, from, to, evidence, extras] of tx.streamColumn<HopList>('trace/all-hops')) {
      g.addRow({ type, id, key, source, target, placement, from, to, evidence, extras: extras.length > 0 ? Object.fromEntries(extras) : null });
    }
    const accepted: AcceptedIndex = new Map();
    for (const [relId, list] of await acceptedRebuttals(tx, null)) {
      accepted.set(relId, new Map(list.map((b) => [b.id, b])));
      g.setRebuttals(relId, list);
    }
    return { graph: g, at, accepted };
  });
}
