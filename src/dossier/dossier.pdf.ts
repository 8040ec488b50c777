import path from 'node:path';
import PDFDocument from 'pdfkit';
import type { Dossier, EvidenceRef } from './dossier.model';
import { DOCUMENT_TITLE, SECTIONS, evidenceText, metaRows, pathHeading, summaryRows, type Paper } from './dossier.sections';
import { CHART_FONT_SIZE, DEFAULT_STROKE, KIND_COLOURS, SOURCE_STROKE, layoutFlowChart } from './flow-chart';

/**
 * The dossier as a PDF, made with PDFKit alone (no browser): DejaVu Sans embedded so that any Latin, Greek or
 * Cyrillic name is real, searchable text; the flow chart drawn with vector primitives; page numbers on every page;
 * A4 or Letter.
 */

const FONT_DIR = path.dirname(require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf'));
const SANS = 'DejaVuSans';
const SANS_BOLD = 'DejaVuSans-Bold';
const MONO = 'DejaVuSansMono';
const MARGIN = 48;
const FOOTER_GAP = 24;
const BODY = 9;
const SMALL = 7.5;

const PAGE_SIZES: Record<Paper, string> = { a4: 'A4', letter: 'LETTER' };

type Doc = PDFKit.PDFDocument;

/** Writes flowing text, headings and tables, adding pages as needed. */
class Writer {
  readonly width: number;

  constructor(readonly doc: Doc) {
    this.width = doc.page.width - doc.page.margins.left - doc.page.margins.right;
  }

  get left(): number {
    return this.doc.page.margins.left;
  }

  get bottom(): number {
    return this.doc.page.height - this.doc.page.margins.bottom;
  }

  /** A new page unless `height` more points fit on this one. */
  ensure(height: number): void {
    if (this.doc.y + height > this.bottom) this.doc.addPage();
  }

  heading(text: string, size = 13, destination?: string): void {
    this.ensure(size * 4);
    this.doc.moveDown(0.6);
    if (destination) this.doc.addNamedDestination(destination);
    this.doc.font(SANS_BOLD).fontSize(size).fillColor('#000000').text(text, this.left, this.doc.y, { width: this.width });
    if (size >= 12) {
      const y = this.doc.y + 1;
      this.doc.moveTo(this.left, y).lineTo(this.left + this.width, y).lineWidth(0.5).strokeColor('#999999').stroke();
      this.doc.y = y + 4;
    } else {
      this.doc.moveDown(0.2);
    }
  }

  paragraph(text: string, opts: { font?: string; size?: number; colour?: string; indent?: number; link?: string } = {}): void {
    const size = opts.size ?? BODY;
    this.doc.font(opts.font ?? SANS).fontSize(size).fillColor(opts.colour ?? '#000000');
    this.ensure(size * 1.4);
    const indent = opts.indent ?? 0;
    this.doc.text(text, this.left + indent, this.doc.y, { width: this.width - indent, ...(opts.link ? { link: opts.link, underline: false } : {}) });
    this.doc.moveDown(0.2);
  }

  /** Bulleted documents, each a line of text with its URL as a link. */
  documents(docs: EvidenceRef[], indent = 10): void {
    if (docs.length === 0) {
      this.paragraph('No document recorded.', { colour: '#555555', indent });
      return;
    }
    for (const e of docs) {
      this.paragraph(`• ${evidenceText({ ...e, url: null })}`, { indent });
      // the URL on a line of its own, so that a line break never falls inside it
      if (e.url && !e.withheld) this.paragraph(e.url, { indent: indent + 8, colour: '#0b4f9c', link: /^https?:\/\//i.test(e.url) ? e.url : undefined });
    }
  }

  /**
   * A table with a repeated header row: `widths` are fractions of the text width; a row taller than what is left
   * of the page starts a new one (rows are not split unless taller than a page).
   */
  table(head: string[], rows: string[][], widths: number[], opts: { size?: number; mono?: number[] } = {}): void {
    const size = opts.size ?? SMALL;
    const pad = 2.5;
    const cols = widths.map((w) => w * this.width);
    const cellHeight = (text: string, i: number, font: string) => {
      this.doc.font(font).fontSize(size);
      return this.doc.heightOfString(text || ' ', { width: cols[i] - 2 * pad }) + 2 * pad;
    };
    const drawRow = (cells: string[], header: boolean) => {
      const fonts = cells.map((_, i) => (header ? SANS_BOLD : opts.mono?.includes(i) ? MONO : SANS));
      const height = Math.max(...cells.map((c, i) => cellHeight(c, i, fonts[i])));
      const top = this.doc.y;
      let x = this.left;
      cells.forEach((c, i) => {
        if (header) this.doc.rect(x, top, cols[i], height).fill('#eeeeee');
        this.doc.rect(x, top, cols[i], height).lineWidth(0.4).strokeColor('#bbbbbb').stroke();
        this.doc.font(fonts[i]).fontSize(size).fillColor('#000000').text(c, x + pad, top + pad, { width: cols[i] - 2 * pad, lineBreak: true });
        x += cols[i];
      });
      this.doc.x = this.left;
      this.doc.y = top + height;
      return height;
    };
    const rowHeight = (cells: string[]) => Math.max(...cells.map((c, i) => cellHeight(c, i, opts.mono?.includes(i) ? MONO : SANS)));
    // a table of label/value pairs has no header row (all its header cells empty)
    const headed = head.some((h) => h !== '');
    this.ensure((headed ? rowHeight(head) : 0) + (rows[0] ? Math.min(rowHeight(rows[0]), 200) : 0));
    if (headed) drawRow(head, true);
    for (const r of rows) {
      const h = rowHeight(r);
      if (this.doc.y + h > this.bottom && h < this.bottom - this.doc.page.margins.top) {
        this.doc.addPage();
        if (headed) drawRow(head, true);
      }
      drawRow(r, false);
    }
    this.doc.moveDown(0.5);
  }
}

/** The flow chart scaled to the text width (and to a page's height), on a new page when it does not fit here. */
function drawChart(w: Writer, d: Dossier): void {
  const { doc } = w;
  const chart = layoutFlowChart(d.chart);
  if (chart.boxes.length === 0) return;
  const pageRoom = w.bottom - doc.page.margins.top;
  const scale = Math.min(1, w.width / chart.width, pageRoom / chart.height);
  const height = chart.height * scale;
  if (doc.y + height > w.bottom) doc.addPage();
  const ox = w.left + (w.width - chart.width * scale) / 2;
  const oy = doc.y;
  const X = (x: number) => ox + x * scale;
  const Y = (y: number) => oy + y * scale;
  doc.save();
  for (const a of chart.arrows) {
    if (a.points.length < 2) continue;
    const colour = a.rebutted ? '#999999' : DEFAULT_STROKE;
    doc.lineWidth(Math.max(0.3, scale)).strokeColor(colour);
    if (a.rebutted) doc.dash(3 * scale, { space: 2 * scale });
    doc.moveTo(X(a.points[0].x), Y(a.points[0].y));
    for (const p of a.points.slice(1)) doc.lineTo(X(p.x), Y(p.y));
    doc.stroke();
    doc.undash();
    // the arrowhead, along the last segment
    const [p, q] = [a.points[a.points.length - 2], a.points[a.points.length - 1]];
    const angle = Math.atan2(q.y - p.y, q.x - p.x);
    const len = 6 * scale;
    const tip = [X(q.x), Y(q.y)];
    doc.polygon(tip, [tip[0] - len * Math.cos(angle - 0.4), tip[1] - len * Math.sin(angle - 0.4)], [tip[0] - len * Math.cos(angle + 0.4), tip[1] - len * Math.sin(angle + 0.4)]).fill(colour);
    const label = `${a.label}${a.rebutted ? ' (rebutted)' : ''}`;
    const size = (CHART_FONT_SIZE - 2) * scale;
    doc.font(SANS).fontSize(size).fillColor('#333333');
    const tw = doc.widthOfString(label);
    doc.rect(X(a.labelAt.x) - tw / 2 - 1, Y(a.labelAt.y) - size / 2 - 1, tw + 2, size * 1.25 + 2).fill('#ffffff'); // the line must not run through the label
    doc.fillColor('#333333').text(label, X(a.labelAt.x) - tw / 2, Y(a.labelAt.y) - size / 2, { lineBreak: false });
  }
  for (const b of chart.boxes) {
    doc.roundedRect(X(b.x), Y(b.y), b.width * scale, b.height * scale, 3 * scale)
      .lineWidth((b.source || b.traced ? 2 : 1) * scale).fillAndStroke(KIND_COLOURS[b.kind] ?? '#ffffff', b.source ? SOURCE_STROKE : DEFAULT_STROKE);
    b.lines.forEach((line, i) => {
      doc.font(i === 0 ? SANS_BOLD : SANS).fontSize(CHART_FONT_SIZE * scale).fillColor('#000000')
        .text(line, X(b.x + 6), Y(b.y + 5 + i * 11), { lineBreak: false });
    });
  }
  doc.restore();
  doc.x = w.left;
  doc.y = oy + height + 8;
}

/** Renders the dossier; resolves with the whole PDF. */
export function renderDossierPdf(d: Dossier, paper: Paper = 'a4'): Promise<Buffer> {
  const doc = new PDFDocument({
    size: PAGE_SIZES[paper], margins: { top: MARGIN, bottom: MARGIN + FOOTER_GAP, left: MARGIN, right: MARGIN }, bufferPages: true,
    info: { Title: `${DOCUMENT_TITLE}: ${d.meta.itemId} ${d.meta.itemName}`, Author: 'labortrace', Subject: 'DPRK labor trace (CAATSA §321(b))', Keywords: d.meta.itemId },
    lang: 'en', displayTitle: true,
  } as PDFKit.PDFDocumentOptions);
  doc.registerFont(SANS, path.join(FONT_DIR, 'DejaVuSans.ttf'));
  doc.registerFont(SANS_BOLD, path.join(FONT_DIR, 'DejaVuSans-Bold.ttf'));
  doc.registerFont(MONO, path.join(FONT_DIR, 'DejaVuSansMono.ttf'));
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const w = new Writer(doc);
  const sectionPages = new Map<string, number>();
  const section = (id: (typeof SECTIONS)[number]['id']) => {
    const index = SECTIONS.findIndex((x) => x.id === id);
    w.heading(`${index + 1}. ${SECTIONS[index].title}`, 13, id);
    sectionPages.set(id, doc.bufferedPageRange().start + doc.bufferedPageRange().count);
    doc.outline.addItem(`${index + 1}. ${SECTIONS[index].title}`);
  };

  // ---- title and the facts the document is stated on
  doc.font(SANS_BOLD).fontSize(18).text(DOCUMENT_TITLE, w.left, doc.y, { width: w.width });
  w.paragraph(`By which paths could North Korean (DPRK) labor have touched ${d.meta.itemId} ${d.meta.itemName}? Evidence package under CAATSA §321(b) / 19 U.S.C. §1307.`, { size: 10 });
  w.table(['', ''], metaRows(d), [0.2, 0.8], { size: BODY - 0.5 });

  // ---- executive summary
  section('summary');
  w.paragraph(`Exposure: ${d.summary.exposure}`, { font: SANS_BOLD, size: 13, colour: d.summary.exposure === 'DIRECT' ? '#b00020' : d.summary.exposure === 'POSSIBLE' ? '#a55b00' : '#1b6e20' });
  for (const f of d.summary.findings) w.paragraph(f);
  w.table(['Figure', 'Value'], summaryRows(d), [0.45, 0.55], { size: BODY - 0.5 });
  if (d.summary.rebutted.length > 0) {
    w.heading('What is rebutted', 10.5);
    // ids are long and unbreakable: their columns are wide enough to keep each on one line
    w.table(['Relationship', 'What it records', 'Prong', 'Rebuttal (evidence)'],
      d.summary.rebutted.map((r) => [r.relationshipId, r.description, r.prongs.join(', '), `${r.rebuttalIds.join(', ')} (${r.evidenceIds.join(', ')})`]), [0.22, 0.35, 0.14, 0.29]);
  } else {
    w.paragraph('Nothing is rebutted.', { colour: '#555555' });
  }
  for (const n of d.notices) w.paragraph(n, { colour: '#555555' });

  // ---- contents: page numbers are written in once every section has its page
  w.heading('Contents', 13);
  const contentsPage = doc.bufferedPageRange().start + doc.bufferedPageRange().count - 1;
  const contentsLines: { id: string; y: number }[] = [];
  for (const [i, s] of SECTIONS.entries()) {
    w.ensure(BODY * 2);
    contentsLines.push({ id: s.id, y: doc.y });
    doc.font(SANS).fontSize(BODY + 1).fillColor('#0b4f9c').text(`${i + 1}. ${s.title}`, w.left, doc.y, { width: w.width - 60, goTo: s.id } as PDFKit.Mixins.TextOptions);
    doc.moveDown(0.25);
  }
  doc.fillColor('#000000');

  // ---- parties
  section('parties');
  w.table(['Group', 'Id', 'Name', 'Country', 'Role'], d.parties.map((p) => [
    p.group, p.id,
    p.kind === 'Worker' ? [p.name, `${p.nationality ?? ''} nationals, ${p.headcount === null || p.headcount === undefined ? 'headcount unknown' : `headcount ${p.headcount}`}`].filter(Boolean).join('; ') : p.name ?? '',
    p.country ?? '', p.roles.join('; '),
  ]), [0.13, 0.19, 0.25, 0.08, 0.35]);

  // ---- flow chart
  section('chart');
  w.paragraph(`${d.chart.caption} Boxes outlined in red are DPRK labor sources; dashed arrows are rebutted labor relationships.`);
  drawChart(w, d);

  // ---- numbered tracing steps
  section('steps');
  w.paragraph(`From the ${d.meta.itemKind.toLowerCase()} back to each DPRK labor source, one relationship a step; each step cites its relationship id.`);
  for (const st of d.steps) {
    w.heading(`Step ${st.number}. ${st.title}`, 9.5);
    if (st.relationshipIds.length > 0) w.paragraph(`Relationship${st.relationshipIds.length > 1 ? 's' : ''}: ${st.relationshipIds.join(', ')}`, { colour: '#555555', size: SMALL });
    for (const x of st.details) w.paragraph(`– ${x}`, { indent: 6 });
    w.paragraph('Documents:', { font: SANS_BOLD, indent: 6 });
    w.documents(st.documents, 12);
  }

  // ---- rebuttal status of every labor relationship
  section('rebuttals');
  if (d.labor.length === 0) w.paragraph('No labor relationship (EMPLOYED_AT, RECRUITED_BY, DISPATCHES_TO, SUPPLIES_LABOR_TO) lies on a traced path.');
  for (const l of d.labor) {
    w.heading(`${l.type} ${l.id}: ${l.rebutted ? 'Rebutted' : 'Not rebutted'}`, 9.5);
    w.paragraph(`${l.description}, ${l.interval}.`);
    w.paragraph('Evidence of the relationship:', { font: SANS_BOLD, indent: 6 });
    w.documents(l.evidence, 12);
    if (l.rebuttals.length === 0) {
      w.paragraph('No rebuttal recorded.', { colour: '#555555', indent: 6 });
    } else {
      w.table(['Rebuttal', 'Status', 'Prong', 'Note', 'Scope', 'Recorded'], l.rebuttals.map((rb) => [
        rb.id, rb.status, rb.prong, [rb.note, rb.decisionNote].filter(Boolean).join(' / '), rb.scope,
        `proposed by ${rb.proposedBy} ${rb.proposedAt} (${rb.origin})${rb.decidedBy ? `; decided by ${rb.decidedBy} ${rb.decidedAt ?? ''}` : ''}`,
      ]), [0.24, 0.1, 0.13, 0.17, 0.1, 0.26]);
      // the rebuttals' documents at full width, so that titles and URLs stay whole
      for (const rb of l.rebuttals) {
        w.paragraph(`Evidence of rebuttal ${rb.id}:`, { font: SANS_BOLD, indent: 6 });
        w.documents(rb.evidence, 12);
      }
    }
  }

  // ---- paths
  section('paths');
  for (const p of [d.paths.direct, d.paths.possible]) {
    w.heading(pathHeading(p, d.meta.pathLimit), 10.5);
    if (p.rows.length > 0) {
      w.table(['#', 'Path (source first, the item last)', 'Relationships', 'Rebutted'],
        p.rows.map((r) => [String(r.number), r.nodes.join(' → '), r.relationshipIds.join(' '), r.rebutted ? 'yes' : 'no']), [0.06, 0.5, 0.34, 0.1], { mono: [1, 2], size: 7 });
    }
  }

  // ---- evidence appendix
  section('evidence');
  if (d.appendix.length === 0) w.paragraph('No document is cited.');
  else {
    // the URL goes under the title, in the widest column, so that it stays on one line where it can
    w.table(['Id', 'Title and URL', 'Kind', 'Date', 'Cited by'], d.appendix.map((e) => [
      e.id, `${e.withheld ? 'content withheld (investigators only)' : e.found ? e.title ?? '' : 'no such evidence recorded'}${e.url ? `\n${e.url}` : ''}`,
      e.kind ?? '', e.published ?? '', e.citedBy.join(', '),
    ]), [0.09, 0.5, 0.11, 0.1, 0.2]);
  }

  // ---- contents page numbers, running header and footer
  const range = doc.bufferedPageRange();
  doc.switchToPage(contentsPage);
  for (const line of contentsLines) {
    doc.font(SANS).fontSize(BODY + 1).fillColor('#000000').text(String(sectionPages.get(line.id) ?? ''), w.left + w.width - 50, line.y, { width: 50, align: 'right', lineBreak: false });
  }
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const bottomMargin = doc.page.margins.bottom;
    doc.page.margins.bottom = 0; // writing inside the margin must not start a new page
    const y = doc.page.height - MARGIN - 4;
    doc.moveTo(w.left, y - 4).lineTo(w.left + w.width, y - 4).lineWidth(0.4).strokeColor('#999999').stroke();
    const asOf = d.meta.asOf ?? 'none';
    doc.font(SANS).fontSize(SMALL).fillColor('#444444')
      .text(`${DOCUMENT_TITLE} ${d.meta.itemId} · asOf ${asOf} · knownAt ${d.meta.knownAt ?? 'now'} · generated ${d.meta.generatedAt}`, w.left, y, { width: w.width - 80, lineBreak: false })
      .text(`Page ${i + 1} of ${range.count}`, w.left + w.width - 80, y, { width: 80, align: 'right', lineBreak: false });
    doc.page.margins.bottom = bottomMargin;
  }
  doc.end();
  return done;
}
