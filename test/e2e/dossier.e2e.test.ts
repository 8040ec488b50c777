import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'csv-parse/sync';
import type { Neo4jClient } from '../../src/db/neo4j-client';
import { readDataset } from '../../src/dataset/dataset.reader';
import { escapeHtml } from '../../src/dossier/dossier.html';
import { createKeys, startLocal, startWithKeys, type TestServer } from '../helpers/change-sets';
import { importDir, resetGraph, testClient } from '../helpers/neo4j';
import { expectedTrace, genDatasetOf, SEED_DIR } from '../helpers/seed-dataset';
import { runCli } from '../helpers/cli';

/**
 * The customs dossier as a customs officer receives it, against the real test Neo4j with the demo data: the PDF
 * read back as text (pdfjs-dist), the HTML, the access rules, and the CLI. What must be in it is derived from the
 * seed's CSV files (and the brute-force enumerator over them), never from the program's own output.
 */
const run = promisify(execFile);
const PDF_TEXT = path.join(__dirname, '..', 'helpers', 'pdf-text.mjs');
const ITEM = 'P-TILE-BOX';
const tmp = mkdtempSync(path.join(os.tmpdir(), 'labortrace-dossier-'));

interface PdfText { title: string | null; pages: { width: number; height: number; text: string }[] }

/** The PDF's pages (size in points, text) as a PDF reader sees them. */
async function readPdf(bytes: Buffer): Promise<PdfText & { all: string }> {
  const file = path.join(tmp, `read-${Date.now()}-${Math.random().toString(36).slice(2)}.pdf`);
  writeFileSync(file, bytes);
  const { stdout } = await run('node', [PDF_TEXT, file], { maxBuffer: 64 * 1024 * 1024 });
  const pdf = JSON.parse(stdout) as PdfText;
  // lines wrap inside table cells and paragraphs: compare text with whitespace collapsed (a break after "-" joins)
  const all = pdf.pages.map((p) => p.text).join('\n').replace(/-\n/g, '-').replace(/\s+/g, ' ');
  return { ...pdf, all };
}

function csv(file: string): Record<string, string>[] {
  return parse(readFileSync(path.join(SEED_DIR, file), 'utf8'), { columns: true, skip_empty_lines: true });
}

/** What the seed says the dossier of an item must show: its paths' rows, evidence, labor rows and rebuttals. */
async function expectedDossier(itemId: string, asOf: string | null = null) {
  const trace = expectedTrace(await genDatasetOf(SEED_DIR), itemId, asOf);
  const read = await readDataset(SEED_DIR);
  if (!read.ok) throw new Error('the seed does not read');
  const rowKeys = new Set([...trace.direct, ...trace.possible].flatMap((p) => [...p.rows]));
  const nodeIds = new Set([...trace.direct, ...trace.possible].flatMap((p) => p.nodes));
  const rows = read.dataset.relationships.filter((r) => rowKeys.has(r.key));
  const evidenceIds = new Set<string>([
    ...rows.flatMap((r) => [...r.evidence, ...r.rebuttals]),
    ...read.dataset.nodes.filter((n) => nodeIds.has(n.id) || n.id === itemId).flatMap((n) => n.evidence),
  ]);
  const titles = new Map(csv('evidence.csv').map((e) => [e.id, e]));
  const labor = rows.filter((r) => ['EMPLOYED_AT', 'RECRUITED_BY', 'DISPATCHES_TO', 'SUPPLIES_LABOR_TO'].includes(r.type));
  return {
    trace, rows, labor,
    evidence: [...evidenceIds].sort().map((id) => titles.get(id)!),
    rebuttedLabor: labor.filter((r) => r.rebuttals.length > 0),
  };
}

let client: Neo4jClient;
let local: TestServer;
const base = () => local.server.url.replace(/\/graphql$/, '');

beforeAll(async () => {
  client = await testClient();
  await resetGraph(client);
  await importDir(client, SEED_DIR);
  local = await startLocal(client);
});
afterAll(async () => {
  await local?.stop();
  await resetGraph(client);
  await client.close();
});

describe('GET /dossier/<itemId>.pdf', () => {
  let pdf: PdfText & { all: string };
  let want: Awaited<ReturnType<typeof expectedDossier>>;
  const asOf = '2024-06-30';
  beforeAll(async () => {
    want = await expectedDossier(ITEM, asOf);
    const res = await fetch(`${base()}/dossier/${ITEM}.pdf?asOf=${asOf}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    expect(res.headers.get('cache-control')).toBe('no-store');
    const bytes = Buffer.from(await res.arrayBuffer());
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
    pdf = await readPdf(bytes);
  });

  it('is what the seed makes it: a rebutted DIRECT case (the test would prove nothing otherwise)', () => {
    expect(want.trace.exposure).toBe('DIRECT');
    expect(want.rebuttedLabor.length).toBeGreaterThan(0);
    expect(want.labor.length).toBeGreaterThan(want.rebuttedLabor.length);
    expect(want.evidence.length).toBeGreaterThan(1);
  });

  it('has every section the contract lists, as searchable text, and states asOf, knownAt, data version and generation time', () => {
    for (const heading of ['Executive summary', 'Contents', 'Parties and roles', 'Flow chart', 'Tracing steps', 'Rebuttal status of labor relationships', 'Paths', 'Evidence appendix']) {
      expect(pdf.all).toContain(heading);
    }
    expect(pdf.all).toContain(`asOf ${asOf}`);
    expect(pdf.all).toMatch(/knownAt not given/);
    expect(pdf.all).toMatch(/Data version change set \S+ of \d{4}-\d\d-\d\dT/);
    expect(pdf.all).toMatch(/Generated at \d{4}-\d\d-\d\dT\d\d:\d\d/);
    expect(pdf.title).toContain(ITEM);
  });

  it('summarises exposure and the direct, open and rebutted counts the seed gives', () => {
    const direct = want.trace.direct.length;
    expect(pdf.all).toContain('Exposure: DIRECT');
    expect(pdf.all).toContain(`Direct paths ${direct}`);
    expect(pdf.all).toContain(`open (not rebutted) ${want.trace.open}`);
    expect(pdf.all).toContain(`rebutted ${direct - want.trace.open}`);
    expect(pdf.all).toContain(`Direct paths: ${direct}, all listed`);
  });

  it('numbers the tracing steps: the product, then one step per traced relationship, each citing its id', () => {
    const steps = 1 + want.rows.length;
    for (let n = 1; n <= steps; n++) expect(pdf.all).toContain(`Step ${n}. `);
    expect(pdf.all).not.toContain(`Step ${steps + 1}. `);
    expect(pdf.all).toContain(`Step 1. The product ${ITEM}`);
    for (const r of want.rows) expect(pdf.all).toContain(`Relationship ${r.id} (${r.type})`);
  });

  it("cites every document of the item's paths with title, kind, date and URL, and lists it in the appendix", () => {
    for (const e of want.evidence) {
      expect(pdf.all).toContain(e.title);
      expect(pdf.all).toContain(`${e.id} ${[e.kind, e.published].filter(Boolean).join(', ')}: ${e.title}`);
      if (e.url) expect(pdf.all).toContain(e.url);
    }
    const appendix = pdf.all.slice(pdf.all.lastIndexOf('Evidence appendix'));
    for (const e of want.evidence) expect(appendix).toContain(e.title);
  });

  it('states the rebuttal status of every labor relationship, with the prong', () => {
    for (const r of want.labor) {
      expect(pdf.all).toContain(`${r.type} ${r.id}: ${r.rebuttals.length > 0 ? 'Rebutted' : 'Not rebutted'}`);
    }
    // a rebuttal column in the data is an accepted rebuttal on prong NOT_PRESENT (README, "Rebuttal")
    for (const r of want.rebuttedLabor) expect(pdf.all).toContain(`${r.id} on prong NOT_PRESENT`);
  });

  it('is A4 by default, with a page number on every page', () => {
    expect(pdf.pages.length).toBeGreaterThan(1);
    for (const [i, p] of pdf.pages.entries()) {
      expect([Math.round(p.width), Math.round(p.height)]).toEqual([595, 842]);
      expect(p.text.replace(/\s+/g, ' ')).toContain(`Page ${i + 1} of ${pdf.pages.length}`);
    }
  });

  it('is Letter with paper=letter', async () => {
    const res = await fetch(`${base()}/dossier/${ITEM}.pdf?paper=letter`);
    expect(res.status).toBe(200);
    const letter = await readPdf(Buffer.from(await res.arrayBuffer()));
    for (const p of letter.pages) expect([p.width, p.height]).toEqual([612, 792]);
    expect(letter.all).toContain('Evidence appendix');
  });
});

describe('GET /dossier/<itemId>.html', () => {
  it('is one self-contained page with every section, the steps, the evidence and the chart', async () => {
    const want = await expectedDossier(ITEM);
    const res = await fetch(`${base()}/dossier/${ITEM}.html?knownAt=${encodeURIComponent(new Date().toISOString())}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html; charset=utf-8/);
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    const html = await res.text();
    for (const id of ['summary', 'parties', 'chart', 'steps', 'rebuttals', 'paths', 'evidence']) expect(html).toContain(`<section id="${id}">`);
    expect(html).toContain('<h2>Contents</h2>');
    expect(html).toMatch(/<svg[^>]*role="img"/);
    for (let n = 1; n <= 1 + want.rows.length; n++) expect(html).toContain(`<h3>Step ${n}. `);
    for (const e of want.evidence) expect(html).toContain(escapeHtml(e.title));
    expect(html).toMatch(/knownAt<\/td><td>\d{4}-/);
    expect(html).toMatch(/@page \{ size: A4;/);
    expect(html).not.toMatch(/<script|<link /i);
  });

  it('a clean product is still a whole document: NONE and why', async () => {
    expect(expectedTrace(await genDatasetOf(SEED_DIR), 'P-CRAB-CAN').exposure).toBe('NONE');
    const res = await fetch(`${base()}/dossier/P-CRAB-CAN.html`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('Exposure: NONE');
    expect(html).toMatch(/NONE: no path leads from any DPRK labor source/);
    for (const id of ['summary', 'parties', 'chart', 'steps', 'rebuttals', 'paths', 'evidence']) expect(html).toContain(`<section id="${id}">`);
  });
});

describe('refusals', () => {
  it('an unknown item is 404 JSON, never an empty document', async () => {
    for (const ext of ['pdf', 'html']) {
      const res = await fetch(`${base()}/dossier/NO-SUCH-ITEM.${ext}`);
      expect(res.status).toBe(404);
      expect(res.headers.get('content-type')).toMatch(/application\/json/);
      const body = await res.json() as { errors: { message: string; extensions: { code: string } }[] };
      expect(body.errors[0].extensions.code).toBe('NOT_FOUND');
      expect(body.errors[0].message).toContain('NO-SUCH-ITEM');
    }
  });

  it('a bad asOf, knownAt or paper is 400 BAD_USER_INPUT naming the parameter', async () => {
    for (const [query, name] of [['asOf=2024-02-30', 'asOf'], ['knownAt=yesterday', 'knownAt'], ['paper=a3', 'paper'], ['asOf=2024-01-01&asOf=2024-01-02', 'asOf']]) {
      const res = await fetch(`${base()}/dossier/${ITEM}.pdf?${query}`);
      expect(res.status).toBe(400);
      const body = await res.json() as { errors: { message: string; extensions: { code: string } }[] };
      expect(body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
      expect(body.errors[0].message.startsWith(`${name}:`)).toBe(true);
    }
  });

  it('once keys exist: no credential 401, viewer 403, analyst without worker names, investigator with them', async () => {
    const keys = await createKeys(client, { 'd-viewer': 'viewer', 'd-analyst': 'analyst', 'd-investigator': 'investigator' });
    const secured = await startWithKeys(client);
    try {
      const url = `${secured.server.url.replace(/\/graphql$/, '')}/dossier/${ITEM}.html`;
      const as = (key?: string) => fetch(url, { headers: key ? { authorization: `Bearer ${key}` } : {} });
      const anonymous = await as();
      expect(anonymous.status).toBe(401);
      expect(((await anonymous.json()) as any).errors[0].extensions.code).toBe('UNAUTHENTICATED');
      const viewer = await as(keys['d-viewer']);
      expect(viewer.status).toBe(403);
      expect(((await viewer.json()) as any).errors[0].extensions.code).toBe('FORBIDDEN');
      // the cohort's name column is personal data (ACCESS.md): investigators only
      const cohortIds = new Set((await expectedDossier(ITEM)).rows.map((r) => r.source).filter((id) => id.startsWith('W-')));
      const names = csv('workers.csv').filter((w) => cohortIds.has(w.id) && w.name).map((w) => escapeHtml(w.name));
      expect(names.length).toBeGreaterThan(0);
      const analyst = await as(keys['d-analyst']);
      expect(analyst.status).toBe(200);
      const analystHtml = await analyst.text();
      for (const n of names) expect(analystHtml).not.toContain(n);
      expect(analystHtml).toContain('personal names are shown to investigators only');
      const investigatorHtml = await (await as(keys['d-investigator'])).text();
      for (const n of names) expect(investigatorHtml).toContain(n);
    } finally {
      await secured.stop();
    }
  });
});

describe('labortrace dossier (CLI)', () => {
  const cli = (...args: string[]) => runCli(args);

  it('writes the PDF of an item', async () => {
    const out = path.join(tmp, 'tile.pdf');
    const r = await cli('dossier', ITEM, '--as-of', '2024-06-30', '--paper', 'letter', '--out', out);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    const pdf = await readPdf(readFileSync(out));
    expect(pdf.all).toContain('Step 1. ');
    expect(pdf.all).toContain('asOf 2024-06-30');
    expect([pdf.pages[0].width, pdf.pages[0].height]).toEqual([612, 792]);
  });

  it('writes the HTML when the file ends in .html', async () => {
    const out = path.join(tmp, 'tile.html');
    expect((await cli('dossier', ITEM, '--out', out)).code).toBe(0);
    expect(readFileSync(out, 'utf8')).toMatch(/^<!DOCTYPE html>/);
  });

  it('an unknown item: one line on stderr, exit 1, no file', async () => {
    const out = path.join(tmp, 'missing.pdf');
    const r = await cli('dossier', 'NO-SUCH-ITEM', '--out', out);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('NO-SUCH-ITEM');
    expect(existsSync(out)).toBe(false);
  });

  it('wrong usage is exit 2: a bad --as-of, an --out that is neither .pdf nor .html, no --out', async () => {
    for (const args of [['--as-of', '2024-13-01', '--out', path.join(tmp, 'a.pdf')], ['--out', path.join(tmp, 'a.txt')], []]) {
      const r = await cli('dossier', ITEM, ...args);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain("labortrace dossier --help");
    }
    expect(existsSync(path.join(tmp, 'a.pdf'))).toBe(false);
  });
});
