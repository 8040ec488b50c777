import { promises as fs } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import type { DatasetError } from '../dataset/dataset.types';
import { countryCodeOf } from './country-names';
import type { ListAlias, ListEntry, ListRead } from './list-entry';

/**
 * OFAC's SDN list in its legacy CSV form, read exactly as Treasury publishes it (LISTS.md): `sdn.csv` without a
 * header (ent_num, SDN_Name, SDN_Type, Program, Title, Call_Sign, Vess_type, Tonnage, GRT, Vess_flag, Vess_owner,
 * Remarks), `-0-` for an empty cell, several programs in one cell as `NPWMD] [DPRK2`, aliases inside the remarks as
 * `a.k.a. '…'`, links as `Linked To: …`, and a DOS end-of-file byte (0x1A) after the last line; `alt.csv` (aliases)
 * and `add.csv` (addresses, for countries) beside it when present. Every error of every file is reported; a file
 * with any error is refused whole.
 */

const SDN_COLUMNS = 12;
const ALT_COLUMNS = 5;
const ADD_COLUMNS = 6;
const SDN_TYPES: Record<string, ListEntry['type']> = { '': 'entity', individual: 'individual', vessel: 'vessel', aircraft: 'aircraft' };
/** More errors than this in one read are summed up in one last message. */
const MAX_ERRORS = 100;

export interface OfacFiles {
  /** File name (for messages) and text of each file; alt and add are optional. */
  sdn: { name: string; text: string };
  alt?: { name: string; text: string };
  add?: { name: string; text: string };
}

/** `-0-` (with or without the trailing space OFAC writes) is an empty cell. */
function cell(v: string | undefined): string {
  const t = (v ?? '').trim();
  return t === '-0-' ? '' : t;
}

interface CsvRecord {
  line: number;
  fields: string[];
}

/** The records of one file with the line each starts on; the trailing 0x1A and a BOM are not content. */
function records(file: string, text: string, errors: DatasetError[]): CsvRecord[] {
  const body = text.replace(/^\uFEFF/, '').replace(/\x1A\s*$/, '');
  try {
    // lines counted here: a record starts one line after the previous one's last, quoted line breaks included
    const out: CsvRecord[] = [];
    let line = 1;
    for (const fields of parse(body, { relax_column_count: true, skip_empty_lines: false }) as string[][]) {
      const start = line;
      line += 1 + fields.reduce((n, f) => n + (f.match(/\r\n|\r|\n/g)?.length ?? 0), 0);
      if (!(fields.length === 1 && fields[0].trim() === '')) out.push({ fields, line: start });
    }
    return out;
  } catch (e) {
    const err = e as Error & { lines?: number; code?: string };
    errors.push({ file, line: err.lines ?? 1, column: 1, message: `malformed CSV (${err.code ?? 'parse error'}): ${err.message.replace(/^[^:]*: /, '')}` });
    return [];
  }
}

/** `NPWMD] [DPRK2` → NPWMD, DPRK2. */
export function splitPrograms(cellText: string): string[] {
  return cellText.split(/\]\s*\[/).map((p) => p.replace(/^\[|\]$/g, '').trim()).filter((p) => p !== '');
}

const ALIAS = /^([afn])\.k\.a\.,?\s*'(.*)'\.?$/s;
const LINKED = /^Linked To:\s*(.+?)\.?$/s;
const NATIONALITY = /^(?:nationality|citizen)\s+(.+?)\.?$/is;

/** What the remarks say that matching needs: aliases, links and nationalities; items are separated by `;`. */
export function parseRemarks(remarks: string): { aliases: ListAlias[]; linkedTo: string[]; countries: string[] } {
  const aliases: ListAlias[] = [];
  const linkedTo: string[] = [];
  const countries: string[] = [];
  for (const raw of remarks.split(/;\s+/)) {
    const item = raw.trim();
    const alias = ALIAS.exec(item);
    if (alias) {
      aliases.push({ name: alias[2].trim(), kind: `${alias[1]}ka` as ListAlias['kind'] });
      continue;
    }
    const linked = LINKED.exec(item);
    if (linked) {
      linkedTo.push(linked[1].trim());
      continue;
    }
    const nationality = NATIONALITY.exec(item);
    const code = nationality ? countryCodeOf(nationality[1]) : null;
    if (code) countries.push(code);
  }
  return { aliases, linkedTo, countries };
}

export function readOfacSdn(files: OfacFiles): ListRead {
  const errors: DatasetError[] = [];
  const entries = new Map<string, ListEntry>();
  const sdnFile = files.sdn.name;

  for (const { line, fields } of records(sdnFile, files.sdn.text, errors)) {
    const at = (column: number, message: string) => errors.push({ file: sdnFile, line, column, message });
    if (fields.length !== SDN_COLUMNS) {
      at(1, `a record of sdn.csv has ${SDN_COLUMNS} cells (ent_num … Remarks); this one has ${fields.length}`);
      continue;
    }
    const entryId = cell(fields[0]);
    if (!/^[1-9]\d*$/.test(entryId)) {
      at(1, `ent_num must be a positive whole number, not "${fields[0]}"`);
      continue;
    }
    if (entries.has(entryId)) {
      at(1, `ent_num ${entryId} appears twice (first at line ${entries.get(entryId)!.line})`);
      continue;
    }
    const name = cell(fields[1]);
    if (name === '') at(2, `entry ${entryId} has no SDN_Name`);
    const type = SDN_TYPES[cell(fields[2]).toLowerCase()];
    if (type === undefined) at(3, `entry ${entryId}: SDN_Type "${cell(fields[2])}" is none of individual, vessel, aircraft or -0- (an entity)`);
    if (name === '' || type === undefined) continue;
    const programs = splitPrograms(cell(fields[3]));
    const remarks = cell(fields[11]);
    const said = parseRemarks(remarks);
    const flag = countryCodeOf(cell(fields[9]));
    entries.set(entryId, {
      entryId, name, type, programs, aliases: said.aliases,
      countries: unique([...said.countries, ...(flag ? [flag] : [])]),
      dprk: programs.some((p) => p.startsWith('DPRK')),
      linkedTo: said.linkedTo, remarks: remarks === '' ? null : remarks, file: sdnFile, line,
    });
  }

  if (files.alt) {
    for (const { line, fields } of records(files.alt.name, files.alt.text, errors)) {
      const at = (column: number, message: string) => errors.push({ file: files.alt!.name, line, column, message });
      if (fields.length !== ALT_COLUMNS) {
        at(1, `a record of alt.csv has ${ALT_COLUMNS} cells (ent_num, alt_num, alt_type, alt_name, alt_remarks); this one has ${fields.length}`);
        continue;
      }
      const entry = entries.get(cell(fields[0]));
      if (!entry) {
        at(1, `ent_num "${cell(fields[0])}" is not an entry of ${sdnFile}`);
        continue;
      }
      const kind = cell(fields[2]).toLowerCase().replace(/\./g, '');
      const name = cell(fields[3]);
      if (kind !== 'aka' && kind !== 'fka' && kind !== 'nka') at(3, `alt_type "${cell(fields[2])}" is none of aka, fka, nka`);
      else if (name === '') at(4, 'alt_name is empty');
      else if (!entry.aliases.some((a) => a.name === name)) entry.aliases.push({ name, kind, ...(/\bweak\b/i.test(cell(fields[4])) ? { weak: true } : {}) });
    }
  }

  if (files.add) {
    for (const { line, fields } of records(files.add.name, files.add.text, errors)) {
      const at = (column: number, message: string) => errors.push({ file: files.add!.name, line, column, message });
      if (fields.length !== ADD_COLUMNS) {
        at(1, `a record of add.csv has ${ADD_COLUMNS} cells (ent_num, add_num, address, city, country, add_remarks); this one has ${fields.length}`);
        continue;
      }
      const entry = entries.get(cell(fields[0]));
      if (!entry) {
        at(1, `ent_num "${cell(fields[0])}" is not an entry of ${sdnFile}`);
        continue;
      }
      const code = countryCodeOf(cell(fields[4]));
      if (code && !entry.countries.includes(code)) entry.countries.push(code);
    }
  }

  if (errors.length > 0) {
    const shown = errors.slice(0, MAX_ERRORS);
    if (errors.length > MAX_ERRORS) shown.push({ ...errors[MAX_ERRORS], message: `and ${errors.length - MAX_ERRORS} more errors` });
    return { ok: false, errors: shown };
  }
  if (entries.size === 0) return { ok: false, errors: [{ file: sdnFile, line: 1, column: 1, message: 'the file has no entries' }] };
  return { ok: true, entries: [...entries.values()], label: null };
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}

/** Reads sdn.csv (and alt.csv, add.csv when present) from a directory; names match whatever their case. */
export async function readOfacSdnDir(dir: string): Promise<ListRead> {
  let names: string[];
  try {
    names = await fs.readdir(dir);
  } catch (e) {
    return { ok: false, errors: [{ file: dir, line: 1, column: 1, message: `cannot read the directory (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})` }] };
  }
  const find = (want: string) => names.find((n) => n.toLowerCase() === want);
  const load = async (want: string) => {
    const name = find(want);
    return name === undefined ? undefined : { name, text: await fs.readFile(path.join(dir, name), 'latin1') };
  };
  const sdn = await load('sdn.csv');
  if (!sdn) return { ok: false, errors: [{ file: path.join(dir, 'sdn.csv'), line: 1, column: 1, message: 'no sdn.csv in the directory (OFAC\'s legacy CSV: sdn.csv, and alt.csv, add.csv when present)' }] };
  return readOfacSdn({ sdn, alt: await load('alt.csv'), add: await load('add.csv') });
}
