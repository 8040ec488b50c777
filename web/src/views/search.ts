/**
 * Search (`/?q=TEXT`, the home page): items, factories, companies and agencies whose name contains the text,
 * and the one whose id is exactly the text (SearchEntities, one request). Items link to their trace, every result
 * to its impact, companies also to their supplier map.
 */
import { request, SEARCH_ENTITIES, type SearchData } from '../api';
import { el, errorList, loading, replaceChildren } from '../dom';
import { link, navigate, withTime, type ExplorerState } from '../router';
import { markLoaded, type View } from './view';

const RESULTS_PER_KIND = 25;

interface Result {
  id: string;
  name: string;
  detail: string;
  links: HTMLAnchorElement[];
}

export const renderSearch: View = async (root, state, signal) => {
  document.title = state.q ? `Search: ${state.q} — labortrace` : 'labortrace explorer';
  const input = el('input', { id: 'search-text', type: 'search', name: 'q', value: state.q ?? '', placeholder: 'e.g. jacket, F-HUNCHUN-CUT', autocomplete: 'off', required: true });
  const form = el('form', { class: 'search-form', role: 'search' },
    el('label', { for: 'search-text' }, 'Search items, factories, companies and agencies by id or name'),
    el('div', { class: 'search-row' }, input, el('button', { type: 'submit' }, 'Search')));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    navigate(withTime(state, { view: 'search', q: input.value.trim() || undefined }));
  });
  const results = el('div', { class: 'search-results', 'aria-live': 'polite' });
  root.append(el('h2', {}, 'Search'), form, results,
    el('p', { class: 'hint' }, 'Or open the ', link('catalogue screen', withTime(state, { view: 'screen' })), ' to see every exposed product.'));
  if (!state.q) {
    input.focus();
    markLoaded(root);
    return;
  }

  replaceChildren(results, loading('Searching…'));
  const { data, errors } = await request(SEARCH_ENTITIES, { text: state.q, id: state.q, first: RESULTS_PER_KIND, knownAt: state.knownAt });
  if (signal.aborted) return;
  replaceChildren(results, errorList(errors, 'Search'));
  if (data) {
    const groups = resultGroups(data, state);
    const total = groups.reduce((sum, [, list]) => sum + list.length, 0);
    results.append(el('p', { role: 'status' }, total === 0 ? `Nothing matches “${state.q}”.` : `${total} result${total === 1 ? '' : 's'} for “${state.q}”.`));
    for (const [title, list] of groups) {
      if (list.length === 0) continue;
      results.append(el('section', { class: 'result-group' },
        el('h3', {}, `${title} (${list.length})`),
        el('ul', { class: 'result-list' }, ...list.map((r) =>
          el('li', { 'data-result-id': r.id },
            el('span', { class: 'result-name' }, r.name), ' ', el('code', {}, r.id), r.detail ? ` — ${r.detail}` : '', ' ',
            el('span', { class: 'result-links' }, ...r.links.flatMap((a, i) => (i === 0 ? [a] : [' · ', a]))))))));
    }
  }
  markLoaded(root);
};

/** The name matches with the exact id match first (without repeating it). */
function merged<T extends { id: string }>(byId: T | null, byName: { node: T }[]): T[] {
  const rest = byName.map((e) => e.node).filter((n) => n.id !== byId?.id);
  return byId ? [byId, ...rest] : rest;
}

function resultGroups(data: SearchData, state: ExplorerState): [string, Result[]][] {
  const impact = (id: string) => link('impact', withTime(state, { view: 'impact', impact: id }));
  return [
    ['Items', merged(data.itemById, data.items.edges).map((n) => ({
      id: n.id, name: n.name, detail: n.kind === 'PRODUCT' ? 'product' : 'component',
      links: [link('trace', withTime(state, { view: 'trace', item: n.id })), impact(n.id)],
    }))],
    ['Factories', merged(data.factoryById, data.factories.edges).map((n) => ({ id: n.id, name: n.name, detail: n.country, links: [impact(n.id)] }))],
    ['Companies', merged(data.companyById, data.companies.edges).map((n) => ({
      id: n.id, name: n.name, detail: n.country ?? '',
      links: [link('supplier map', withTime(state, { view: 'supply', company: n.id })), impact(n.id)],
    }))],
    ['Labor agencies', merged(data.agencyById, data.agencies.edges).map((n) => ({ id: n.id, name: n.name, detail: n.country ?? '', links: [impact(n.id)] }))],
  ];
}
