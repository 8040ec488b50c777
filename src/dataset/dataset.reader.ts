import { createReadStream, promises as fs } from 'node:fs';
import path from 'node:path';
import { isUtf8 } from 'node:buffer';
import { Transform, type TransformCallback, pipeline } from 'node:stream';
import { parse, CsvError } from 'csv-parse';
import { FILE_SPECS, MAX_FIELD_CHARS } from './dataset.spec';
import { DatasetValidator, type ValidationResult } from './dataset.validator';

/** Large files report how far they are every this many rows (and at their end). */
const PROGRESS_EVERY = 100_000;

export interface ReadProgress {
  (file: string, rows: number): void;
}

/**
 * The directory itself cannot be a dataset (it does not exist, is not a directory, has no .csv file). Everything
 * about the files' content is a ValidationResult instead, with file:line:column.
 */
export class DatasetDirectoryError extends Error {}

/**
 * Streams every CSV file of a dataset directory through the validator. Files are read in the order of
 * DATA-FORMAT.md so that error lists read naturally; unknown .csv files are errors, other files are ignored.
 * A directory without any .csv file is refused (DatasetDirectoryError): importing it would do nothing, or with
 * `--replace` empty the graph, which a mistyped path must never do.
 */
export async function readDataset(dir: string, onProgress?: ReadProgress): Promise<ValidationResult> {
  const stat = await fs.stat(dir).catch(() => null);
  if (!stat?.isDirectory()) throw new DatasetDirectoryError(`${dir}: not a dataset directory (${stat ? 'not a directory' : 'it does not exist'})`);
  const entries = await fs.readdir(dir).catch((e: NodeJS.ErrnoException) => {
    throw new DatasetDirectoryError(`${dir}: cannot be read (${e.code ?? e.message})`);
  });
  const present = entries.filter((f) => f.toLowerCase().endsWith('.csv'));
  if (present.length === 0) {
    throw new DatasetDirectoryError(`${dir}: no dataset files (no .csv file in the directory); a dataset has ${FILE_SPECS.map((s) => s.file).join(', ')}`);
  }
  const ordered = [
    ...FILE_SPECS.map((s) => s.file).filter((f) => present.includes(f)),
    ...present.filter((f) => !FILE_SPECS.some((s) => s.file === f)).sort(),
  ];
  const validator = new DatasetValidator();
  const realDir = await fs.realpath(dir);
  for (const file of ordered) {
    const problem = await unreadable(realDir, path.join(dir, file));
    if (problem) validator.abortFile({ file, line: 1, column: 1 }, problem);
    else await readFile(validator, dir, file, onProgress);
  }
  return validator.finish();
}

/**
 * Why a file is not read at all: it is not a regular file (a FIFO or a device would block or never end), or it is
 * a symbolic link that leads out of the dataset directory (a link to /etc/passwd must not have its lines quoted in
 * error messages).
 */
async function unreadable(realDir: string, file: string): Promise<string | undefined> {
  const link = await fs.lstat(file).catch(() => undefined);
  if (!link) return 'cannot be read';
  let target: string;
  try {
    target = await fs.realpath(file);
  } catch {
    return 'a symbolic link to a file that does not exist';
  }
  if (link.isSymbolicLink() && path.dirname(target) !== realDir && !target.startsWith(realDir + path.sep)) {
    return 'a symbolic link to a file outside the dataset directory; copy the file into the directory instead';
  }
  const stat = await fs.stat(target).catch(() => undefined);
  if (!stat?.isFile()) return 'not a regular file';
  return undefined;
}

async function readFile(v: DatasetValidator, dir: string, file: string, onProgress?: ReadProgress): Promise<void> {
  // Lines are counted here rather than with csv-parse's `info` (a third of the parse time on large files):
  // blank lines come through as [''] and are skipped, quoted fields add their own line breaks.
  const parser = parse({ bom: true, relax_column_count: true, skip_empty_lines: false, max_record_size: MAX_FIELD_CHARS });
  const utf8 = new Utf8Check();
  pipeline(createReadStream(path.join(dir, file)), utf8, parser, () => { /* errors surface in the loop below */ });
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
    if (e instanceof Utf8Error) {
      v.abortFile({ file, line: e.line, column: 1 }, e.message);
    } else if (e instanceof CsvError) {
      v.abortFile(...csvErrorAt(file, e, line));
    } else {
      const err = e as NodeJS.ErrnoException;
      v.abortFile({ file, line: 1, column: 1 }, `cannot be read (${err.code ?? err.message})`);
    }
    return;
  } finally {
    parser.destroy();
  }
  if (!headerSeen) v.error({ file, line: 1, column: 1 }, 'the file is empty; a present file must have a header row');
  if (usable && rows >= PROGRESS_EVERY) onProgress?.(file, rows);
}

/**
 * Where and what a CSV syntax error is, in this project's words. `recordStart` is the line where the record being
 * parsed began: for a quote that is never closed that is where it opened, not the end of the file csv-parse names.
 */
function csvErrorAt(file: string, e: CsvError, recordStart: number): [{ file: string; line: number; column: number }, string] {
  const info = e as CsvError & { lines?: number; index?: number };
  const column = (info.index ?? 0) + 1;
  switch (e.code) {
    case 'CSV_QUOTE_NOT_CLOSED':
      return [{ file, line: recordStart, column },
        'malformed CSV: a quoted field opens in this record and is never closed (a missing closing quote "); the rest of the file was not read'];
    case 'INVALID_OPENING_QUOTE':
      return [{ file, line: info.lines ?? recordStart, column },
        'malformed CSV: a quote (") inside a field that does not start with one; quote the whole field and double the quotes inside it'];
    case 'CSV_INVALID_CLOSING_QUOTE':
      return [{ file, line: info.lines ?? recordStart, column },
        'malformed CSV: a closing quote (") followed by more text in the same field; double a quote inside a quoted field'];
    case 'CSV_MAX_RECORD_SIZE':
      return [{ file, line: recordStart, column },
        `malformed CSV or a field too long: more than ${MAX_FIELD_CHARS} characters in one field; the rest of the file was not read`];
    default:
      return [{ file, line: info.lines ?? recordStart, column: 1 }, `malformed CSV: ${e.message.replace(/ at line \d+.*$/s, '').slice(0, 200)}`];
  }
}

function countLineBreaks(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 10 || (c === 13 && s.charCodeAt(i + 1) !== 10)) n++;
  }
  return n;
}

class Utf8Error extends Error {
  constructor(message: string, readonly line: number) {
    super(message);
  }
}

/**
 * Passes a byte stream on as text when it is well-formed UTF-8 and fails at the first byte that is not, naming its
 * line: a file saved as Latin-1, Windows-1252 or UTF-16 is refused rather than read with replacement characters.
 */
class Utf8Check extends Transform {
  private carry: Buffer = Buffer.alloc(0);
  private lines = 1;
  private first = true;

  constructor() {
    super({ decodeStrings: true, readableObjectMode: false });
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    let buf = this.carry.length ? Buffer.concat([this.carry, chunk]) : chunk;
    if (this.first && buf.length >= 2) {
      this.first = false;
      if ((buf[0] === 0xff && buf[1] === 0xfe) || (buf[0] === 0xfe && buf[1] === 0xff)) {
        done(new Utf8Error('the file is UTF-16 (it starts with a UTF-16 byte-order mark); save it as UTF-8', 1));
        return;
      }
    }
    // the native check first (fast); the byte scan only to say where a file is not UTF-8
    const end = completeCharacters(buf);
    const r = isUtf8(buf.subarray(0, end)) ? { complete: end } : scanUtf8(buf);
    if (r.invalidAt !== undefined) {
      done(new Utf8Error(`not valid UTF-8 (byte 0x${buf[r.invalidAt].toString(16).padStart(2, '0')} in this line); save the file as UTF-8`,
        this.lines + countNewlines(buf, r.invalidAt)));
      return;
    }
    this.lines += countNewlines(buf, r.complete);
    this.carry = Buffer.from(buf.subarray(r.complete));
    buf = buf.subarray(0, r.complete);
    done(null, buf);
  }

  override _flush(done: TransformCallback): void {
    if (this.carry.length > 0) done(new Utf8Error('not valid UTF-8 (the file ends inside a multi-byte character); save the file as UTF-8', this.lines));
    else done();
  }
}

/** How many bytes of buf end on a character boundary (a multi-byte character may be cut at the end of a chunk). */
function completeCharacters(buf: Buffer): number {
  const n = buf.length;
  for (let j = n - 1; j >= Math.max(0, n - 4); j--) {
    const c = buf[j];
    if ((c & 0xc0) === 0x80) continue; // continuation byte
    const len = c < 0x80 ? 1 : c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
    return j + len > n ? j : n;
  }
  return n;
}

function countNewlines(buf: Buffer, end: number): number {
  let n = 0;
  for (let i = buf.indexOf(10); i !== -1 && i < end; i = buf.indexOf(10, i + 1)) n++;
  return n;
}

/**
 * Well-formed UTF-8 (Unicode Table 3-7: no overlong forms, no surrogates, nothing above U+10FFFF): the offset of
 * the first ill-formed byte, or how many bytes are complete characters (the rest may be a character cut by the
 * chunk boundary).
 */
export function scanUtf8(b: Uint8Array): { invalidAt?: number; complete: number } {
  let i = 0;
  const n = b.length;
  while (i < n) {
    const c = b[i];
    if (c < 0x80) { i++; continue; }
    let need: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (c >= 0xc2 && c <= 0xdf) need = 1;
    else if (c >= 0xe0 && c <= 0xef) { need = 2; if (c === 0xe0) lo = 0xa0; if (c === 0xed) hi = 0x9f; }
    else if (c >= 0xf0 && c <= 0xf4) { need = 3; if (c === 0xf0) lo = 0x90; if (c === 0xf4) hi = 0x8f; }
    else return { invalidAt: i, complete: i };
    for (let k = 1; k <= need; k++) {
      if (i + k >= n) return { complete: i };
      const d = b[i + k];
      const [min, max] = k === 1 ? [lo, hi] : [0x80, 0xbf];
      if (d < min || d > max) return { invalidAt: i, complete: i };
    }
    i += need + 1;
  }
  return { complete: n };
}
