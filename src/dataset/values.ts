import { COUNTRY_CODES } from './countries';

/** Parsers for single CSV cell values. Each returns the normalized value or throws a ValueError with a message. */
export class ValueError extends Error {}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A calendar day "YYYY-MM-DD" (the API's Date scalar; dataset cells use parseDatasetDate). */
export function parseDate(raw: string): string {
  const m = ISO_DATE.exec(raw);
  if (!m) throw new ValueError(`${shown(raw)} is not a date (expected YYYY-MM-DD)`);
  checkDay(raw, Number(m[1]), Number(m[2]), Number(m[3]));
  return raw;
}

/** Days in a month of the proleptic Gregorian calendar (Neo4j's), for any year 0000..9999. */
function daysInMonth(y: number, mo: number): number {
  if (mo === 2) return y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : 28;
  return [4, 6, 9, 11].includes(mo) ? 30 : 31;
}

function checkDay(raw: string, y: number, mo: number, d: number): void {
  if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo)) throw new ValueError(`${shown(raw)} is not a calendar date`);
}

/** A dataset date as given, and the calendar days it stands for. */
export interface DatasetDate {
  /** the cell's text, trimmed: "2023-05-17", "2023-05" or "2023" */
  text: string;
  /** true for "YYYY-MM" and "YYYY" */
  partial: boolean;
  /** the first day it covers (a partial `from`) */
  first: string;
  /** the last day it covers (a partial `to`) */
  last: string;
}

const DATASET_DATE = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/;

/**
 * A dataset date (DATA-FORMAT.md): a calendar day `YYYY-MM-DD`, or a partial date `YYYY-MM` or `YYYY` that
 * covers a month or a year. Which of its days a column means (the first for `from`, the last for `to`) is the
 * column's choice (ColumnSpec.bound).
 */
export function parseDatasetDate(raw: string): DatasetDate {
  const m = DATASET_DATE.exec(raw);
  if (!m) throw new ValueError(`${shown(raw)} is not a date (expected YYYY-MM-DD, YYYY-MM or YYYY)`);
  const y = Number(m[1]);
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  if (m[3] !== undefined) {
    checkDay(raw, y, Number(m[2]), Number(m[3]));
    return { text: raw, partial: false, first: raw, last: raw };
  }
  if (m[2] !== undefined) {
    const mo = Number(m[2]);
    if (mo < 1 || mo > 12) throw new ValueError(`${shown(raw)} is not a month (expected YYYY-MM with MM 01..12)`);
    const lastDay = daysInMonth(y, mo);
    return { text: raw, partial: true, first: `${m[1]}-${pad(mo)}-01`, last: `${m[1]}-${pad(mo)}-${pad(lastDay)}` };
  }
  return { text: raw, partial: true, first: `${m[1]}-01-01`, last: `${m[1]}-12-31` };
}

const TRUE = new Set(['true', 'yes', '1']);
const FALSE = new Set(['false', 'no', '0', '']);

export function parseBoolean(raw: string): boolean {
  const v = raw.toLowerCase();
  if (TRUE.has(v)) return true;
  if (FALSE.has(v)) return false;
  throw new ValueError(`${shown(raw)} is not a boolean (true/false/yes/no/1/0 or empty)`);
}

export function parseCountry(raw: string): string {
  const v = raw.toUpperCase();
  if (!COUNTRY_CODES.has(v)) throw new ValueError(`${shown(raw)} is not an ISO 3166-1 alpha-2 country code`);
  return v;
}

/** A plain decimal number: optional sign, digits with an optional fraction, optional exponent (`-12.5`, `1e-7`). */
const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * A plain decimal number. Not whatever JavaScript's Number() accepts: `0x10`, `0b1`, `0o7` and `Infinity` are
 * refused, not read as 16, 1, 7 or infinity.
 */
export function parseNumber(raw: string, min?: number, max?: number): number {
  const v = DECIMAL.test(raw) ? Number(raw) : NaN;
  if (!Number.isFinite(v)) throw new ValueError(`${shown(raw)} is not a number (expected a decimal number such as 12.5 or -3)`);
  if ((min !== undefined && v < min) || (max !== undefined && v > max)) {
    throw new ValueError(`${shown(raw).slice(1, -1)} is outside ${min ?? '-∞'}..${max ?? '∞'}`);
  }
  return v;
}

export function parsePositiveInteger(raw: string): number {
  const v = Number(raw);
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(v) || v < 1) throw new ValueError(`${shown(raw)} is not a positive whole number`);
  return v;
}

/** `;`-separated id lists (evidence, rebuttal); empty entries are ignored. */
export function parseIdList(raw: string): string[] {
  return [...new Set(raw.split(';').map((s) => s.trim()).filter((s) => s !== ''))];
}

/**
 * Spreadsheet formula neutralization (docs/data-format.md, "Spreadsheet formulas"). A spreadsheet evaluates a cell
 * that begins with `=`, `+`, `-` or `@` (and some also one that begins with a tab or a carriage return) as a
 * formula, so `export` writes such a text cell with a leading apostrophe, and `import` removes it again.
 *
 * The rule, exactly reversible for every string: let a cell be k ≥ 0 apostrophes followed by the rest. When the
 * rest begins with a formula character, export writes one more apostrophe in front (k + 1), and import removes one
 * apostrophe from a cell of that shape with k ≥ 1. Every other cell is written and read as it is. So a text that
 * itself begins with `'=` is written `''=` and read back as `'=`; an exported cell never begins with a formula
 * character.
 */
export const FORMULA_CHARACTERS: ReadonlySet<string> = new Set(['=', '+', '-', '@', '\t', '\r']);

/** The number of leading apostrophes of s, when they are followed by a formula character; else -1. */
function formulaApostrophes(s: string): number {
  let k = 0;
  while (s.charCodeAt(k) === 39 /* ' */) k++;
  return k < s.length && FORMULA_CHARACTERS.has(s[k]) ? k : -1;
}

/** The cell export writes for a text value. */
export function neutralizeFormula(text: string): string {
  return formulaApostrophes(text) >= 0 ? `'${text}` : text;
}

/** The text value import reads from a cell: neutralizeFormula reversed. */
export function restoreFormula(cell: string): string {
  return formulaApostrophes(cell) >= 1 ? cell.slice(1) : cell;
}

/** A cell value as it is shown inside an error message: quoted, and shortened when long. */
export function shown(raw: string, max = 40): string {
  const chars = [...raw];
  const text = chars.length > max ? `${chars.slice(0, max).join('')}…` : raw;
  return `'${text.replace(/[\u0000-\u001f\u007f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)}'`;
}
