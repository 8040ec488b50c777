import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { readDataset } from '../../src/dataset/dataset.reader';
import { formatError } from '../../src/dataset/dataset.types';
import type { ValidationResult } from '../../src/dataset/dataset.validator';

/**
 * Fuzzing the reader and validator (pure: files in a temporary directory, no database) with corrupted datasets:
 * broken encodings, NUL bytes, unterminated and stray quotes, huge fields, values of the wrong kind, cut files,
 * shuffled and repeated lines. Whatever the input, readDataset returns the documented result and nothing else:
 * { ok: true, dataset } or { ok: false, errors, errorCount } with every error one line `file:line:column: message`
 * that points into the file, and never a dataset together with errors (no partial dataset).
 */
const VALID: Record<string, string> = {
  'products.csv': 'id,name,sku,evidence\nP1,Alpine Jacket,AS-1,E1\nP2,"Fleece, ""trail""",TF-2,\n',
  'components.csv': 'id,name,material\nC1,Zipper,metal\nC2,Shell fabric,nylon\n',
  'factories.csv': 'id,name,country,lat,lon,operator_id\nF1,Plant 1,cn,42.8,130.3,CO1\nF2,평양 피복,kp,-12.5,,\n',
  'companies.csv': 'id,name,country\nCO1,丹东贸易,cn\n',
  'agencies.csv': 'id,name,country,dprk_linked\nA1,State corp,kp,true\n',
  'workers.csv': 'id,nationality,name,headcount\nW1,kp,Cohort,40\n',
  'evidence.csv': 'id,title,published,confidence\nE1,Report,2021-03,0.8\n',
  'bom.csv': 'parent_id,child_id,quantity\nP1,C1,2\nC1,C2,1\n',
  'production.csv': 'item_id,factory_id,from,to\nC2,F1,2019,2024\n',
  'employment.csv': 'worker_id,factory_id,from,to,rebuttal\nW1,F1,2020-01-01,2021-06,\n',
  'recruitment.csv': 'worker_id,agency_id,factory_id,from\nW1,A1,F1,2019\n',
};

type Mutation = (text: Buffer, rnd: () => number) => Buffer;
const at = (b: Buffer, rnd: () => number) => Math.floor(rnd() * (b.length + 1));
const splice = (b: Buffer, i: number, del: number, ins: Buffer) => Buffer.concat([b.subarray(0, i), ins, b.subarray(i + del)]);

const MUTATIONS: Record<string, Mutation> = {
  nul: (b, r) => splice(b, at(b, r), 0, Buffer.from([0])),
  quote: (b, r) => splice(b, at(b, r), 0, Buffer.from('"')),
  openQuote: (b, r) => { const i = b.indexOf(10, at(b, r)); return i < 0 ? Buffer.concat([b, Buffer.from('"')]) : splice(b, i + 1, 0, Buffer.from('"')); },
  invalidUtf8: (b, r) => splice(b, at(b, r), 0, Buffer.from([[0xff, 0xc0, 0xe9, 0xed, 0xf5][Math.floor(r() * 5)]])),
  cutMultibyte: (b) => Buffer.concat([b, Buffer.from('한').subarray(0, 2)]),
  utf16: (b) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(b.toString('utf8'), 'utf16le')]),
  latin1: (b) => Buffer.from(b.toString('utf8').replace(/[a-z]/, 'é'), 'latin1'),
  truncate: (b, r) => b.subarray(0, at(b, r)),
  deleteByte: (b, r) => splice(b, at(b, r), 1, Buffer.alloc(0)),
  comma: (b, r) => splice(b, at(b, r), 0, Buffer.from(',')),
  newline: (b, r) => splice(b, at(b, r), 0, Buffer.from(['\n', '\r', '\r\n'][Math.floor(r() * 3)])),
  hugeField: (b, r) => splice(b, at(b, r), 0, Buffer.from('z'.repeat([5_000, 70_000, 1_100_000][Math.floor(r() * r() * 3)]))),
  wrongKind: (b, r) => splice(b, at(b, r), 0, Buffer.from(['0x10', 'Infinity', '2023-13', 'maybe', 'ZZ', '-', '=1+1', "'", '\uFEFF'][Math.floor(r() * 9)])),
  duplicateLine: (b, r) => { const lines = b.toString('utf8').split('\n'); const i = Math.floor(r() * lines.length); lines.splice(i, 0, lines[i]); return Buffer.from(lines.join('\n')); },
  swapLines: (b, r) => { const lines = b.toString('utf8').split('\n'); const i = Math.floor(r() * lines.length); const j = Math.floor(r() * lines.length); [lines[i], lines[j]] = [lines[j], lines[i]]; return Buffer.from(lines.join('\n')); },
  empty: () => Buffer.alloc(0),
  random: (b, r) => splice(b, at(b, r), 0, Buffer.from(Array.from({ length: 1 + Math.floor(r() * 20) }, () => Math.floor(r() * 256)))),
};

const ERROR_LINE = /^[^\n:]+\.csv:(\d+):(\d+): [^\n]+$/;

function checkResult(result: ValidationResult, files: Record<string, Buffer>): void {
  expect(Object.keys(result).sort()).toEqual(result.ok ? ['dataset', 'ok'] : ['errorCount', 'errors', 'ok']);
  if (result.ok) return;
  expect(result.errors.length).toBeGreaterThan(0);
  expect(result.errorCount).toBeGreaterThanOrEqual(result.errors.length);
  for (const e of result.errors) {
    const text = formatError(e);
    expect(text).toMatch(ERROR_LINE);
    expect(text).not.toMatch(/\bat .*\.(ts|js):\d+|node_modules|\/work\/|Error:/); // no stack, no internal path
    const content = files[e.file];
    if (content) expect(e.line).toBeLessThanOrEqual(content.toString('latin1').split(/\r\n|\r|\n/).length + 1);
    expect(e.line).toBeGreaterThanOrEqual(1);
    expect(e.column ?? 1).toBeGreaterThanOrEqual(1);
  }
}

describe('fuzzing the dataset reader and validator with corrupted datasets', () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'labortrace-fuzz-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  let n = 0;

  it('the valid base dataset is valid', async () => {
    const dir = path.join(root, 'base');
    require('node:fs').mkdirSync(dir);
    for (const [f, t] of Object.entries(VALID)) writeFileSync(path.join(dir, f), t);
    const result = await readDataset(dir);
    expect(result.ok ? [] : result.errors.map(formatError)).toEqual([]);
  });

  it('never throws, and answers the documented result with one-line file:line:column errors', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.constantFrom(...Object.keys(VALID)), fc.constantFrom(...Object.keys(MUTATIONS)), fc.integer({ min: 0, max: 2 ** 31 - 1 })), { minLength: 1, maxLength: 4 }),
        async (mutations) => {
          const files: Record<string, Buffer> = Object.fromEntries(Object.entries(VALID).map(([f, t]) => [f, Buffer.from(t)]));
          for (const [file, name, seed] of mutations) {
            let s = seed;
            const rnd = () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
            files[file] = MUTATIONS[name](files[file], rnd);
          }
          const dir = path.join(root, `d${n++}`);
          require('node:fs').mkdirSync(dir);
          for (const [f, b] of Object.entries(files)) writeFileSync(path.join(dir, f), b);
          const started = Date.now();
          const result = await readDataset(dir);
          expect(Date.now() - started).toBeLessThan(10_000);
          checkResult(result, files);
          rmSync(dir, { recursive: true, force: true });
        },
      ),
      { numRuns: 120 },
    );
  });

  it('whole files of arbitrary text or bytes: the same', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...Object.keys(VALID), 'other.csv'),
        fc.oneof(fc.string({ unit: 'grapheme', maxLength: 300 }).map((s) => Buffer.from(s)), fc.uint8Array({ maxLength: 300 }).map((a) => Buffer.from(a)),
          fc.array(fc.array(fc.string({ unit: 'grapheme-composite', maxLength: 8 }), { maxLength: 6 }), { maxLength: 6 })
            .map((rows) => Buffer.from(rows.map((r) => r.join(',')).join('\n')))),
        async (file, content) => {
          const dir = path.join(root, `d${n++}`);
          require('node:fs').mkdirSync(dir);
          for (const [f, t] of Object.entries(VALID)) writeFileSync(path.join(dir, f), t);
          writeFileSync(path.join(dir, file), content);
          const result = await readDataset(dir);
          checkResult(result, { ...Object.fromEntries(Object.entries(VALID).map(([f, t]) => [f, Buffer.from(t)])), [file]: content });
          expect(readdirSync(dir).length).toBeGreaterThan(0);
          rmSync(dir, { recursive: true, force: true });
        },
      ),
      { numRuns: 300 },
    );
  });
});
