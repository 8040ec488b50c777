import { randomBytes } from 'node:crypto';
import { createWriteStream, promises as fs } from 'node:fs';
import path from 'node:path';
import type { Writable } from 'node:stream';
import type { Neo4jClient } from '../db/neo4j-client';
import type { FtmEntity } from '../ftm/ftm.model';
import { kindOfLabels, type RelType } from '../model/graph-model';
import { ExportTargetError } from './export.service';
import { graphToFtm, type GraphNodeRow, type GraphRelationshipRow } from './ftm.mapping';

/** File names an FtM export may take: FtM JSON lines are conventionally `.ftm.json` (or `.json`, `.jsonl`). */
export const FTM_FILE_PATTERN = /\.(json|jsonl)$/i;
/** The target that writes the entities to standard output. */
export const STDOUT_TARGET = '-';

export interface FtmExportSummary {
  entities: number;
  /** how many entities of each schema, in the order they first appear */
  bySchema: Record<string, number>;
}

/** Reads the whole graph in one read transaction, with the statements the CSV export uses. */
export async function readGraphRows(client: Neo4jClient): Promise<{ nodes: GraphNodeRow[]; relationships: GraphRelationshipRow[] }> {
  const nodes: GraphNodeRow[] = [];
  const relationships: GraphRelationshipRow[] = [];
  await client.readTx(async (tx) => {
    for await (const r of tx.stream<{ labels: string[]; props: Record<string, unknown> }>('export/nodes')) {
      nodes.push({ kind: kindOfLabels(r.labels), props: r.props });
    }
    for await (const r of tx.stream<GraphRelationshipRow & { type: RelType }>('export/relationships')) {
      relationships.push({ type: r.type, source: r.source, target: r.target, props: r.props });
    }
  });
  return { nodes, relationships };
}

/**
 * Writes the graph as FtM JSON lines to `target` (a file, or `-` for stdout). A file is written beside the target
 * and renamed onto it once complete, so a failed export never leaves half a file; an existing file is replaced only
 * with `force`.
 */
export async function exportFtm(client: Neo4jClient, target: string, options: { force?: boolean } = {}): Promise<FtmExportSummary> {
  if (target !== STDOUT_TARGET) await checkTarget(target, options.force ?? false);
  const { nodes, relationships } = await readGraphRows(client);
  const entities = graphToFtm(nodes, relationships);
  if (target === STDOUT_TARGET) {
    await writeLines(process.stdout, entities).catch((e: NodeJS.ErrnoException) => {
      throw new ExportTargetError(`standard output: cannot be written (${e.code ?? e.message}); the export is incomplete`);
    });
  } else {
    const temporary = path.join(path.dirname(target), `.${path.basename(target)}.${randomBytes(6).toString('hex')}.tmp`);
    try {
      const file = createWriteStream(temporary, { flags: 'wx' });
      const closed = new Promise<void>((resolve, reject) => {
        file.on('close', resolve);
        file.on('error', reject);
      });
      // writeLines reports a stream error itself; this promise must not be left rejected and unawaited meanwhile
      closed.catch(() => undefined);
      await writeLines(file, entities);
      file.end();
      await closed;
      await fs.rename(temporary, target);
    } catch (e) {
      await fs.rm(temporary, { force: true });
      throw e;
    }
  }
  const bySchema: Record<string, number> = {};
  for (const e of entities) bySchema[e.schema] = (bySchema[e.schema] ?? 0) + 1;
  return { entities: entities.length, bySchema };
}

/** Writes one JSON line per entity, waiting when the stream is full; a write error (EPIPE: a closed pipe) ends it. */
async function writeLines(out: Writable, entities: readonly FtmEntity[]): Promise<void> {
  let failure: Error | undefined;
  let wake: (() => void) | undefined;
  const onError = (e: Error) => {
    failure = e;
    wake?.();
  };
  out.on('error', onError);
  try {
    for (const e of entities) {
      if (failure) break;
      if (!out.write(`${JSON.stringify(e)}\n`)) {
        await new Promise<void>((resolve) => {
          wake = resolve;
          out.once('drain', resolve);
        }).finally(() => out.removeListener('drain', wake!));
      }
    }
  } finally {
    out.off('error', onError);
  }
  if (failure) throw failure;
}

/** The target must be a file name in an existing or creatable directory, and new unless `force`. */
async function checkTarget(target: string, force: boolean): Promise<void> {
  const stat = await fs.stat(target).catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') return null;
    throw new ExportTargetError(`${target}: cannot be used (${e.code ?? e.message}); nothing was exported`);
  });
  if (stat?.isDirectory()) throw new ExportTargetError(`${target}: is a directory; --format ftm writes one file; nothing was exported`);
  if (stat && !force) throw new ExportTargetError(`${target}: the file exists; choose a new file name, or add --force to overwrite it; nothing was exported`);
  await fs.mkdir(path.dirname(target), { recursive: true }).catch((e: NodeJS.ErrnoException) => {
    throw new ExportTargetError(`${path.dirname(target)}: cannot be created (${e.code ?? e.message}); nothing was exported`);
  });
}
