/**
 * The explorer's entry point: the page frame (time controls, key dialog, navigation) and the router that picks
 * the view for the URL. Each view lives in its own file under views/ and talks to /graphql through api.ts only.
 */
import { forgetKey, onKeyChange, setCredentialPrompt, storedKey } from './api';
import { el } from './dom';
import { currentState, navigate, onNavigate, type ExplorerState, type ViewName } from './router';
import { renderImpact } from './views/impact';
import { renderScreen } from './views/screen';
import { renderSearch } from './views/search';
import { renderSupplyMap } from './views/supply-map';
import { renderTrace } from './views/trace';
import type { View } from './views/view';

const VIEWS: Record<ViewName, View> = {
  search: renderSearch,
  screen: renderScreen,
  trace: renderTrace,
  impact: renderImpact,
  supply: renderSupplyMap,
};

function required<T extends HTMLElement>(id: string): T {
  const element = document.getElementById(id);
  if (!element) throw new Error(`the page has no #${id}`);
  return element as T;
}

const main = required<HTMLElement>('main');
const asOfInput = required<HTMLInputElement>('as-of');
const knownAtInput = required<HTMLInputElement>('known-at');
const pageErrors = required<HTMLElement>('page-errors');

let viewController: AbortController | null = null;
let shownTarget = '';

function render(state: ExplorerState): void {
  viewController?.abort();
  const controller = new AbortController();
  viewController = controller;
  showTime(state);
  for (const a of document.querySelectorAll<HTMLAnchorElement>('[data-nav]')) {
    if (a.dataset.nav === state.view) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  const viewRoot = el('div', { class: `view view-${state.view}`, 'data-view': state.view, 'data-state': 'loading' });
  main.replaceChildren(viewRoot);
  // moving to another view or subject puts the focus at the top of the new content (not on a time change)
  const target = `${state.view}:${state.item ?? state.impact ?? state.company ?? state.q ?? ''}`;
  if (shownTarget && target !== shownTarget) main.focus({ preventScroll: false });
  shownTarget = target;
  VIEWS[state.view](viewRoot, state, controller.signal).catch((e: unknown) => {
    if (controller.signal.aborted) return;
    viewRoot.append(el('div', { class: 'error', role: 'alert' }, `This view failed: ${e instanceof Error ? e.message : String(e)}`));
    viewRoot.dataset.state = 'failed';
    console.error(e);
  });
}

/** The inputs show the URL's asOf and knownAt (knownAt is entered in UTC, to the second). */
function showTime(state: ExplorerState): void {
  asOfInput.value = state.asOf ?? '';
  knownAtInput.value = state.knownAt ? new Date(state.knownAt).toISOString().slice(0, 19) : '';
}

function knownAtFromInput(): string | undefined {
  const value = knownAtInput.value;
  if (!value) return undefined;
  const instant = new Date(`${value.length === 16 ? `${value}:00` : value}Z`);
  return Number.isNaN(instant.getTime()) ? undefined : instant.toISOString();
}

required<HTMLFormElement>('time-controls').addEventListener('submit', (event) => {
  event.preventDefault();
  navigate({ ...currentState(), asOf: asOfInput.value || undefined, knownAt: knownAtFromInput(), after: undefined });
});
required<HTMLButtonElement>('time-reset').addEventListener('click', () => {
  navigate({ ...currentState(), asOf: undefined, knownAt: undefined, after: undefined });
});
for (const a of document.querySelectorAll<HTMLAnchorElement>('[data-nav], #home-link')) {
  a.addEventListener('click', (event) => {
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    const state = currentState();
    navigate({ view: a.dataset.nav === 'screen' ? 'screen' : 'search', asOf: state.asOf, knownAt: state.knownAt });
  });
}

// ---- access: the key dialog ----------------------------------------------------------------------------------

const dialog = required<HTMLDialogElement>('key-dialog');
const keyInput = required<HTMLInputElement>('key-input');
const accessStatus = required<HTMLElement>('access-status');
const forgetButton = required<HTMLButtonElement>('forget-key');

function showAccess(): void {
  const hasKey = storedKey() !== null;
  accessStatus.textContent = hasKey ? 'Using an API key (this tab only)' : '';
  forgetButton.hidden = !hasKey;
}

setCredentialPrompt((reason) => new Promise((resolve) => {
  required<HTMLElement>('key-reason').textContent = reason;
  keyInput.value = '';
  const form = required<HTMLFormElement>('key-form');
  const finish = (key: string | null) => {
    form.removeEventListener('submit', onSubmit);
    cancel.removeEventListener('click', onCancel);
    dialog.removeEventListener('cancel', onCancel);
    if (dialog.open) dialog.close();
    resolve(key);
  };
  const onSubmit = (event: Event) => {
    event.preventDefault();
    finish(keyInput.value.trim() || null);
  };
  const onCancel = (event: Event) => {
    event.preventDefault();
    finish(null);
  };
  const cancel = required<HTMLButtonElement>('key-cancel');
  form.addEventListener('submit', onSubmit);
  cancel.addEventListener('click', onCancel);
  dialog.addEventListener('cancel', onCancel); // Escape
  dialog.showModal();
  keyInput.focus();
}));

forgetButton.addEventListener('click', () => {
  forgetKey();
  render(currentState());
});
onKeyChange(showAccess);

// ---- nothing fails silently ----------------------------------------------------------------------------------

function pageError(message: string): void {
  pageErrors.append(el('p', { class: 'error' }, message));
}
window.addEventListener('error', (event) => pageError(`Error: ${event.message}`));
window.addEventListener('unhandledrejection', (event) => pageError(`Error: ${event.reason instanceof Error ? event.reason.message : String(event.reason)}`));

showAccess();
onNavigate(render);
render(currentState());
