/**
 * Impact of a node (`/?impact=ID&asOf=…`): the products and components that paths through the node reach, with
 * their counts, and the union of those paths drawn (ImpactOf, one request; analyst and up).
 */
import { IMPACT_OF, request, type GraphRelationship, type ImpactRow } from '../api';
import { DetailsPanel } from '../details';
import { append, count, el, errorList, facts, kindLabel, loading, replaceChildren } from '../dom';
import { GraphView } from '../graph-view';
import { link, withTime, type ExplorerState } from '../router';
import { markLoaded, type View } from './view';

export const renderImpact: View = async (root, state, signal) => {
  const nodeId = state.impact ?? '';
  document.title = `Impact of ${nodeId} — labortrace`;
  const header = el('section', { class: 'impact-header' }, el('h2', {}, `Impact of ${nodeId}`), loading('Following the paths…'));
  const tables = el('section', { class: 'impact-tables' });
  const details = new DetailsPanel(state, 'Click an edge or a node in the graph (or choose one in “Drawn nodes”) to see its details.');
  const names = new Map<string, string>();
  const graph = new GraphView({
    label: `Graph of the paths through ${nodeId}`,
    onSelectRelationship: (r) => {
      const hop = relationships.filter((x) => x.source === r.source && x.target === r.target);
      details.showRelationships(hop, (id) => names.get(id) ?? id);
      graph.highlight([], hop.map((x) => x.id));
    },
    onSelectNode: (n) => details.showNode(n),
  });
  let relationships: GraphRelationship[] = [];
  const graphArea = el('div', { class: 'graph-area' }, el('div', { class: 'graph-column' }, graph.element), details.element);
  root.append(header, tables, graphArea);
  signal.addEventListener('abort', () => graph.destroy());

  const { data, errors } = await request(IMPACT_OF, { nodeId, asOf: state.asOf, knownAt: state.knownAt });
  if (signal.aborted) return;
  const impact = data?.impact;
  replaceChildren(header, el('h2', {}, impact ? `Impact of ${impact.node.name ?? impact.node.id}` : `Impact of ${nodeId}`), errorList(errors, 'Impact'));
  if (!impact) {
    graphArea.hidden = true;
    markLoaded(root);
    return;
  }
  append(header,
    facts([
      ['Kind', kindLabel(impact.node.kind)], ['Id', el('code', {}, impact.node.id)], ['Country', impact.node.country ?? '—'],
      ['DPRK source', impact.node.source ? 'yes' : 'no'], ['As of', state.asOf ?? 'today'],
    ]),
    impact.node.kind === 'Company' ? el('p', {}, link('Supplier map of this company', withTime(state, { view: 'supply', company: impact.node.id }))) : null);
  tables.append(
    impactTable('Products reached', impact.products, state, 'products'),
    impactTable('Components reached', impact.components, state, 'components'));
  for (const n of impact.all.nodes) names.set(n.id, n.name ?? n.id);
  relationships = impact.all.relationships;
  if (impact.all.nodes.length === 0) graphArea.hidden = true;
  else graph.draw(impact.all, new Set(impact.direct.relationships.map((r) => r.id)));
  markLoaded(root);
};

function impactTable(title: string, rows: ImpactRow[], state: ExplorerState, kind: string): HTMLElement {
  if (rows.length === 0) return el('div', {}, el('h3', {}, title), el('p', { class: 'no-paths', 'data-empty': kind }, `No ${kind} reached through this node.`));
  return el('div', {}, el('h3', {}, `${title} (${rows.length})`),
    el('div', { class: 'table-scroll' }, el('table', { class: `data-table impact-table`, 'data-table': kind },
      el('thead', {}, el('tr', {}, ...['Item', 'Direct paths', 'Open direct', 'Possible paths', 'Open possible']
        .map((h, i) => el('th', { scope: 'col', class: i > 0 ? 'numeric' : undefined }, h)))),
      el('tbody', {}, ...rows.map((r) => el('tr', { 'data-item-id': r.item.id },
        el('th', { scope: 'row' }, link(r.item.name, withTime(state, { view: 'trace', item: r.item.id })), ' ', el('code', {}, r.item.id)),
        el('td', { class: 'numeric' }, count(r.pathCount)), el('td', { class: 'numeric' }, count(r.openPathCount)),
        el('td', { class: 'numeric' }, count(r.possiblePathCount)), el('td', { class: 'numeric' }, count(r.openPossiblePathCount))))))));
}
