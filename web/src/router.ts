/**
 * URL state: every view is a URL, so any screen can be shared. The page keeps no state the URL does not carry
 * (except the cursors behind "Previous", see views/screen.ts).
 *
 *   /?q=TEXT                           search (the home page)
 *   /?view=screen&asOf=…&pageSize=N    the catalogue screen (after=CURSOR, sort=COLUMN:asc|desc)
 *   /?item=ID&asOf=YYYY-MM-DD          the trace of an item (tab=direct|possible, pageSize=N for the paths)
 *   /?impact=ID                        what a node could have touched
 *   /?company=ID&direction=UPSTREAM&tiers=N   the n-tier supplier map of a company
 *   knownAt=ISO-INSTANT on any of them: the graph as it was recorded then
 */
import type { SupplyDirection } from './api';

export type ViewName = 'search' | 'screen' | 'trace' | 'impact' | 'supply';

export interface ExplorerState {
  view: ViewName;
  item?: string;
  impact?: string;
  company?: string;
  asOf?: string;
  knownAt?: string;
  q?: string;
  after?: string;
  pageSize?: number;
  sort?: string;
  tab?: 'direct' | 'possible';
  direction?: SupplyDirection;
  tiers?: number;
}

const VIEW_NAMES: readonly ViewName[] = ['search', 'screen', 'trace', 'impact', 'supply'];
const DATE = /^\d{4}-\d{2}-\d{2}$/;

function positiveInt(text: string | null, max: number): number | undefined {
  if (text === null || !/^\d{1,4}$/.test(text)) return undefined;
  const n = Number(text);
  return n >= 1 && n <= max ? n : undefined;
}

function nonEmpty(text: string | null): string | undefined {
  const t = text?.trim();
  return t ? t : undefined;
}

/** Reads the state from a URL; anything malformed is dropped rather than sent to the API. */
export function parseState(url: URL): ExplorerState {
  const p = url.searchParams;
  const asOf = nonEmpty(p.get('asOf'));
  const knownAt = nonEmpty(p.get('knownAt'));
  const state: ExplorerState = {
    view: 'search',
    item: nonEmpty(p.get('item')),
    impact: nonEmpty(p.get('impact')),
    company: nonEmpty(p.get('company')),
    asOf: asOf && DATE.test(asOf) ? asOf : undefined,
    knownAt: knownAt && !Number.isNaN(Date.parse(knownAt)) ? knownAt : undefined,
    q: nonEmpty(p.get('q')),
    after: nonEmpty(p.get('after')),
    pageSize: positiveInt(p.get('pageSize'), 1000),
    sort: nonEmpty(p.get('sort')),
    tab: p.get('tab') === 'possible' ? 'possible' : p.get('tab') === 'direct' ? 'direct' : undefined,
    direction: p.get('direction') === 'DOWNSTREAM' ? 'DOWNSTREAM' : p.get('direction') === 'UPSTREAM' ? 'UPSTREAM' : undefined,
    tiers: positiveInt(p.get('tiers'), 50),
  };
  const explicit = p.get('view') as ViewName | null;
  if (explicit && VIEW_NAMES.includes(explicit)) state.view = explicit;
  else if (state.item) state.view = 'trace';
  else if (state.impact) state.view = 'impact';
  else if (state.company) state.view = 'supply';
  return state;
}

/** The URL of a state, parameters in a fixed order so equal states give equal URLs. */
export function urlOf(state: ExplorerState): string {
  const p = new URLSearchParams();
  const implied: ViewName = state.item ? 'trace' : state.impact ? 'impact' : state.company ? 'supply' : 'search';
  if (state.view !== implied) p.set('view', state.view);
  const fields: [string, string | number | undefined][] = [
    ['item', state.item], ['impact', state.impact], ['company', state.company], ['q', state.q],
    ['asOf', state.asOf], ['knownAt', state.knownAt], ['direction', state.direction], ['tiers', state.tiers],
    ['tab', state.tab], ['sort', state.sort], ['pageSize', state.pageSize], ['after', state.after],
  ];
  for (const [name, value] of fields) if (value !== undefined && value !== '') p.set(name, String(value));
  const query = p.toString();
  return query ? `/?${query}` : '/';
}

/** The time controls travel with every link, so following one keeps the analyst's asOf and knownAt. */
export function withTime(from: ExplorerState, to: Omit<ExplorerState, 'asOf' | 'knownAt'>): ExplorerState {
  return { ...to, asOf: from.asOf, knownAt: from.knownAt };
}

type Listener = (state: ExplorerState) => void;
let listener: Listener = () => undefined;

export function currentState(): ExplorerState {
  return parseState(new URL(window.location.href));
}

/** Shows a state: a new history entry (or a replaced one), then the view. */
export function navigate(state: ExplorerState, options: { replace?: boolean } = {}): void {
  const url = urlOf(state);
  if (options.replace) history.replaceState(null, '', url);
  else history.pushState(null, '', url);
  listener(currentState());
}

export function onNavigate(render: Listener): void {
  listener = render;
  window.addEventListener('popstate', () => listener(currentState()));
}

/**
 * A real link (it can be opened in a new tab, copied, shared) that navigates within the page on a plain click.
 */
export function link(text: string, state: ExplorerState, className?: string): HTMLAnchorElement {
  const a = document.createElement('a');
  a.href = urlOf(state);
  a.textContent = text;
  if (className) a.className = className;
  a.addEventListener('click', (event) => {
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    navigate(state);
  });
  return a;
}

/** Records a change the view already shows (a tab, a sort) in the URL, without rendering again. */
export function replaceUrl(state: ExplorerState): void {
  history.replaceState(null, '', urlOf(state));
}
