import type { ExplorerState } from '../router';

/**
 * A view draws one URL state into `root`. `signal` is aborted when the user navigates away: answers that arrive
 * later are dropped (requests are not cancelled, so the server log stays clean) and graphs are destroyed.
 */
export type View = (root: HTMLElement, state: ExplorerState, signal: AbortSignal) => Promise<void>;

/** Marks the view as complete (every request answered), for tests and for anyone measuring the page. */
export function markLoaded(root: HTMLElement): void {
  root.dataset.state = 'loaded';
}
