import type { Dossier, EvidenceRef } from './dossier.model';
import { DOCUMENT_TITLE, SECTIONS, evidenceText, metaRows, pathHeading, summaryRows, type Paper } from './dossier.sections';
import { CHART_FONT_SIZE, DEFAULT_STROKE, KIND_COLOURS, SOURCE_STROKE, layoutFlowChart } from './flow-chart';

/**
 * The dossier as one self-contained HTML page: inline CSS and SVG, no script, no external resource, every value
 * escaped. Print styles (@page) fit A4 and Letter; `paper` picks the page size the browser prints on.
 */

export function escapeHtml(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** A link only for http(s) URLs: evidence URLs come from data, and `javascript:` must never become a link. */
function link(url: string | null): string {
  if (!url) return '';
  return /^https?:\/\//i.test(url) ? `<a href="${escapeHtml(url)}">${escapeHtml(url)}</a>` : escapeHtml(url);
}

function documentsList(docs: EvidenceRef[]): string {
  if (docs.length === 0) return '<p class="muted">No document recorded.</p>';
  return `<ul class="docs">${docs.map((e) => {
    if (e.withheld || !e.found) return `<li>${escapeHtml(evidenceText(e))}</li>`;
    return `<li><a href="#ev-${escapeHtml(e.id)}">${escapeHtml(e.id)}</a> <span class="kind">${escapeHtml([e.kind, e.published].filter(Boolean).join(', '))}</span>: ${escapeHtml(e.title)}${e.url ? ` ${link(e.url)}` : ''}</li>`;
  }).join('')}</ul>`;
}

function table(head: string[], rows: string[][], className = ''): string {
  return `<table${className ? ` class="${className}"` : ''}><thead><tr>${head.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr></thead>`
    + `<tbody>${rows.map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`).join('')}</tbody></table>`;
}

export function renderChartSvg(d: Dossier): string {
  const chart = layoutFlowChart(d.chart);
  if (chart.boxes.length === 0) return '<p class="muted">Nothing to draw.</p>';
  const arrows = chart.arrows.map((a) => {
    const label = `${a.label}${a.rebutted ? ' (rebutted)' : ''}`;
    const points = a.points.map((p) => `${p.x.toFixed(1)},${p.y.toFixed(1)}`).join(' ');
    return `<g class="edge${a.rebutted ? ' rebutted' : ''}"><title>${escapeHtml(`${a.label}: ${a.id}`)}</title>`
      + `<polyline points="${points}" fill="none" stroke="${a.rebutted ? '#999999' : DEFAULT_STROKE}" stroke-width="1"${a.rebutted ? ' stroke-dasharray="4 3"' : ''} marker-end="url(#arrow)"/>`
      + `<rect x="${(a.labelAt.x - (label.length * (CHART_FONT_SIZE - 2) * 0.62) / 2 - 1).toFixed(1)}" y="${(a.labelAt.y - 5).toFixed(1)}" width="${(label.length * (CHART_FONT_SIZE - 2) * 0.62 + 2).toFixed(1)}" height="10" fill="#ffffff"/>`
      + `<text x="${a.labelAt.x.toFixed(1)}" y="${(a.labelAt.y + 3).toFixed(1)}" text-anchor="middle" font-size="${CHART_FONT_SIZE - 2}" fill="#333333">${escapeHtml(label)}</text></g>`;
  }).join('');
  const boxes = chart.boxes.map((b) => {
    const stroke = b.source ? SOURCE_STROKE : DEFAULT_STROKE;
    const text = b.lines.map((l, i) => `<text x="${(b.x + 6).toFixed(1)}" y="${(b.y + 5 + 9 + i * 11).toFixed(1)}" font-size="${CHART_FONT_SIZE}"${i === 0 ? ' font-weight="bold"' : ''}>${escapeHtml(l)}</text>`).join('');
    return `<g class="node"><rect x="${b.x.toFixed(1)}" y="${b.y.toFixed(1)}" width="${b.width}" height="${b.height}" rx="3" fill="${KIND_COLOURS[b.kind] ?? '#ffffff'}" stroke="${stroke}" stroke-width="${b.source || b.traced ? 2 : 1}"/>${text}</g>`;
  }).join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${chart.width} ${chart.height}" width="${chart.width}" height="${chart.height}" role="img" aria-label="${escapeHtml(d.chart.caption)}" font-family="DejaVu Sans, Verdana, sans-serif">`
    + '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="#555555"/></marker></defs>'
    + `${arrows}${boxes}</svg>`;
}

function css(paper: Paper): string {
  return `
@page { size: ${paper === 'letter' ? 'letter' : 'A4'}; margin: 16mm 14mm 18mm 14mm; }
* { box-sizing: border-box; }
body { font-family: "DejaVu Sans", Verdana, Arial, sans-serif; font-size: 10pt; line-height: 1.35; color: #111; margin: 0 auto; max-width: 60rem; padding: 1rem; }
h1 { font-size: 18pt; margin: 0 0 .3rem; }
h2 { font-size: 13pt; border-bottom: 1px solid #999; margin-top: 1.6rem; padding-bottom: .15rem; break-after: avoid; page-break-after: avoid; }
h3 { font-size: 11pt; margin: 1rem 0 .3rem; break-after: avoid; page-break-after: avoid; }
table { border-collapse: collapse; width: 100%; margin: .4rem 0; }
th, td { border: 1px solid #bbb; padding: .2rem .35rem; text-align: left; vertical-align: top; overflow-wrap: anywhere; }
th { background: #eee; }
thead { display: table-header-group; }
tr, .step, li { break-inside: avoid; page-break-inside: avoid; }
.meta th { width: 11rem; }
.exposure { font-size: 14pt; font-weight: bold; }
.exposure.DIRECT { color: #b00020; } .exposure.POSSIBLE { color: #a55b00; } .exposure.NONE { color: #1b6e20; }
.muted, .kind { color: #555; }
.step { border-left: 3px solid #999; padding: .1rem 0 .1rem .6rem; margin: .6rem 0; }
.step h3 { margin: 0 0 .2rem; }
.docs { margin: .2rem 0; padding-left: 1.2rem; }
.rebutted-yes { color: #1b6e20; font-weight: bold; } .rebutted-no { color: #b00020; font-weight: bold; }
.chart { overflow-x: auto; }
.chart svg { max-width: 100%; height: auto; }
.path { font-family: "DejaVu Sans Mono", monospace; font-size: 8.5pt; }
a { color: #0b4f9c; }
@media print {
  body { max-width: none; padding: 0; font-size: 9.5pt; }
  a { color: inherit; text-decoration: none; }
  .chart { overflow: visible; }
  .chart svg { max-height: 230mm; }
}
`;
}

export function renderDossierHtml(d: Dossier, paper: Paper = 'a4'): string {
  const title = `${DOCUMENT_TITLE}: ${d.meta.itemId} ${d.meta.itemName}`;
  const s = d.summary;
  const section = (id: string, body: string) => {
    const number = SECTIONS.findIndex((x) => x.id === id) + 1;
    return `<section id="${id}"><h2>${number}. ${escapeHtml(SECTIONS[number - 1].title)}</h2>${body}</section>`;
  };

  const summary = `<p class="exposure ${escapeHtml(s.exposure)}">Exposure: ${escapeHtml(s.exposure)}</p>`
    + s.findings.map((f) => `<p>${escapeHtml(f)}</p>`).join('')
    + table(['', ''], summaryRows(d).map(([k, v]) => [escapeHtml(k), escapeHtml(v)]), 'meta')
    + (s.rebutted.length > 0
      ? `<h3>What is rebutted</h3>${table(['Relationship', 'What it records', 'Prong', 'Rebuttal', 'Evidence'], s.rebutted.map((r) => [
        escapeHtml(r.relationshipId), escapeHtml(r.description), escapeHtml(r.prongs.join(', ')), escapeHtml(r.rebuttalIds.join(', ')), escapeHtml(r.evidenceIds.join(', ')),
      ]))}`
      : '<p class="muted">Nothing is rebutted.</p>')
    + d.notices.map((n) => `<p class="muted">${escapeHtml(n)}</p>`).join('');

  const parties = table(['Group', 'Id', 'Name', 'Country', 'Role'], d.parties.map((p) => [
    escapeHtml(p.group), escapeHtml(p.id),
    escapeHtml(p.kind === 'Worker' ? [p.name, `${p.nationality ?? ''} nationals, ${p.headcount === null || p.headcount === undefined ? 'headcount unknown' : `headcount ${p.headcount}`}`].filter(Boolean).join('; ') : p.name ?? ''),
    escapeHtml(p.country ?? ''), escapeHtml(p.roles.join('; ')),
  ]));

  const chart = `<p>${escapeHtml(d.chart.caption)} Boxes outlined in red are DPRK labor sources; dashed arrows are rebutted labor relationships.</p><div class="chart">${renderChartSvg(d)}</div>`;

  const steps = `<p>From the ${escapeHtml(d.meta.itemKind.toLowerCase())} back to each DPRK labor source, one relationship a step; each step cites its relationship id.</p>`
    + d.steps.map((st) => `<div class="step" id="step-${st.number}"><h3>Step ${st.number}. ${escapeHtml(st.title)}</h3>`
      + (st.relationshipIds.length > 0 ? `<p class="muted">Relationship${st.relationshipIds.length > 1 ? 's' : ''}: ${escapeHtml(st.relationshipIds.join(', '))}</p>` : '')
      + `<ul>${st.details.map((x) => `<li>${escapeHtml(x)}</li>`).join('')}</ul><p><strong>Documents</strong></p>${documentsList(st.documents)}</div>`).join('');

  const rebuttals = d.labor.length === 0
    ? '<p>No labor relationship (EMPLOYED_AT, RECRUITED_BY, DISPATCHES_TO, SUPPLIES_LABOR_TO) lies on a traced path.</p>'
    : d.labor.map((l) => `<div class="step"><h3>${escapeHtml(l.type)} ${escapeHtml(l.id)}: <span class="${l.rebutted ? 'rebutted-yes">Rebutted' : 'rebutted-no">Not rebutted'}</span></h3>`
      + `<p>${escapeHtml(l.description)}, ${escapeHtml(l.interval)}.</p><p><strong>Evidence of the relationship</strong></p>${documentsList(l.evidence)}`
      + (l.rebuttals.length === 0 ? '<p class="muted">No rebuttal recorded.</p>'
        : table(['Rebuttal', 'Status', 'Prong', 'Note', 'Scope', 'Recorded', 'Evidence'], l.rebuttals.map((rb) => [
          escapeHtml(rb.id), escapeHtml(rb.status), escapeHtml(rb.prong), escapeHtml([rb.note, rb.decisionNote].filter(Boolean).join(' / ')), escapeHtml(rb.scope),
          escapeHtml(`proposed by ${rb.proposedBy} ${rb.proposedAt} (${rb.origin})${rb.decidedBy ? `; decided by ${rb.decidedBy} ${rb.decidedAt ?? ''}` : ''}`),
          documentsList(rb.evidence),
        ])))
      + '</div>').join('');

  const pathTable = (p: Dossier['paths']['direct']) => `<h3>${escapeHtml(pathHeading(p, d.meta.pathLimit))}</h3>`
    + (p.rows.length === 0 ? '' : table(['#', 'Path (source first, the item last)', 'Relationships', 'Rebutted'], p.rows.map((r) => [
      String(r.number), `<span class="path">${escapeHtml(r.nodes.join(' → '))}</span>`, `<span class="path">${escapeHtml(r.relationshipIds.join(' '))}</span>`, r.rebutted ? 'yes' : 'no',
    ])));
  const paths = pathTable(d.paths.direct) + pathTable(d.paths.possible);

  const appendix = d.appendix.length === 0 ? '<p>No document is cited.</p>'
    : table(['Id', 'Title', 'Kind', 'Date', 'URL', 'Cited by'], d.appendix.map((e) => [
      `<span id="ev-${escapeHtml(e.id)}">${escapeHtml(e.id)}</span>`,
      escapeHtml(e.withheld ? 'content withheld (investigators only)' : e.found ? e.title : 'no such evidence recorded'),
      escapeHtml(e.kind ?? ''), escapeHtml(e.published ?? ''), link(e.url), escapeHtml(e.citedBy.join(', ')),
    ]));

  const contents = `<nav><h2>Contents</h2><ol>${SECTIONS.map((x) => `<li><a href="#${x.id}">${escapeHtml(x.title)}</a></li>`).join('')}</ol></nav>`;

  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="labortrace">
<title>${escapeHtml(title)}</title><style>${css(paper)}</style></head>
<body>
<header><h1>${escapeHtml(DOCUMENT_TITLE)}</h1><p>${escapeHtml(`By which paths could North Korean (DPRK) labor have touched ${d.meta.itemId} ${d.meta.itemName}? Evidence package under CAATSA §321(b) / 19 U.S.C. §1307.`)}</p>
${table(['', ''], metaRows(d).map(([k, v]) => [escapeHtml(k), escapeHtml(v)]), 'meta')}</header>
${section('summary', summary)}
${contents}
${section('parties', parties)}
${section('chart', chart)}
${section('steps', steps)}
${section('rebuttals', rebuttals)}
${section('paths', paths)}
${section('evidence', appendix)}
</body></html>
`;
}
