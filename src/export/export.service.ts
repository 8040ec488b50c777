import { createWriteStream, promises as fs, type WriteStream } from 'node:fs';
import path from 'node:path';
import { stringify, type Stringifier } from 'csv-stringify';
import { isDate, isDateTime } from 'neo4j-driver';
import type { Neo4jClient } from '../db/neo4j-client';
import {
  EXTRA_COLUMN_PREFIX, FILE_SPECS, NODE_FILES, NUMERIC_COLUMN_TYPES, RELATIONSHIP_FILES, dateTextProperty, type FileSpec,
} from '../dataset/dataset.spec';
import { neutralizeFormula } from '../dataset/values';
import { kindOfLabels, relationshipId, type NodeKind, type RelType } from '../model/graph-model';

export interface ExportSummary {
  files: Record<string, number>;
  /** .csv files already in the directory that are not dataset files (import would refuse them) */
  otherCsvFiles: string[];
}

export interface ExportOptions {
  /** write into a directory that is not empty (dataset files in it are overwritten) */
  force?: boolean;
}

/** The target cannot be written: it is not a directory, or not empty without `force`. Nothing was written. */
export class ExportTargetError extends Error {}

type Props = Record<string, unknown>;

function cell(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (Array.isArray(v)) return v.join(';');
  if (isDate(v as object) || isDateTime(v as object)) return String(v);
  return String(v);
}

class CsvFile {
  rows = 0;
  private readonly out: Stringifier;
  private readonly done: Promise<void>;

  constructor(file: string, readonly columns: string[], private readonly numeric: ReadonlySet<string>) {
    this.out = stringify({ header: true, columns, record_delimiter: '\n' });
    const sink: WriteStream = createWriteStream(file);
    this.out.pipe(sink);
    this.done = new Promise((resolve, reject) => {
      sink.on('finish', () => resolve());
      sink.on('error', reject);
    });
  }

  /** Writes a row; every cell but the numeric columns' is neutralized against spreadsheet formulas. */
  async write(record: Record<string, string>): Promise<void> {
    for (const c of this.columns) if (!this.numeric.has(c)) record[c] = neutralizeFormula(record[c]);
    this.rows++;
    if (!this.out.write(record)) await new Promise((r) => this.out.once('drain', r));
  }

  end(): Promise<void> {
    this.out.end();
    return this.done;
  }
}

const baseColumns = (spec: FileSpec) => spec.columns.map((c) => c.name);
const numericColumns = (spec: FileSpec) => new Set(spec.columns.filter((c) => NUMERIC_COLUMN_TYPES.has(c.type)).map((c) => c.name));
const extraColumns = (rows: Iterable<Props>) => {
  const names = new Set<string>();
  for (const p of rows) for (const k of Object.keys(p)) if (k.startsWith(EXTRA_COLUMN_PREFIX)) names.add(k);
  return [...names].sort();
};

/** Node-file columns that stand for a relationship (factories.operator_id -> OPERATES, shipments.item_id -> SHIPMENT_OF). */
const LINKS = new Map(NODE_FILES.flatMap((f) => (f.links ?? []).map((l) => [l.type, l] as const)));

/** A date cell: the text as it was given when it was partial, else the stored day. */
const dateCell = (p: Props, column: string) => cell(p[dateTextProperty(column)] ?? p[column]);

/**
 * Writes the whole graph as a dataset directory (DATA-FORMAT.md). Relationships are streamed straight to their
 * files; nodes are gathered first because node files carry some relationships as columns (factories.operator_id,
 * shipments.item_id and importer_id). Every relationship file gets its `id` column; partial dates are written as given.
 */
export async function exportDataset(client: Neo4jClient, dir: string, options: ExportOptions = {}): Promise<ExportSummary> {
  const otherCsvFiles = await prepareTarget(dir, options.force ?? false);
  const nodes = new Map<NodeKind, Props[]>();
  /** per link column name of a node file: node id -> the id at the other end */
  const linked = new Map<string, Map<string, string>>();
  const relFiles = new Map<RelType, { spec: (typeof RELATIONSHIP_FILES)[number]; rows: Props[] }>();
  for (const spec of RELATIONSHIP_FILES) relFiles.set(spec.type, { spec, rows: [] });

  await client.readTx(async (tx) => {
    for await (const r of tx.stream<{ labels: string[]; props: Props }>('export/nodes')) {
      const kind = kindOfLabels(r.labels);
      (nodes.get(kind) ?? nodes.set(kind, []).get(kind)!).push(r.props);
    }
    for await (const r of tx.stream<{ type: RelType; source: string; target: string; props: Props }>('export/relationships')) {
      const link = LINKS.get(r.type);
      if (link) {
        const [self, other] = link.direction === 'out' ? [r.source, r.target] : [r.target, r.source];
        (linked.get(link.column) ?? linked.set(link.column, new Map()).get(link.column)!).set(self, other);
      } else {
        relFiles.get(r.type)?.rows.push({ ...r.props, __source: r.source, __target: r.target });
      }
    }
  });

  const files: Record<string, number> = {};
  for (const spec of NODE_FILES) {
    const rows = nodes.get(spec.kind) ?? [];
    const csv = new CsvFile(path.join(dir, spec.file), [...baseColumns(spec), ...extraColumns(rows)], numericColumns(spec));
    const types = new Map(spec.columns.map((c) => [c.name, c.type]));
    const links = new Set((spec.links ?? []).map((l) => l.column));
    for (const p of rows) {
      const record: Record<string, string> = {};
      for (const c of csv.columns) {
        if (links.has(c)) record[c] = cell(linked.get(c)?.get(p.id as string));
        else if (types.get(c) === 'date') record[c] = dateCell(p, c);
        else record[c] = cell(p[c]);
      }
      await csv.write(record);
    }
    await csv.end();
    files[spec.file] = csv.rows;
  }
  for (const { spec, rows } of relFiles.values()) {
    const csv = new CsvFile(path.join(dir, spec.file), [...baseColumns(spec), ...extraColumns(rows)], numericColumns(spec));
    for (const p of rows) {
      const record: Record<string, string> = {};
      for (const c of csv.columns) {
        if (c === spec.sourceColumn) record[c] = cell(p.__source);
        else if (c === spec.targetColumn) record[c] = cell(p.__target);
        else if (c === spec.placementColumn) record[c] = cell(p.placement);
        else if (c === 'id') record[c] = cell(p.id ?? relationshipId(p.key as string));
        else if (c === 'rebuttal') record[c] = cell(p.rebuttals);
        else if (c === 'from' || c === 'to') record[c] = dateCell(p, c);
        else record[c] = cell(p[c]);
      }
      await csv.write(record);
    }
    await csv.end();
    files[spec.file] = csv.rows;
  }
  return { files, otherCsvFiles };
}

/**
 * Creates the target directory, or checks that it may be written: an existing directory must be empty unless
 * `force` (an export must not mix its files into another dataset or a home directory by a slip of the path).
 */
async function prepareTarget(dir: string, force: boolean): Promise<string[]> {
  const stat = await fs.stat(dir).catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') return null;
    throw new ExportTargetError(`${dir}: cannot be used (${e.code ?? e.message}); nothing was exported`);
  });
  if (stat === null) {
    await fs.mkdir(dir, { recursive: true }).catch((e: NodeJS.ErrnoException) => {
      throw new ExportTargetError(`${dir}: cannot be created (${e.code ?? e.message}); nothing was exported`);
    });
    return [];
  }
  if (!stat.isDirectory()) throw new ExportTargetError(`${dir}: exists and is not a directory; nothing was exported`);
  const entries = await fs.readdir(dir);
  if (entries.length > 0 && !force) {
    throw new ExportTargetError(`${dir}: the directory is not empty (${entries.length} entries); choose an empty or new directory, or add --force to overwrite the dataset files in it; nothing was exported`);
  }
  const datasetFiles = new Set(FILE_SPECS.map((s) => s.file));
  return entries.filter((f) => f.toLowerCase().endsWith('.csv') && !datasetFiles.has(f)).sort();
}
