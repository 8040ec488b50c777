// Reads a PDF back as a reader would: for each page its size in points and its text (pdfjs-dist, ESM only, so the
// tests run this in a child node process). Usage: node pdf-text.mjs FILE.pdf  →  JSON on stdout.
import { readFile } from 'node:fs/promises';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';

const data = new Uint8Array(await readFile(process.argv[2]));
const pdf = await getDocument({ data, useSystemFonts: false, isEvalSupported: false, verbosity: 0 }).promise;
const pages = [];
for (let i = 1; i <= pdf.numPages; i++) {
  const page = await pdf.getPage(i);
  const { width, height } = page.getViewport({ scale: 1 });
  const content = await page.getTextContent();
  const text = content.items.map((item) => ('str' in item ? item.str + (item.hasEOL ? '\n' : '') : '')).join('');
  pages.push({ width, height, text });
}
const info = (await pdf.getMetadata()).info;
process.stdout.write(JSON.stringify({ title: info?.Title ?? null, pages }));
