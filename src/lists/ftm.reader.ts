import { readFile } from 'node:fs/promises';
import type { Schema } from '@alephdata/followthemoney';
import { COUNTRY_CODES } from '../dataset/countries';
import type { DatasetError } from '../dataset/dataset.types';
import { DPRK } from '../model/graph-model';
import { ftmSchema } from '../ftm/ftm.model';
import type { ListAlias, ListEntry, ListRead } from './list-entry';

/**
 * FollowTheMoney entities as JSON lines (OpenSanctions' `entities.ftm.json`, Aleph's and `ftm`'s exports) read as
 * list entries (docs/ftm.md, "Reading an FtM list"). Legal entities — LegalEntity and every schema descending from
 * it: Company, Organization, PublicBody, Person — are entries; the other schemata such exports carry (Sanction,
 * Address, Ownership, Vessel…) are counted and skipped. The file is checked against the published FtM model, and
 * a bad file is refused whole: every error with its file:line.
 */

/** A read FtM file: ListRead, plus, when it was read, how many entities of each other schema it skipped. */
export type FtmListRead =
  | (Extract<ListRead, { ok: true }> & { skipped: Record<string, number> })
  | Extract<ListRead, { ok: false }>;

const MAX_ERRORS = 100;
const LEGAL_ENTITY = 'LegalEntity';

/** The country-typed properties that say where an entry belongs (not birthCountry, not an address). */
const COUNTRY_PROPERTIES = ['country', 'nationality', 'citizenship', 'jurisdiction', 'mainCountry'];

/**
 * Program ids naming the DPRK, as OpenSanctions writes them (`<authority>-<regime>`): a segment KP, PRK, NK, DPRK or
 * DPRK<n> (AU-DPRK, GB-DPRK, EU-PRK, US-NK, OFAC's DPRK3), or the UN Security Council's resolution-1718 regime
 * (UN-SC1718), which is the DPRK's.
 */
export function programIdNamesDprk(programId: string): boolean {
  return programId.toUpperCase().split(/[-_.\s/]+/).some((s) => /^(KP|PRK|NK|DPRK\d*|(UN)?SC1718)$/.test(s));
}

/** Free-text program names naming the DPRK: "DPRK3", "North Korea Sanctions Regulations", "PRK - 2022/2429". */
export function programTextNamesDprk(program: string): boolean {
  return /\b(DPRK\d*|PRK|North Korea|Korea,\s*North|Democratic People'?s Republic of Korea)\b/i.test(program);
}

type Properties = Record<string, string[]>;

const values = (props: Properties, name: string): string[] => props[name] ?? [];

/** ISO 3166-1 alpha-2, upper case, in order of appearance; FtM's non-ISO codes ("suhh", "zz", "eu") are dropped. */
function countriesOf(props: Properties): string[] {
  const codes = COUNTRY_PROPERTIES.flatMap((p) => values(props, p)).map((c) => c.trim().toUpperCase());
  return [...new Set(codes.filter((c) => COUNTRY_CODES.has(c)))];
}

function aliasesOf(props: Properties, name: string): ListAlias[] {
  const aliases: ListAlias[] = [
    ...values(props, 'name').slice(1).map((n): ListAlias => ({ name: n, kind: 'aka' })),
    ...values(props, 'alias').map((n): ListAlias => ({ name: n, kind: 'aka' })),
    ...values(props, 'previousName').map((n): ListAlias => ({ name: n, kind: 'fka' })),
    ...values(props, 'weakAlias').map((n): ListAlias => ({ name: n, kind: 'aka', weak: true })),
  ];
  const seen = new Set<string>();
  return aliases.filter((a) => {
    const key = `${a.kind}|${a.weak === true}|${a.name}`;
    if (a.name === name || seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function entryOf(id: string, schema: Schema, props: Properties, file: string, line: number): ListEntry {
  const name = values(props, 'name')[0];
  const programIds = values(props, 'programId');
  const programTexts = values(props, 'program');
  const countries = countriesOf(props);
  const notes = values(props, 'notes');
  return {
    entryId: id,
    name,
    aliases: aliasesOf(props, name),
    type: schema.isA('Person') ? 'individual' : 'entity',
    programs: [...new Set([...programIds, ...programTexts])],
    countries,
    dprk: countries.includes(DPRK) || programIds.some(programIdNamesDprk) || programTexts.some(programTextNamesDprk),
    linkedTo: [],
    remarks: notes.length > 0 ? notes.join('\n') : null,
    file,
    line,
  };
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Reads FtM JSON lines; `file` names the file in messages. Pure: the caller reads the file. */
export function readFtmLines(text: string, file: string): FtmListRead {
  const errors: DatasetError[] = [];
  const entries: ListEntry[] = [];
  const skipped: Record<string, number> = {};
  const firstLineOf = new Map<string, number>();
  const lines = text.replace(/^\uFEFF/, '').split('\n');
  lines.forEach((raw, index) => {
    const line = index + 1;
    const at = (message: string) => errors.push({ file, line, column: 1, message });
    const json = raw.replace(/\r$/, '');
    if (json.trim() === '') return;
    let entity: unknown;
    try {
      entity = JSON.parse(json);
    } catch (e) {
      at(`invalid JSON: ${(e as Error).message}`);
      return;
    }
    if (!isObject(entity)) return void at('not an FtM entity: expected a JSON object {"id", "schema", "properties"}');
    const { id, schema: schemaName, properties } = entity;
    if (typeof id !== 'string' || id.trim() === '') return void at('missing id');
    if (typeof schemaName !== 'string' || schemaName === '') return void at(`${id}: missing schema`);
    const schema = ftmSchema(schemaName);
    if (!schema) return void at(`${id}: unknown schema '${schemaName}' (not in the FollowTheMoney model)`);
    // Only what is read is checked in depth: a Sanction or Address a newer FtM version extended must not refuse the list.
    if (!schema.isA(LEGAL_ENTITY)) {
      skipped[schemaName] = (skipped[schemaName] ?? 0) + 1;
      return;
    }
    const first = firstLineOf.get(id);
    if (first !== undefined) return void at(`${id}: entity id already used on line ${first}`);
    firstLineOf.set(id, line);
    if (properties !== undefined && !isObject(properties)) return void at(`${id}: properties must be a JSON object`);
    const props: Properties = {};
    let valid = true;
    for (const [name, vals] of Object.entries(properties ?? {})) {
      if (!schema.hasProperty(name)) {
        at(`${id}: ${schemaName} has no property '${name}'`);
        valid = false;
      } else if (!Array.isArray(vals) || vals.some((v) => typeof v !== 'string')) {
        at(`${id}: property '${name}' must be a list of strings`);
        valid = false;
      } else {
        props[name] = (vals as string[]).filter((v) => v.trim() !== '');
      }
    }
    if (!valid) return;
    if (values(props, 'name').length === 0) return void at(`${id}: missing name`);
    entries.push(entryOf(id, schema, props, file, line));
  });
  if (errors.length > 0) {
    const shown = errors.slice(0, MAX_ERRORS);
    if (errors.length > MAX_ERRORS) shown.push({ ...errors[MAX_ERRORS], message: `and ${errors.length - MAX_ERRORS} more errors` });
    return { ok: false, errors: shown };
  }
  return { ok: true, entries, label: null, skipped };
}

/** Reads an FtM JSON lines file (UTF-8). */
export async function readFtmFile(path: string): Promise<FtmListRead> {
  return readFtmLines(await readFile(path, 'utf8'), path);
}
