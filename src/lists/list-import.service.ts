import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Neo4jClient } from '../db/neo4j-client';
import type { DatasetError } from '../dataset/dataset.types';
import { readFtmFile } from './ftm.reader';
import type { ListFormat } from './list-entry';
import { importListVersion, matchList, type ListImportResult, type MatchRun } from './list.store';
import { readOfacSdnDir } from './ofac-sdn.reader';

/** The list a format's versions belong to unless named otherwise. */
export const DEFAULT_LIST_NAME: Record<ListFormat, string> = { 'ofac-sdn': 'ofac-sdn', ftm: 'ftm' };

/** The files did not read: every error with its file:line. Nothing was written. */
export class ListFileError extends Error {
  constructor(readonly errors: DatasetError[]) {
    super(`${errors.length} error(s) in the list files`);
  }
}

/** A version label is needed and none can be found. */
export class ListLabelError extends Error {}

export interface ListImportRequest {
  format: ListFormat;
  /** ofac-sdn: the directory holding sdn.csv; ftm: the JSON-lines file. */
  source: string;
  /** --version; ofac-sdn defaults to the date in the directory's name, else sdn.csv's modification day. */
  label: string | null;
  list?: string;
  actor: string;
  threshold: number;
}

export interface ListImportOutcome {
  version: ListImportResult;
  /** The latest version of the list matched against the graph at once (LISTS.md, "Re-screening"). */
  matching: MatchRun;
  /** FtM: entities of other schemata skipped, by schema. */
  skipped: Record<string, number>;
}

/** OFAC publishes no date inside the CSV: a date in the directory's name (ofac-sdn-2021-09-17), else the file's day. */
async function ofacLabel(dir: string): Promise<string> {
  const named = /(\d{4}-\d{2}-\d{2})(?!.*\d{4}-\d{2}-\d{2})/.exec(path.basename(path.resolve(dir)));
  if (named) return named[1];
  const names = await fs.readdir(dir);
  const sdn = names.find((n) => n.toLowerCase() === 'sdn.csv');
  if (!sdn) throw new ListLabelError(`no sdn.csv in ${dir}`);
  return (await fs.stat(path.join(dir, sdn))).mtime.toISOString().slice(0, 10);
}

/**
 * `labortrace lists import`: reads the files whole (a bad file is refused with every error, nothing written),
 * stores the version (the same version again changes nothing), then matches the graph against the list's latest
 * version so that new candidates wait in the review queue at once.
 */
export async function importList(client: Neo4jClient, req: ListImportRequest): Promise<ListImportOutcome> {
  const read = req.format === 'ofac-sdn' ? await readOfacSdnDir(req.source) : await readFtmFile(req.source);
  if (!read.ok) throw new ListFileError(read.errors);
  const label = req.label ?? (req.format === 'ofac-sdn' ? await ofacLabel(req.source) : null);
  if (label === null) throw new ListLabelError('an FtM list needs --version LABEL (its files carry no version)');
  const list = req.list ?? DEFAULT_LIST_NAME[req.format];
  const at = new Date().toISOString();
  const version = await importListVersion(client, list, label, read.entries, req.actor, at);
  const matching = await matchList(client, list, req.threshold, at);
  if (!matching) throw new Error(`list ${list} has no version after importing one`);
  return { version, matching, skipped: 'skipped' in read ? (read.skipped as Record<string, number>) : {} };
}
