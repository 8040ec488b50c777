/**
 * The n-tier supplier map of a company (`/?company=ID&direction=UPSTREAM&tiers=N`): companies and their SUPPLIES
 * relationships, up (suppliers, their suppliers, …) or down (customers), drawn and listed (SupplyMap).
 */
import { request, SUPPLY_MAP, type SupplyDirection } from '../api';
import { DetailsPanel } from '../details';
import { el, errorList, interval, loading, replaceChildren } from '../dom';
import { GraphView } from '../graph-view';
import { link, navigate, withTime } from '../router';
import { markLoaded, type View } from './view';

const DEFAULT_TIERS = 10;

export const renderSupplyMap: View = async (root, state, signal) => {
  const companyId = state.company ?? '';
  const direction: SupplyDirection = state.direction ?? 'UPSTREAM';
  const tiers = state.tiers ?? DEFAULT_TIERS;
  document.title = `Supplier map of ${companyId} — labortrace`;

  const directionSelect = el('select', { id: 'supply-direction' },
    el('option', { value: 'UPSTREAM', selected: direction === 'UPSTREAM' }, 'Upstream: its suppliers'),
    el('option', { value: 'DOWNSTREAM', selected: direction === 'DOWNSTREAM' }, 'Downstream: its customers'));
  const tiersInput = el('input', { id: 'supply-tiers', type: 'number', min: 1, max: 50, value: tiers });
  const form = el('form', { class: 'controls-inline' },
    el('label', { for: 'supply-direction' }, 'Direction '), directionSelect, ' ',
    el('label', { for: 'supply-tiers' }, 'Tiers '), tiersInput, ' ',
    el('button', { type: 'submit' }, 'Show'));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    navigate({ ...state, direction: directionSelect.value as SupplyDirection, tiers: Number(tiersInput.value) || DEFAULT_TIERS });
  });
  const header = el('section', {}, el('h2', {}, `Supplier map of ${companyId}`), loading('Walking the supply relationships…'));
  const list = el('section', { class: 'supply-list' });
  const details = new DetailsPanel(state, 'Click an edge or a company in the graph to see its details.');
  const names = new Map<string, string>();
  let relationships: { id: string }[] = [];
  const graph = new GraphView({
    label: `Supplier map of ${companyId}`,
    onSelectRelationship: (r) => {
      details.showRelationships([r], (id) => names.get(id) ?? id);
      graph.highlight([], [r.id]);
    },
    onSelectNode: (n) => details.showNode(n),
  });
  const graphArea = el('div', { class: 'graph-area' }, el('div', { class: 'graph-column' }, graph.element), details.element);
  root.append(header, form, graphArea, list);
  signal.addEventListener('abort', () => graph.destroy());

  const { data, errors } = await request(SUPPLY_MAP, { companyId, direction, maxTiers: tiers, knownAt: state.knownAt });
  if (signal.aborted) return;
  const company = data?.company;
  replaceChildren(header, el('h2', {}, `Supplier map of ${company?.name ?? companyId}`),
    el('p', { class: 'subtitle' }, el('code', {}, companyId), ` — ${direction === 'UPSTREAM' ? 'suppliers' : 'customers'}, up to ${tiers} tier${tiers === 1 ? '' : 's'}. `,
      link('Impact of this company', withTime(state, { view: 'impact', impact: companyId }))),
    errorList(errors, 'Supplier map'));
  const map = data?.supplyChain;
  if (map) {
    for (const n of map.nodes) names.set(n.id, n.name ?? n.id);
    relationships = map.relationships;
    if (map.relationships.length === 0) {
      graphArea.hidden = true;
      list.append(el('p', { class: 'no-paths' }, `No ${direction === 'UPSTREAM' ? 'supplier' : 'customer'} recorded.`));
    } else {
      graph.draw(map);
      list.append(el('h3', {}, `Supply relationships (${relationships.length})`),
        el('ul', { class: 'result-list' }, ...map.relationships.map((r) => el('li', { 'data-relationship-id': r.id },
          link(names.get(r.source) ?? r.source, withTime(state, { view: 'supply', company: r.source, direction, tiers: state.tiers })),
          ' supplies ',
          link(names.get(r.target) ?? r.target, withTime(state, { view: 'supply', company: r.target, direction, tiers: state.tiers })),
          ` (${interval(r.from, r.to)})`))));
    }
  }
  markLoaded(root);
};
