/**
 * The catalogue screen (`/?view=screen&asOf=…`): every product whose exposure is not NONE, with its counts,
 * a page at a time (ScreenPage, cursor paging in id order). Sorting by a column sorts the loaded page in the
 * browser: the API returns products in id order and has no sort argument.
 */
import { request, SCREEN_PAGE, type ScreenRow } from '../api';
import { button, count, el, errorList, exposureBadge, loading, replaceChildren } from '../dom';
import { navigate, replaceUrl, urlOf, withTime, type ExplorerState } from '../router';
import { markLoaded, type View } from './view';

const DEFAULT_PAGE_SIZE = 25;
const PAGE_SIZES = [5, 10, 25, 50, 100];
const EXPOSURE_RANK: Record<string, number> = { DIRECT: 2, POSSIBLE: 1, NONE: 0 };

interface Column {
  key: string;
  title: string;
  numeric: boolean;
  value: (row: ScreenRow) => string | bigint | number;
  cell: (row: ScreenRow) => Node | string;
}

const COLUMNS: Column[] = [
  { key: 'item', title: 'Product', numeric: false, value: (r) => r.item.name.toLowerCase(), cell: (r) => r.item.name },
  { key: 'exposure', title: 'Exposure', numeric: true, value: (r) => EXPOSURE_RANK[r.exposure] ?? -1, cell: (r) => exposureBadge(r.exposure) },
  { key: 'paths', title: 'Direct paths', numeric: true, value: (r) => big(r.pathCount), cell: (r) => count(r.pathCount) },
  { key: 'open', title: 'Open direct', numeric: true, value: (r) => big(r.openPathCount), cell: (r) => count(r.openPathCount) },
  { key: 'possible', title: 'Possible paths', numeric: true, value: (r) => big(r.possiblePathCount), cell: (r) => count(r.possiblePathCount) },
  { key: 'sources', title: 'DPRK sources', numeric: true, value: (r) => r.sourceCount, cell: (r) => count(r.sourceCount) },
  { key: 'sites', title: 'Sites', numeric: true, value: (r) => r.siteCount, cell: (r) => count(r.siteCount) },
];

/** Counts are exact integers of any size: compared as BigInt; an unknown (TOO_COMPLEX) count sorts lowest. */
function big(value: string | null): bigint {
  return value === null ? -1n : BigInt(value);
}

/** The cursors of the pages before the shown one, for "Previous" (the API pages forward only). */
const trail: (string | undefined)[] = [];

export const renderScreen: View = async (root, state, signal) => {
  document.title = 'Catalogue screen — labortrace';
  const pageSize = state.pageSize ?? DEFAULT_PAGE_SIZE;
  const sizeSelect = el('select', { id: 'page-size' }, ...PAGE_SIZES.map((n) => el('option', { value: n, selected: n === pageSize }, String(n))));
  if (!PAGE_SIZES.includes(pageSize)) sizeSelect.prepend(el('option', { value: pageSize, selected: true }, String(pageSize)));
  sizeSelect.addEventListener('change', () => {
    trail.length = 0;
    navigate({ ...state, pageSize: Number(sizeSelect.value), after: undefined });
  });
  const body = el('div', { class: 'screen-body' }, loading('Screening the catalogue…'));
  root.append(
    el('h2', {}, 'Catalogue screen'),
    el('p', { class: 'subtitle' }, `Products with DPRK exposure ${state.asOf ? `as of ${state.asOf}` : 'as of today'}${state.knownAt ? `, as recorded at ${state.knownAt}` : ''}. `,
      'Products with exposure NONE are not listed. Sorting applies to the page shown.'),
    el('p', { class: 'controls-inline' }, el('label', { for: 'page-size' }, 'Rows per page '), sizeSelect),
    body);

  const { data, errors } = await request(SCREEN_PAGE, { asOf: state.asOf, knownAt: state.knownAt, first: pageSize, after: state.after });
  if (signal.aborted) return;
  replaceChildren(body, errorList(errors, 'Screen'));
  const screen = data?.screen;
  if (screen) {
    const rows = screen.edges.map((e) => e.node);
    const table = screenTable(rows, state);
    const previous = button('Previous', () => navigate({ ...state, after: trail.pop() }), { disabled: !state.after, class: 'secondary' });
    const next = button('Next', () => {
      trail.push(state.after);
      navigate({ ...state, after: screen.pageInfo.endCursor ?? undefined });
    }, { disabled: !screen.pageInfo.hasNextPage, class: 'secondary' });
    body.append(
      rows.length === 0 ? el('p', { class: 'no-paths' }, 'No product is exposed.') : el('div', { class: 'table-scroll' }, table),
      el('nav', { class: 'pager', 'aria-label': 'pages of the screen' }, previous,
        el('span', { class: 'range' }, `${rows.length} shown of ${count(screen.totalCount)} exposed products`), next));
  }
  markLoaded(root);
};

function screenTable(rows: ScreenRow[], state: ExplorerState): HTMLTableElement {
  const [sortKey, sortDirection] = (state.sort ?? '').split(':');
  let sort = { key: COLUMNS.some((c) => c.key === sortKey) ? sortKey : '', descending: sortDirection === 'desc' };
  const tbody = el('tbody');
  const headerCells = COLUMNS.map((column) => {
    const sortButton = button(column.title, () => {
      sort = { key: column.key, descending: sort.key === column.key ? !sort.descending : column.numeric };
      replaceUrl({ ...state, sort: `${sort.key}:${sort.descending ? 'desc' : 'asc'}` });
      fill();
    }, { class: 'sort-button', 'data-sort-key': column.key });
    return el('th', { scope: 'col', class: column.numeric ? 'numeric' : undefined }, sortButton);
  });
  const fill = () => {
    const column = COLUMNS.find((c) => c.key === sort.key);
    const sorted = column ? [...rows].sort((a, b) => compare(column.value(a), column.value(b)) * (sort.descending ? -1 : 1) || compare(a.item.id, b.item.id)) : rows;
    COLUMNS.forEach((c, i) => headerCells[i].setAttribute('aria-sort', c.key === sort.key ? (sort.descending ? 'descending' : 'ascending') : 'none'));
    tbody.replaceChildren(...sorted.map((row) => screenRow(row, state)));
  };
  fill();
  return el('table', { class: 'data-table screen-table' },
    el('caption', {}, 'Exposed products; choose a column heading to sort, Enter on a row to open its trace'),
    el('thead', {}, el('tr', {}, ...headerCells)), tbody);
}

function compare(a: string | bigint | number, b: string | bigint | number): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A row is one stop in the tab order; Enter (or a click) opens the product's trace. */
function screenRow(row: ScreenRow, state: ExplorerState): HTMLTableRowElement {
  const target = withTime(state, { view: 'trace', item: row.item.id });
  const tr = el('tr', { tabindex: 0, class: 'row-link', 'data-item-id': row.item.id, 'aria-label': `${row.item.name}, exposure ${row.exposure}: open trace` });
  COLUMNS.forEach((column, i) => {
    const cell = el(i === 0 ? 'th' : 'td', { class: column.numeric ? 'numeric' : undefined, scope: i === 0 ? 'row' : undefined });
    if (i === 0) {
      // a real link for opening in a new tab or copying; the row itself is the keyboard stop
      const a = el('a', { href: urlOf(target), tabindex: -1 }, row.item.name);
      cell.append(a, ' ', el('code', {}, row.item.id));
    } else cell.append(column.cell(row));
    tr.append(cell);
  });
  const open = (event: Event) => {
    const mouse = event as MouseEvent;
    if (mouse.metaKey || mouse.ctrlKey || mouse.shiftKey) return;
    event.preventDefault();
    navigate(target);
  };
  tr.addEventListener('click', open);
  tr.addEventListener('keydown', (event) => { if (event.key === 'Enter') open(event); });
  return tr;
}
