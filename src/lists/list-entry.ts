import type { DatasetError } from '../dataset/dataset.types';

/** The lists labortrace reads (LISTS.md): OFAC's SDN list in its legacy CSV form, and FollowTheMoney JSON lines. */
export const LIST_FORMATS = ['ofac-sdn', 'ftm'] as const;
export type ListFormat = (typeof LIST_FORMATS)[number];

/** Another name of an entry: OFAC's remarks say "a.k.a.", "f.k.a." (formerly) or "n.k.a." (now known as). */
export interface ListAlias {
  name: string;
  kind: 'aka' | 'fka' | 'nka';
  /** OFAC alt.csv's "weak" aliases (alt_type "aka" with remarks "weak"); undefined when the list does not say. */
  weak?: boolean;
}

/** One entry of one list version, as its file states it; names are kept as published (matching normalizes them). */
export interface ListEntry {
  /** OFAC ent_num; an FtM entity's id. */
  entryId: string;
  /** The primary name (OFAC SDN_Name; FtM's first `name`). */
  name: string;
  aliases: ListAlias[];
  /** What the entry names: OFAC SDN_Type (empty for entities); FtM: Person is an individual, the rest entities. */
  type: 'entity' | 'individual' | 'vessel' | 'aircraft';
  /** OFAC programs ("NPWMD] [DPRK2" is two); FtM `program`/`programId`. */
  programs: string[];
  /** ISO 3166-1 alpha-2, upper case, as the graph writes countries; empty when the list gives none. */
  countries: string[];
  /** Under a DPRK program (OFAC programs beginning with DPRK; FtM: country kp or a sanction program naming the DPRK). */
  dprk: boolean;
  /** Other entries' names this one is linked to (OFAC remarks "Linked To: …"). */
  linkedTo: string[];
  remarks: string | null;
  /** Where the entry is in its file (the line its record starts on). */
  file: string;
  line: number;
}

/** A list file read whole: every entry, or every error found (file:line:column), never some of each. */
export type ListRead =
  | { ok: true; entries: ListEntry[]; /** The version label the files carry, if any (OFAC: none in the CSV). */ label: string | null }
  | { ok: false; errors: DatasetError[] };
