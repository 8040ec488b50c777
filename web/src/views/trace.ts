/**
 * The trace of an item (`/?item=ID&asOf=…`): exposure and counts (TraceSummary, every role), the union of its
 * paths drawn as a graph (TraceGraph) and the paths themselves, direct or possible, a page at a time
 * (TracePaths). The three requests go out together; the last two need the analyst role, and a viewer still
 * gets the exposure and counts with a notice for the rest.
 */
import {
  authorizationHeader, request, storedKey, TRACE_GRAPH, TRACE_PATHS, TRACE_SUMMARY,
  type GraphNode, type GraphRelationship, type TracePath, type TraceSummary,
} from '../api';
import { DetailsPanel } from '../details';
import { append, button, count, el, errorList, exposureBadge, facts, kindLabel, loading, replaceChildren } from '../dom';
import { GraphView } from '../graph-view';
import { link, replaceUrl, withTime, type ExplorerState } from '../router';
import { markLoaded, type View } from './view';

const DEFAULT_PATH_PAGE = 10;

export const renderTrace: View = async (root, state, signal) => {
  const itemId = state.item ?? '';
  const time = { asOf: state.asOf, knownAt: state.knownAt };
  const header = el('section', { class: 'trace-header', 'aria-label': 'trace summary' }, loading(`Tracing ${itemId}…`));
  const details = new DetailsPanel(state, 'Choose a hop in the paths list (or click an edge or a node in the graph) to see its interval, evidence and rebuttals.');
  const names = new Map<string, string>();
  const nodeName = (id: string) => names.get(id) ?? id;
  const remember = (nodes: GraphNode[]) => nodes.forEach((n) => names.set(n.id, n.name ?? n.id));
  let subgraphRelationships: GraphRelationship[] = [];

  const showHop = (source: string, target: string, candidates: GraphRelationship[]) => {
    const hop = candidates.filter((r) => r.source === source && r.target === target);
    details.showRelationships(hop, nodeName);
    graph.highlight([], hop.map((r) => r.id));
  };
  const graph = new GraphView({
    label: `Graph of the paths from DPRK sources to ${itemId}`,
    onSelectRelationship: (r) => showHop(r.source, r.target, subgraphRelationships),
    onSelectNode: (n) => details.showNode(n),
  });
  const graphStatus = el('div', { class: 'graph-status' }, loading('Drawing the paths…'));
  const pathsSection = el('section', { class: 'paths', 'aria-labelledby': 'paths-heading' }, el('h3', { id: 'paths-heading' }, 'Paths'));
  const graphArea = el('div', { class: 'graph-area' }, el('div', { class: 'graph-column' }, graphStatus, graph.element), details.element);
  root.append(header, graphArea, pathsSection);
  signal.addEventListener('abort', () => graph.destroy());

  const summaryRequest = request(TRACE_SUMMARY, { itemId, ...time });
  const graphRequest = request(TRACE_GRAPH, { itemId, ...time });

  const summaryShown = summaryRequest.then(({ data, errors }) => {
    if (signal.aborted) return;
    replaceChildren(header, data ? summaryBlock(data.trace, state) : el('h2', {}, itemId), errorList(errors, 'Trace'));
    if (!data && errors.some((e) => e.extensions?.code === 'NOT_FOUND')) {
      // no such item (at this knownAt): the graph and the paths would only repeat the same error
      graphArea.hidden = true;
      pathsSection.hidden = true;
    }
    if (data) document.title = `${data.trace.item.name} — trace — labortrace`;
  });

  const graphShown = graphRequest.then(({ data, errors }) => {
    if (signal.aborted) return;
    const trace = data?.trace;
    if (!trace) {
      replaceChildren(graphStatus, errorList(errors, 'Graph of the paths') ?? el('p', {}, 'No graph.'));
      graph.element.hidden = true;
      return;
    }
    remember(trace.all.nodes);
    subgraphRelationships = trace.all.relationships;
    replaceChildren(graphStatus, errorList(errors, 'Graph of the paths'));
    if (trace.all.nodes.length === 0) {
      append(graphStatus, el('p', { class: 'no-paths' }, 'No path reaches this item: nothing to draw.'));
      graph.element.hidden = true;
      return;
    }
    graph.draw(trace.all, new Set(trace.direct.relationships.map((r) => r.id)));
  });

  const pathsShown = new PathList(pathsSection, state, itemId, {
    onHop: (source, target, relationships) => showHop(source, target, relationships),
    remember,
  }).show(signal);

  await Promise.all([summaryShown, graphShown, pathsShown]);
  if (!signal.aborted) markLoaded(root);
};

function summaryBlock(trace: TraceSummary, state: ExplorerState): HTMLElement {
  const tooComplex = trace.countStatus === 'TOO_COMPLEX';
  const asOfText = state.asOf ? `as of ${state.asOf}` : 'as of today';
  return el('div', {},
    el('h2', { class: 'item-name' }, trace.item.name),
    el('p', { class: 'subtitle' }, `${trace.item.kind === 'PRODUCT' ? 'Product' : 'Component'} `, el('code', {}, trace.item.id), ` — ${asOfText}`,
      state.knownAt ? `, as recorded at ${state.knownAt}` : ''),
    el('p', { class: 'exposure-line' }, 'Exposure: ', exposureBadge(trace.exposure)),
    facts([
      ['Direct paths', count(trace.pathCount)],
      ['Open direct paths (not rebutted)', count(trace.openPathCount)],
      ['Possible paths', count(trace.possiblePathCount)],
      ['Open possible paths', count(trace.openPossiblePathCount)],
      ['DPRK sources', count(trace.sourceCount)],
      ['Sites where DPRK labor worked', count(trace.siteCount)],
    ]),
    tooComplex ? el('p', { class: 'notice' }, 'Counting exceeded the work budget (TOO_COMPLEX): the counts are unknown, the exposure is exact.') : null,
    el('p', { class: 'actions' },
      link('Impact of this item', withTime(state, { view: 'impact', impact: trace.item.id })), ' · ',
      dossierLink('Customs dossier (PDF)', trace.item.id, 'pdf', state.asOf, state.knownAt), ' · ',
      dossierLink('Customs dossier (HTML)', trace.item.id, 'html', state.asOf, state.knownAt)));
}

/**
 * A link to the dossier of the item, for the same asOf and knownAt as the view. In local mode a plain link works;
 * with an API key the browser cannot add the header to a navigation, so the click fetches the file with it: a PDF
 * opens as a blob URL, an HTML dossier is saved (opened as a blob it would take this page's content security
 * policy, which forbids the dossier's own styles).
 */
function dossierLink(text: string, itemId: string, format: 'pdf' | 'html', asOf?: string, knownAt?: string): HTMLAnchorElement {
  const query = new URLSearchParams();
  if (asOf) query.set('asOf', asOf);
  if (knownAt) query.set('knownAt', knownAt);
  const href = `/dossier/${encodeURIComponent(itemId)}.${format}${query.size > 0 ? `?${query}` : ''}`;
  const a = el('a', { href, class: 'dossier-link', target: '_blank', rel: 'noopener' }, text);
  a.addEventListener('click', (event) => {
    if (!storedKey()) return;
    event.preventDefault();
    void (async () => {
      const response = await fetch(href, { headers: authorizationHeader() });
      if (!response.ok) {
        a.after(el('span', { class: 'error', role: 'alert' }, ` The dossier could not be fetched (HTTP ${response.status}).`));
        return;
      }
      const url = URL.createObjectURL(await response.blob());
      const opener = format === 'pdf'
        ? el('a', { href: url, target: '_blank', rel: 'noopener' })
        : el('a', { href: url, download: `dossier-${itemId}.html` });
      opener.click();
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
    })();
  });
  return a;
}

interface PathListHandlers {
  onHop: (source: string, target: string, relationships: GraphRelationship[]) => void;
  remember: (nodes: GraphNode[]) => void;
}

/** The paths of the trace, direct or possible (two tabs), paged by cursor. */
class PathList {
  private possible: boolean;
  private readonly pageSize: number;
  /** the `after` cursor of every page before this one, for "Previous" (the API pages forward only) */
  private readonly trail: (string | undefined)[] = [];
  private after: string | undefined;
  private readonly tabs: HTMLButtonElement[];
  private readonly body: HTMLElement;
  private signal: AbortSignal | null = null;

  constructor(private readonly section: HTMLElement, private readonly state: ExplorerState, private readonly itemId: string, private readonly handlers: PathListHandlers) {
    this.possible = state.tab === 'possible';
    this.pageSize = state.pageSize ?? DEFAULT_PATH_PAGE;
    this.tabs = [false, true].map((possible) => {
      const tab = button(possible ? 'Possible paths' : 'Direct paths', () => void this.choose(possible), {
        role: 'tab', id: `tab-${possible ? 'possible' : 'direct'}`, 'aria-controls': 'path-panel',
      });
      tab.addEventListener('keydown', (event) => {
        // arrow keys move between the two tabs, as in every tab list
        if (event.key !== 'ArrowRight' && event.key !== 'ArrowLeft') return;
        event.preventDefault();
        const other = this.tabs[possible ? 0 : 1];
        other.focus();
        other.click();
      });
      return tab;
    });
    this.body = el('div', { id: 'path-panel', role: 'tabpanel' });
    section.append(el('div', { role: 'tablist', 'aria-label': 'kind of paths', class: 'tabs' }, ...this.tabs), this.body);
    this.markTabs();
  }

  async show(signal: AbortSignal): Promise<void> {
    this.signal = signal;
    await this.load();
  }

  private async choose(possible: boolean): Promise<void> {
    if (possible === this.possible) return;
    this.possible = possible;
    this.after = undefined;
    this.trail.length = 0;
    this.markTabs();
    replaceUrl({ ...this.state, tab: possible ? 'possible' : undefined });
    await this.load();
  }

  private markTabs(): void {
    this.tabs.forEach((tab, i) => {
      const selected = (i === 1) === this.possible;
      tab.setAttribute('aria-selected', String(selected));
      tab.tabIndex = selected ? 0 : -1;
    });
    this.body.setAttribute('aria-labelledby', this.possible ? 'tab-possible' : 'tab-direct');
  }

  private async load(): Promise<void> {
    const signal = this.signal;
    this.body.dataset.state = 'loading';
    replaceChildren(this.body, loading('Loading paths…'));
    const possible = this.possible;
    const { data, errors } = await request(TRACE_PATHS, {
      itemId: this.itemId, asOf: this.state.asOf, knownAt: this.state.knownAt, first: this.pageSize, after: this.after, possible,
    });
    if (signal?.aborted || possible !== this.possible) return;
    const paths = data?.trace.paths;
    replaceChildren(this.body, errorList(errors, 'Paths'));
    if (paths) {
      const start = this.trail.length * this.pageSize;
      const total = paths.totalCount;
      if (paths.edges.length === 0) {
        this.body.append(el('p', { class: 'no-paths' }, possible ? 'No possible path.' : 'No direct path.'));
      } else {
        const list = el('ol', { class: 'path-list', start: start + 1 });
        for (const [i, edge] of paths.edges.entries()) {
          this.handlers.remember(edge.node.nodes);
          list.append(this.pathItem(edge.node, start + i + 1));
        }
        this.body.append(list);
      }
      const range = paths.edges.length > 0 ? `Paths ${start + 1}–${start + paths.edges.length}` : 'No paths';
      const previous = button('Previous', () => void this.page(this.trail.pop(), false), { disabled: this.trail.length === 0, class: 'secondary' });
      const next = button('Next', () => void this.page(paths.pageInfo.endCursor ?? undefined, true), { disabled: !paths.pageInfo.hasNextPage, class: 'secondary' });
      this.body.append(el('nav', { class: 'pager', 'aria-label': 'pages of paths' }, previous, el('span', { class: 'range' }, `${range} of ${count(total)}`), next));
    }
    this.body.dataset.state = 'loaded';
  }

  private async page(after: string | undefined, forward: boolean): Promise<void> {
    if (forward) this.trail.push(this.after);
    this.after = after;
    await this.load();
    this.body.querySelector<HTMLElement>('.path-list li, .no-paths')?.focus();
  }

  /** One path as a row: node, hop, node, …; each hop a button showing its relationships. */
  private pathItem(path: TracePath, number: number): HTMLLIElement {
    const item = el('li', { class: path.rebutted ? 'path rebutted' : 'path', tabindex: -1, 'data-path': path.nodes.map((n) => n.id).join('>') });
    const steps = el('div', { class: 'path-steps' });
    path.nodes.forEach((node, i) => {
      steps.append(el('span', { class: `node-chip kind-${node.kind}${node.source ? ' source' : ''}`, 'data-node-id': node.id, title: `${kindLabel(node.kind)} ${node.id}` },
        el('span', { class: 'kind-tag' }, kindLabel(node.kind)), ' ', node.name ?? node.id));
      const next = path.nodes[i + 1];
      if (!next) return;
      const hop = path.relationships.filter((r) => r.source === node.id && r.target === next.id);
      const types = [...new Set(hop.map((r) => r.type))].join(' / ');
      const rebutted = hop.length > 0 && hop.every((r) => r.rebutted);
      const hopButton = button(`${rebutted ? '✕ ' : ''}${types || 'hop'} →`, () => this.handlers.onHop(node.id, next.id, hop), {
        class: rebutted ? 'hop rebutted' : 'hop',
        'data-hop': `${node.id}>${next.id}`,
        'data-relationship-ids': hop.map((r) => r.id).join(' '),
        'aria-label': `hop ${i + 1} of path ${number}: ${types} from ${node.name ?? node.id} to ${next.name ?? next.id}${rebutted ? ', rebutted' : ''}: show details`,
      });
      steps.append(hopButton);
    });
    append(item, el('span', { class: 'path-number' }, `#${number}`), path.rebutted ? el('span', { class: 'rebutted-label' }, '✕ rebutted') : null, steps);
    return item;
  }
}
