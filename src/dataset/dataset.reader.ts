import { createReadStream, promises as fs } from 'node:fs';
import path from 'node:path';
import { parse, CsvError } from 'csv-parse';
import { FILE_SPECS } from './dataset.spec';
import { DatasetValidator, type ValidationResult } from './dataset.validator';

/** Large files report how far they are every this many rows (and at their end). */
const PROGRESS_EVERY = 100_000;

export interface ReadProgress {
  (file: string, rows: number): void;
}

/**
 * Streams every CSV file of a dataset directory through the validator. Files are read in the order of
 * DATA-FORMAT.md so that error lists read naturally; unknown .csv files are errors, other files are ignored.
 */
export async function readDataset(dir: string, onProgress?: ReadProgress): Promise<ValidationResult> {
  const stat = await fs.stat(dir).catch(() => null);
  if (!stat?.isDirectory()) throw new Error(`${dir}: not a dataset directory`);
  const present = (await fs.readdir(dir)).filter((f) => f.toLowerCase().endsWith('.csv'));
  const ordered = [
    ...FILE_SPECS.map((s) => s.file).filter((f) => present.includes(f)),
    ...present.filter((f) => !FILE_SPECS.some((s) => s.file === f)).sort(),
  ];
  const validator = new DatasetValidator();
  for (const file of ordered) await readFile(validator, dir, file, onProgress);
  return validator.finish();
}

async function readFile(v: DatasetValidator, dir: string, file: string, onProgress?: ReadProgress): Promise<void> {
  // Lines are counted here rather than with csv-parse's `info` (a third of the parse time on large files):
  // blank lines come through as [''] and are skipped, quoted fields add their own line breaks.
  const parser = createReadStream(path.join(dir, file)).pipe(parse({ bom: true, relax_column_count: true, skip_empty_lines: false }));
  let headerSeen = false;
  let usable = true;
  let rows = 0;
  let line = 1;
  try {
    for await (const record of parser as AsyncIterable<string[]>) {
      const start = line;
      line += 1 + record.reduce((n, field) => n + countLineBreaks(field), 0);
      if (record.length === 1 && record[0] === '') continue;
      if (!headerSeen) {
        headerSeen = true;
        usable = v.startFile(file, record);
        if (!usable) break;
        continue;
      }
      v.addRow(file, start, record);
      if (++rows % PROGRESS_EVERY === 0) onProgress?.(file, rows);
    }
  } catch (e) {
    if (!(e instanceof CsvError)) throw e;
    const at = (e as CsvError & { lines?: number }).lines ?? line;
    v.error({ file, line: at, column: 1 }, `malformed CSV: ${e.message}`);
    return;
  }
  if (!headerSeen) v.error({ file, line: 1, column: 1 }, 'the file is empty; a present file must have a header row');
  if (usable && rows >= PROGRESS_EVERY) onProgress?.(file, rows);
}

function countLineBreaks(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 10 || (c === 13 && s.charCodeAt(i + 1) !== 10)) n++;
  }
  return n;
}
