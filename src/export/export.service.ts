import { createWriteStream, promises as fs, type WriteStream } from 'node:fs';
import path from 'node:path';
import { stringify, type Stringifier } from 'csv-stringify';
import { isDate, isDateTime } from 'neo4j-driver';
import type { Neo4jClient } from '../db/neo4j-client';
import { EXTRA_COLUMN_PREFIX, NODE_FILES, RELATIONSHIP_FILES, type FileSpec } from '../dataset/dataset.spec';
import { kindOfLabels, type NodeKind, type RelType } from '../model/graph-model';

export interface ExportSummary {
  files: Record<string, number>;
}

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

  constructor(file: string, readonly columns: string[]) {
    this.out = stringify({ header: true, columns, record_delimiter: '\n' });
    const sink: WriteStream = createWriteStream(file);
    this.out.pipe(sink);
    this.done = new Promise((resolve, reject) => {
      sink.on('finish', () => resolve());
      sink.on('error', reject);
    });
  }

  async write(record: Record<string, string>): Promise<void> {
    this.rows++;
    if (!this.out.write(record)) await new Promise((r) => this.out.once('drain', r));
  }

  end(): Promise<void> {
    this.out.end();
    return this.done;
  }
}

const baseColumns = (spec: FileSpec) => spec.columns.map((c) => c.name);
const extraColumns = (rows: Iterable<Props>) => {
  const names = new Set<string>();
  for (const p of rows) for (const k of Object.keys(p)) if (k.startsWith(EXTRA_COLUMN_PREFIX)) names.add(k);
  return [...names].sort();
};

/**
 * Writes the whole graph as a dataset directory (DATA-FORMAT.md). Relationships are streamed straight to their
 * files; nodes are gathered first because factories.csv carries the OPERATES relationship as operator_id.
 */
export async function exportDataset(client: Neo4jClient, dir: string): Promise<ExportSummary> {
  await fs.mkdir(dir, { recursive: true });
  const nodes = new Map<NodeKind, Props[]>();
  const operatorOf = new Map<string, string>();
  const relFiles = new Map<RelType, { spec: (typeof RELATIONSHIP_FILES)[number]; rows: Props[] }>();
  for (const spec of RELATIONSHIP_FILES) relFiles.set(spec.type, { spec, rows: [] });

  await client.readTx(async (tx) => {
    for await (const r of tx.stream<{ labels: string[]; props: Props }>('export/nodes')) {
      const kind = kindOfLabels(r.labels);
      (nodes.get(kind) ?? nodes.set(kind, []).get(kind)!).push(r.props);
    }
    for await (const r of tx.stream<{ type: RelType; source: string; target: string; props: Props }>('export/relationships')) {
      if (r.type === 'OPERATES') operatorOf.set(r.target, r.source);
      else relFiles.get(r.type)?.rows.push({ ...r.props, __source: r.source, __target: r.target });
    }
  });

  const files: Record<string, number> = {};
  for (const spec of NODE_FILES) {
    const rows = nodes.get(spec.kind) ?? [];
    const csv = new CsvFile(path.join(dir, spec.file), [...baseColumns(spec), ...extraColumns(rows)]);
    for (const p of rows) {
      const record: Record<string, string> = {};
      for (const c of csv.columns) record[c] = cell(c === 'operator_id' ? operatorOf.get(p.id as string) : p[c]);
      await csv.write(record);
    }
    await csv.end();
    files[spec.file] = csv.rows;
  }
  for (const { spec, rows } of relFiles.values()) {
    const csv = new CsvFile(path.join(dir, spec.file), [...baseColumns(spec), ...extraColumns(rows)]);
    for (const p of rows) {
      const record: Record<string, string> = {};
      for (const c of csv.columns) {
        record[c] = cell(c === spec.sourceColumn ? p.__source : c === spec.targetColumn ? p.__target : c === 'rebuttal' ? p.rebuttals : p[c]);
      }
      await csv.write(record);
    }
    await csv.end();
    files[spec.file] = csv.rows;
  }
  return { files };
}
