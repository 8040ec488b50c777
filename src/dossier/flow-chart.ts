import { Graph, layout } from '@dagrejs/dagre';
import type { ChartGraph } from './dossier.model';

/**
 * The flow chart's geometry, shared by the HTML (SVG) and the PDF (vector drawing): a layered layout (dagre) with
 * the DPRK labor sources at the top and the traced item at the bottom, the way taint flows (top to bottom, because
 * supply chains are deeper than they are wide and pages are portrait). Pure: the same graph always gives the same
 * boxes and arrows.
 */

export const CHART_FONT_SIZE = 9;
const LINE_HEIGHT = 11;
const PADDING_X = 6;
const PADDING_Y = 5;
const MAX_LINE_CHARS = 30;
/** DejaVu Sans averages about 0.58 em per character in these labels; boxes are sized from it, never from a DOM. */
const CHAR_WIDTH = CHART_FONT_SIZE * 0.6;

export interface ChartBox {
  id: string;
  kind: string;
  lines: string[];
  source: boolean;
  traced: boolean;
  /** top-left corner */
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface ChartArrow {
  id: string;
  source: string;
  target: string;
  label: string;
  rebutted: boolean;
  points: { x: number; y: number }[];
  labelAt: { x: number; y: number };
}

export interface ChartLayout {
  width: number;
  height: number;
  boxes: ChartBox[];
  arrows: ChartArrow[];
}

export function truncate(text: string, max = MAX_LINE_CHARS): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** Above this many boxes the chart ranks by longest path (the explorer does the same). */
const LARGE_CHART_NODES = 80;

export function layoutFlowChart(chart: ChartGraph): ChartLayout {
  const g = new Graph<Record<string, unknown>, { width: number; height: number; x?: number; y?: number }, { width: number; height: number; points?: { x: number; y: number }[]; x?: number; y?: number; labelpos?: 'c' }>({ multigraph: true });
  // network simplex, dagre's default ranker, takes seconds on a few hundred boxes; longest-path is linear
  const ranker = chart.nodes.length > LARGE_CHART_NODES ? 'longest-path' : 'network-simplex';
  g.setGraph({ rankdir: 'TB', nodesep: 16, ranksep: 42, edgesep: 10, marginx: 8, marginy: 8, ranker });
  g.setDefaultEdgeLabel(() => ({ width: 0, height: 0 }));
  // stable input order gives a stable layout
  const nodes = [...chart.nodes].sort((a, b) => a.id.localeCompare(b.id));
  const lines = new Map(nodes.map((n) => [n.id, n.lines.map((l) => truncate(l))]));
  for (const n of nodes) {
    const text = lines.get(n.id)!;
    const width = Math.ceil(Math.max(...text.map((l) => l.length)) * CHAR_WIDTH + 2 * PADDING_X);
    g.setNode(n.id, { width, height: text.length * LINE_HEIGHT + 2 * PADDING_Y });
  }
  const edges = [...chart.edges].filter((e) => e.source !== e.target && g.hasNode(e.source) && g.hasNode(e.target))
    .sort((a, b) => a.source.localeCompare(b.source) || a.target.localeCompare(b.target) || a.label.localeCompare(b.label));
  for (const e of edges) {
    g.setEdge(e.source, e.target, { width: Math.ceil(e.label.length * (CHART_FONT_SIZE - 2) * 0.6), height: LINE_HEIGHT, labelpos: 'c' }, e.label);
  }
  layout(g);
  const size = g.graph() as { width?: number; height?: number };
  const boxes: ChartBox[] = nodes.map((n) => {
    const at = g.node(n.id);
    return {
      id: n.id, kind: n.kind, lines: lines.get(n.id)!, source: n.source, traced: n.traced,
      x: (at.x ?? 0) - at.width / 2, y: (at.y ?? 0) - at.height / 2, width: at.width, height: at.height,
    };
  });
  const arrows: ChartArrow[] = edges.map((e) => {
    const at = g.edge(e.source, e.target, e.label);
    const points = (at.points ?? []).map((p) => ({ x: p.x, y: p.y }));
    const middle = points[Math.floor(points.length / 2)] ?? { x: 0, y: 0 };
    return { id: e.id, source: e.source, target: e.target, label: e.label, rebutted: e.rebutted, points, labelAt: { x: at.x ?? middle.x, y: at.y ?? middle.y } };
  });
  return { width: Math.ceil(size.width ?? 0), height: Math.ceil(size.height ?? 0), boxes, arrows };
}

/** Fill colours by kind, the same in both renderers; sources are outlined in red. */
export const KIND_COLOURS: Record<string, string> = {
  Product: '#dbe9f6', Component: '#e8f0f8', Factory: '#f3efe0', Company: '#eaf4e4', LaborAgency: '#f6e6d8', Worker: '#f9dede',
};
export const SOURCE_STROKE = '#b00020';
export const DEFAULT_STROKE = '#555555';
