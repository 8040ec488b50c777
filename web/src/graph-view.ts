/**
 * The graph drawing shared by the trace, impact and supplier-map views: cytoscape with the dagre layout, left to
 * right, taint flowing from the DPRK sources to the traced item. Kinds are told apart by shape and colour (the
 * legend says which), sources by a thick red border, edges on possible paths only are dashed, rebutted labor
 * relationships are red and marked ✕. The canvas is not accessible by itself, so every drawn node is also a
 * button in the "Drawn nodes" list (with data-node-id), and every drawn edge is reachable from the views' lists.
 */
import cytoscape, { type Core, type ElementDefinition, type StylesheetJson } from 'cytoscape';
import dagre from 'cytoscape-dagre';
import type { Graph, GraphNode, GraphRelationship } from './api';
import { button, el, kindLabel } from './dom';

cytoscape.use(dagre);

/** Above this many nodes the layout ranks by longest path (see draw). */
const LARGE_GRAPH_NODES = 80;

interface KindStyle {
  shape: cytoscape.Css.NodeShape;
  colour: string;
  /** the same shape as an SVG path in a 24×16 box, for the legend */
  legendPath: string;
  describe: string;
}

export const KIND_STYLES: Record<string, KindStyle> = {
  Worker: { shape: 'ellipse', colour: '#5f6368', legendPath: 'M12 1 A11 7 0 1 1 11.99 1 Z', describe: 'grey circle' },
  LaborAgency: { shape: 'diamond', colour: '#b8650a', legendPath: 'M12 0 L24 8 L12 16 L0 8 Z', describe: 'orange diamond' },
  Factory: { shape: 'hexagon', colour: '#1f65a8', legendPath: 'M6 0 L18 0 L24 8 L18 16 L6 16 L0 8 Z', describe: 'blue hexagon' },
  Company: { shape: 'barrel', colour: '#6d4aa0', legendPath: 'M3 0 L21 0 Q24 8 21 16 L3 16 Q0 8 3 0 Z', describe: 'purple barrel' },
  Component: { shape: 'rectangle', colour: '#4f9a4a', legendPath: 'M1 1 L23 1 L23 15 L1 15 Z', describe: 'light green square' },
  Product: { shape: 'round-rectangle', colour: '#14704d', legendPath: 'M5 1 L19 1 Q23 1 23 5 L23 11 Q23 15 19 15 L5 15 Q1 15 1 11 L1 5 Q1 1 5 1 Z', describe: 'dark green rounded square' },
};
const OTHER_KIND: KindStyle = { shape: 'tag', colour: '#777777', legendPath: 'M1 1 L17 1 L23 8 L17 15 L1 15 Z', describe: 'grey tag' };

export function kindStyle(kind: string): KindStyle {
  return KIND_STYLES[kind] ?? OTHER_KIND;
}

const MAX_FIT_ZOOM = 1.4;
const FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif';

const STYLESHEET: StylesheetJson = [
  {
    selector: 'node',
    style: {
      shape: 'data(shape)' as unknown as cytoscape.Css.NodeShape,
      'background-color': 'data(colour)',
      width: 34,
      height: 26,
      label: 'data(label)',
      'font-family': FONT,
      'font-size': 11,
      color: '#1d1d1d',
      'text-valign': 'bottom',
      'text-halign': 'center',
      'text-margin-y': 4,
      'text-wrap': 'wrap',
      'text-max-width': '130px',
      'text-background-color': '#ffffff',
      'text-background-opacity': 0.85,
      'text-background-padding': '1px',
      'border-width': 1,
      'border-color': '#ffffff',
    },
  },
  { selector: 'node.source', style: { 'border-width': 5, 'border-color': '#d40000', 'font-weight': 'bold' } },
  { selector: 'node.traced', style: { 'border-width': 5, 'border-color': '#111111', 'border-style': 'double', 'font-weight': 'bold' } },
  {
    selector: 'edge',
    style: {
      width: 2,
      'curve-style': 'bezier',
      'line-color': '#4a4a4a',
      'target-arrow-shape': 'triangle',
      'target-arrow-color': '#4a4a4a',
      label: 'data(label)',
      'font-family': FONT,
      'font-size': 9,
      // labels too small to read are not drawn: a large trace zoomed out to fit stays fast to render
      'min-zoomed-font-size': 6,
      color: '#333333',
      'text-rotation': 'autorotate',
      'text-background-color': '#ffffff',
      'text-background-opacity': 0.85,
      'text-background-padding': '1px',
    },
  },
  { selector: 'edge.possible-only', style: { 'line-style': 'dashed', 'line-dash-pattern': [7, 4], 'line-color': '#8a6fb0', 'target-arrow-color': '#8a6fb0' } },
  { selector: 'edge.rebutted', style: { 'line-color': '#c40000', 'target-arrow-color': '#c40000', 'target-arrow-shape': 'tee', color: '#c40000', 'line-style': 'dotted' } },
  { selector: ':selected, .highlighted', style: { 'overlay-color': '#ffbf00', 'overlay-opacity': 0.35, 'overlay-padding': 6 } },
];

export interface GraphViewOptions {
  /** a drawn relationship was clicked: the relationship and every parallel one on the same hop */
  onSelectRelationship: (relationship: GraphRelationship) => void;
  onSelectNode: (node: GraphNode) => void;
  /** what the canvas shows, for screen readers */
  label: string;
}

export class GraphView {
  readonly element: HTMLElement;
  private readonly canvas: HTMLElement;
  private readonly nodeList: HTMLUListElement;
  private readonly nodeSummary: HTMLElement;
  private cy: Core | null = null;
  private nodesById = new Map<string, GraphNode>();
  private relationshipsById = new Map<string, GraphRelationship>();

  constructor(private readonly options: GraphViewOptions) {
    this.canvas = el('div', { class: 'graph-canvas', role: 'img', 'aria-label': options.label, 'data-state': 'empty' });
    this.nodeSummary = el('summary', {}, 'Drawn nodes');
    this.nodeList = el('ul', { class: 'drawn-nodes' });
    const fit = button('Fit graph', () => this.cy?.fit(undefined, 20), { class: 'secondary' });
    this.element = el('section', { class: 'graph-panel', 'aria-label': 'graph' },
      el('div', { class: 'graph-toolbar' }, fit),
      this.canvas,
      legend(),
      el('details', { class: 'drawn-nodes-box' }, this.nodeSummary, this.nodeList));
  }

  /**
   * Draws the graph; `directRelationshipIds` (when given) are the relationships on direct paths, the others
   * are drawn dashed as possible-only. The element must be in the document (cytoscape measures it).
   */
  draw(graph: Graph, directRelationshipIds?: ReadonlySet<string>): void {
    this.destroy();
    this.nodesById = new Map(graph.nodes.map((n) => [n.id, n]));
    this.relationshipsById = new Map(graph.relationships.map((r) => [r.id, r]));
    const elements: ElementDefinition[] = [
      ...graph.nodes.map((n): ElementDefinition => {
        const style = kindStyle(n.kind);
        return {
          group: 'nodes',
          data: { id: n.id, label: n.name ?? n.id, shape: style.shape, colour: style.colour },
          classes: [n.source ? 'source' : '', n.traced ? 'traced' : ''].filter(Boolean).join(' '),
        };
      }),
      ...graph.relationships
        .filter((r) => this.nodesById.has(r.source) && this.nodesById.has(r.target))
        .map((r): ElementDefinition => ({
          group: 'edges',
          data: { id: `edge-${r.id}`, relationshipId: r.id, source: r.source, target: r.target, label: r.rebutted ? `✕ ${r.type} (rebutted)` : r.type },
          classes: [r.rebutted ? 'rebutted' : '', directRelationshipIds && !directRelationshipIds.has(r.id) ? 'possible-only' : ''].filter(Boolean).join(' '),
        })),
    ];
    this.canvas.dataset.state = 'drawing';
    const cy = cytoscape({
      container: this.canvas,
      elements,
      style: STYLESHEET,
      minZoom: 0.15,
      maxZoom: 3,
      boxSelectionEnabled: false,
      autoungrabify: false,
    });
    this.cy = cy;
    cy.on('tap', 'edge', (event) => {
      const relationship = this.relationshipsById.get(String(event.target.data('relationshipId')));
      if (relationship) this.options.onSelectRelationship(relationship);
    });
    cy.on('tap', 'node', (event) => {
      const node = this.nodesById.get(String(event.target.id()));
      if (node) this.options.onSelectNode(node);
    });
    cy.one('layoutstop', () => {
      // a long chain is wide and flat: give the canvas the drawing's proportions instead of a fixed box
      const box = cy.elements().boundingBox();
      const width = this.canvas.clientWidth || 1;
      const wanted = Math.round(Math.min(520, Math.max(240, (width * box.h) / Math.max(box.w, 1) + 80)));
      if (Math.abs(wanted - this.canvas.clientHeight) > 10) {
        this.canvas.style.height = `${wanted}px`;
        cy.resize();
      }
      cy.fit(undefined, 20);
      // a graph of two or three nodes would otherwise be blown up to fill the canvas
      if (cy.zoom() > MAX_FIT_ZOOM) {
        cy.zoom(MAX_FIT_ZOOM);
        cy.center();
      }
      this.canvas.dataset.state = 'drawn';
      this.canvas.dispatchEvent(new CustomEvent('graph-drawn', { bubbles: true }));
    });
    // dagre's default ranker (network simplex) takes seconds on a few hundred nodes; longest-path ranks in linear
    // time, with longer edges as the only cost, which a large drawing hardly shows
    const ranker = graph.nodes.length > LARGE_GRAPH_NODES ? 'longest-path' : 'network-simplex';
    cy.layout({ name: 'dagre', rankDir: 'LR', nodeSep: 30, rankSep: 110, edgeSep: 10, ranker, animate: false } as cytoscape.LayoutOptions).run();
    this.listDrawnNodes(cy);
  }

  /** The accessible twin of the canvas: what was really drawn (read back from cytoscape), one button each. */
  private listDrawnNodes(cy: Core): void {
    const items = cy.nodes().map((drawn) => {
      const node = this.nodesById.get(drawn.id());
      if (!node) return null;
      const select = button(`${node.name ?? node.id}`, () => {
        this.highlight([node.id], []);
        this.options.onSelectNode(node);
      }, { class: 'link-button' });
      return el('li', { 'data-node-id': node.id, 'data-kind': node.kind, class: node.source ? 'source' : undefined },
        el('span', { class: 'kind-tag' }, kindLabel(node.kind)), ' ', select, ' ', el('code', {}, node.id),
        node.source ? el('span', { class: 'source-tag' }, ' DPRK source') : null);
    });
    this.nodeList.replaceChildren(...items.filter((x): x is HTMLLIElement => x !== null));
    this.nodeSummary.textContent = `Drawn nodes (${items.length})`;
  }

  /** Marks nodes and relationships (e.g. the hop chosen in a list) and brings them into view. */
  highlight(nodeIds: string[], relationshipIds: string[]): void {
    const cy = this.cy;
    if (!cy) return;
    cy.elements().removeClass('highlighted');
    const chosen = cy.collection();
    for (const id of nodeIds) chosen.merge(cy.getElementById(id));
    for (const id of relationshipIds) chosen.merge(cy.getElementById(`edge-${id}`));
    chosen.addClass('highlighted');
    // pan only when the chosen part is out of sight: a fitted graph stays as the user left it
    const seen = cy.extent();
    const box = chosen.boundingBox();
    const outOfSight = box.x1 < seen.x1 || box.x2 > seen.x2 || box.y1 < seen.y1 || box.y2 > seen.y2;
    if (chosen.nonempty() && outOfSight) cy.animate({ center: { eles: chosen } }, { duration: 200 });
  }

  drawnNodeIds(): string[] {
    return this.cy ? this.cy.nodes().map((n) => n.id()) : [];
  }

  destroy(): void {
    this.cy?.destroy();
    this.cy = null;
  }
}

/** Shape and colour of each kind, and the edge styles, as a visible key. */
function legend(): HTMLElement {
  const entries = Object.entries(KIND_STYLES).map(([kind, style]) =>
    el('li', {}, swatch(style.legendPath, style.colour), ` ${kindLabel(kind)}`));
  const sourceEntry = el('li', {}, swatch(KIND_STYLES.Worker.legendPath, '#ffffff', '#d40000'), ' DPRK source (red border)');
  const lines = [
    el('li', {}, el('span', { class: 'line-sample direct' }), ' direct path'),
    el('li', {}, el('span', { class: 'line-sample possible' }), ' possible path only'),
    el('li', {}, el('span', { class: 'line-sample rebutted' }), ' ✕ rebutted'),
  ];
  return el('ul', { class: 'legend', 'aria-label': 'legend' }, ...entries, sourceEntry, ...lines);
}

function swatch(pathData: string, fill: string, stroke = '#ffffff'): SVGSVGElement {
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('viewBox', '-2 -2 28 20');
  svg.setAttribute('width', '24');
  svg.setAttribute('height', '16');
  svg.setAttribute('aria-hidden', 'true');
  const path = document.createElementNS(ns, 'path');
  path.setAttribute('d', pathData);
  path.setAttribute('fill', fill);
  path.setAttribute('stroke', stroke);
  path.setAttribute('stroke-width', stroke === '#ffffff' ? '1' : '3');
  svg.append(path);
  return svg;
}
