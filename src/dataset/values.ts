import { COUNTRY_CODES } from './countries';

/** Parsers for single CSV cell values. Each returns the normalized value or throws a ValueError with a message. */
export class ValueError extends Error {}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function parseDate(raw: string): string {
  const m = ISO_DATE.exec(raw);
  if (!m) throw new ValueError(`'${raw}' is not a date (expected YYYY-MM-DD)`);
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const probe = new Date(Date.UTC(y, mo - 1, d));
  if (probe.getUTCFullYear() !== y || probe.getUTCMonth() !== mo - 1 || probe.getUTCDate() !== d) {
    throw new ValueError(`'${raw}' is not a calendar date`);
  }
  return raw;
}

const TRUE = new Set(['true', 'yes', '1']);
const FALSE = new Set(['false', 'no', '0', '']);

export function parseBoolean(raw: string): boolean {
  const v = raw.toLowerCase();
  if (TRUE.has(v)) return true;
  if (FALSE.has(v)) return false;
  throw new ValueError(`'${raw}' is not a boolean (true/false/yes/no/1/0 or empty)`);
}

export function parseCountry(raw: string): string {
  const v = raw.toUpperCase();
  if (!COUNTRY_CODES.has(v)) throw new ValueError(`'${raw}' is not an ISO 3166-1 alpha-2 country code`);
  return v;
}

export function parseNumber(raw: string, min?: number, max?: number): number {
  const v = Number(raw);
  if (raw === '' || !Number.isFinite(v)) throw new ValueError(`'${raw}' is not a number`);
  if ((min !== undefined && v < min) || (max !== undefined && v > max)) {
    throw new ValueError(`${raw} is outside ${min ?? '-∞'}..${max ?? '∞'}`);
  }
  return v;
}

export function parsePositiveInteger(raw: string): number {
  const v = Number(raw);
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(v) || v < 1) throw new ValueError(`'${raw}' is not a positive whole number`);
  return v;
}

/** `;`-separated id lists (evidence, rebuttal); empty entries are ignored. */
export function parseIdList(raw: string): string[] {
  return [...new Set(raw.split(';').map((s) => s.trim()).filter((s) => s !== ''))];
}
