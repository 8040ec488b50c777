import { createWriteStream, promises as fs, type WriteStream } from 'node:fs';
import path from 'node:path';
import { stringify, type Stringifier } from 'csv-stringify';
import { isDate, isDateTime } from 'neo4j-driver';
import type { Neo4jClient } from '../db/neo4j-client';
import { EXTRA_COLUMN_PREFIX, NODE_FILES, RELATIONSHIP_FILES, dateTextProperty, type FileSpec } from '../dataset/dataset.spec';
import { kindOfLabels, relationshipId, type NodeKind, type RelType } from '../model/graph-model';

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

/** Node-file columns that stand for a relationship (factories.operator_id -> OPERATES, shipments.item_id -> SHIPMENT_OF). */
const LINKS = new Map(NODE_FILES.flatMap((f) => (f.links ?? []).map((l) => [l.type, l] as const)));

/** A date cell: the text as it was given when it was partial, else the stored day. */
const dateCell = (p: Props, column: string) => cell(p[dateTextProperty(column)] ?? p[column]);

/**
 * Writes the whole graph as a dataset directory (DATA-FORMAT.md). Relationships are streamed straight to their
 * files; nodes are gathered first because node files carry some relationships as columns (factories.operator_id,
 * shipments.item_id and importer_id). Every relationship file gets its `id` column; partial dates are written as given.
 */
export async function exportDataset(client: Neo4jClient, dir: string): Promise<ExportSummary> {
  await fs.mkdir(dir, { recursive: true });
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
    const csv = new CsvFile(path.join(dir, spec.file), [...baseColumns(spec), ...extraColumns(rows)]);
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
    const csv = new CsvFile(path.join(dir, spec.file), [...baseColumns(spec), ...extraColumns(rows)]);
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
  return { files };
}
