import type { Config } from '../config';
import { DatasetDirectoryError, readDataset } from '../dataset/dataset.reader';
import { formatError } from '../dataset/dataset.types';
import { ensureGraphSchema } from '../db/graph-schema';
import { connect } from '../db/neo4j-client';
import { ImportConflictError, defaultImportMeta, importDataset, type ImportSummary } from '../import/import.service';
import { BulkImportError, BulkNotApplicableError, bulkImportDataset, chooseImportPath } from '../import/bulk-import';
import type { ChangeSetMeta } from '../changes/change.types';
import { ImportInProgressError } from '../changes/staging';
import { graphHasEntities, stagedImportDataset, stagedMinRows } from '../import/staged-import';
import { CliError, EXIT_FAILURE, EXIT_OK, UsageError, parseCommand, type CommandSpec } from './args';

export const IMPORT_SPEC: CommandSpec = {
  name: 'import',
  synopsis: '[--replace] [--actor NAME] [--reason TEXT] [--bulk | --no-bulk] [--staged | --no-staged] <dir>',
  brief: 'validate and import a CSV dataset directory',
  summary: 'Validates a CSV dataset directory completely, then imports it in one transaction (an upsert by id), recorded as one change set.',
  details: [
    'Any invalid row: every problem as file:line:column: message on stderr, exit 1, and nothing is written. '
      + 'A directory without any .csv file is refused. The format: docs/data-format.md.',
    'Into an empty embedded Neo4j, a dataset of at least LABORTRACE_BULK_MIN_ROWS rows (200000) takes the bulk path: '
      + "Neo4j's parallel batch importer writes a new store, swapped in only once complete (Neo4j restarts once). "
      + 'README, "Bulk import".',
    'Into a non-empty graph, a dataset of at least LABORTRACE_STAGED_MIN_ROWS rows (200000) is staged: written in batches '
      + 'of their own transactions that no reader sees, then published by one small change set; other change sets wait '
      + 'meanwhile. README, "Staged import".',
  ],
  options: {
    actor: { type: 'string', description: 'who records this change set (default: the OS user)' },
    reason: { type: 'string', description: "why (default: 'import <dir>')" },
    replace: { type: 'boolean', description: 'the dataset becomes the whole graph: whatever is not in it is removed, in the same transaction (says on stderr how much will be removed)' },
    bulk: { type: 'boolean', description: 'take the bulk path whatever the size (the graph must be empty and Neo4j the embedded one)' },
    'no-bulk': { type: 'boolean', description: 'never take the bulk path: one write transaction' },
    staged: { type: 'boolean', description: 'stage the import in batches whatever the size (not with --replace)' },
    'no-staged': { type: 'boolean', description: 'never stage: one write transaction (its size is bounded by Neo4j\'s heap)' },
  },
  positionals: { names: ['dataset directory'], min: 1 },
};

/** Validates the whole directory first; writes nothing unless every row is valid. */
export async function importCommand(cfg: Config, args: string[]): Promise<number> {
  const parsed = parseCommand(IMPORT_SPEC, args);
  if (!parsed) return EXIT_OK;
  const dir = parsed.positionals[0];
  const meta = defaultImportMeta(dir);
  if (typeof parsed.values.actor === 'string') meta.actor = nonEmpty(parsed.values.actor, '--actor');
  if (typeof parsed.values.reason === 'string') meta.reason = nonEmpty(parsed.values.reason, '--reason');
  if (parsed.values.bulk && parsed.values['no-bulk']) throw new UsageError('--bulk and --no-bulk exclude each other', IMPORT_SPEC.name);
  const bulk = parsed.values.bulk ? true : parsed.values['no-bulk'] ? false : undefined;
  if (parsed.values.staged && parsed.values['no-staged']) throw new UsageError('--staged and --no-staged exclude each other', IMPORT_SPEC.name);
  if (parsed.values.staged && parsed.values.replace) throw new UsageError('--staged does not replace: --replace is one transaction', IMPORT_SPEC.name);
  const staged = parsed.values.staged ? true : parsed.values['no-staged'] ? false : undefined;
  const summary = await importDirectory(cfg, dir, parsed.values.replace === true, meta, bulk, staged);
  if (!summary) return EXIT_FAILURE;
  process.stdout.write(formatSummary(summary));
  return EXIT_OK;
}

function nonEmpty(value: string, option: string): string {
  if (value.trim() === '') throw new CliError(`${option} must not be empty`);
  return value.trim();
}

/** `bulk`: --bulk (true), --no-bulk (false), or neither (README, "Bulk import"); `staged` likewise. */
export async function importDirectory(
  cfg: Config, dir: string, replace = false, meta: ChangeSetMeta = defaultImportMeta(dir), bulk?: boolean, staged?: boolean,
): Promise<ImportSummary | null> {
  const started = Date.now();
  let result: Awaited<ReturnType<typeof readDataset>>;
  try {
    result = await readDataset(dir, (file, rows) => process.stderr.write(`labortrace: read ${file}: ${rows} rows\n`));
  } catch (e) {
    if (e instanceof DatasetDirectoryError) throw new CliError(`${e.message}; nothing was imported`);
    throw e;
  }
  if (!result.ok) {
    for (const e of result.errors) process.stderr.write(`${formatError(e)}\n`);
    const more = result.errorCount - result.errors.length;
    process.stderr.write(`labortrace: ${result.errorCount} error(s)${more > 0 ? ` (${more} not shown)` : ''}; nothing was imported\n`);
    return null;
  }
  let client = await connect(cfg);
  try {
    await ensureGraphSchema(client);
    const rows = result.dataset.nodes.length + result.dataset.relationships.length;
    let path: Awaited<ReturnType<typeof chooseImportPath>>;
    try {
      path = await chooseImportPath(cfg, client, rows, bulk);
    } catch (e) {
      if (e instanceof BulkImportError) throw new CliError(`${e.message}; nothing was imported`);
      throw e;
    }
    if (path.bulk) {
      // the bulk import restarts Neo4j: this client's connections would be cut under it
      await client.close();
      try {
        const summary = await bulkImportDataset(cfg, result.dataset, {
          meta, onProgress: (m) => process.stderr.write(`labortrace: ${m}\n`),
        });
        process.stderr.write(`labortrace: imported ${dir} in ${((Date.now() - started) / 1000).toFixed(1)}s (bulk path)\n`);
        return summary;
      } catch (e) {
        if (!(e instanceof BulkImportError)) throw e;
        if (bulk || !(e instanceof BulkNotApplicableError)) throw new CliError(`${e.message}; nothing was imported`);
        process.stderr.write(`labortrace: ${e.message}; importing in one transaction instead\n`);
      }
      client = await connect(cfg);
    }
    if (!replace && (staged ?? (rows >= stagedMinRows() && (await graphHasEntities(client))))) {
      const summary = await stagedImportDataset(client, result.dataset, {
        meta, onProgress: (m) => process.stderr.write(`labortrace: ${m}\n`),
      });
      process.stderr.write(`labortrace: imported ${dir} in ${((Date.now() - started) / 1000).toFixed(1)}s (staged)\n`);
      return summary;
    }
    if (replace) {
      const [size] = await client.read<{ nodes: number | bigint; relationships: number | bigint }>('admin/graph-size');
      const nodes = Number(size?.nodes ?? 0);
      const relationships = Number(size?.relationships ?? 0);
      process.stderr.write(`labortrace: --replace: the graph's ${nodes} node(s) and ${relationships} relationship(s) will be removed `
        + `and replaced by the dataset's ${result.dataset.nodes.length} node(s) and ${result.dataset.relationships.length} relationship(s), in one transaction\n`);
    }
    let lastReport = Date.now();
    const summary = await importDataset(client, result.dataset, {
      replace,
      meta,
      onProgress: (done, total) => {
        if (Date.now() - lastReport > 2000 || (done === total && total >= 100_000)) {
          lastReport = Date.now();
          process.stderr.write(`labortrace: written ${done}/${total} rows\n`);
        }
      },
    });
    process.stderr.write(`labortrace: imported ${dir} in ${((Date.now() - started) / 1000).toFixed(1)}s\n`);
    return summary;
  } catch (e) {
    if (e instanceof ImportInProgressError) throw new CliError(`${e.message}; nothing was imported`);
    if (!(e instanceof ImportConflictError)) throw e;
    for (const err of e.errors) process.stderr.write(`${formatError(err)}\n`);
    process.stderr.write(`labortrace: ${e.errors.length} error(s); nothing was imported\n`);
    return null;
  } finally {
    await client.close();
  }
}

export function formatSummary(s: ImportSummary): string {
  const lines = ['nodes:'];
  for (const [k, n] of Object.entries(s.nodes)) lines.push(`  ${k}: ${n}`);
  lines.push('relationships:');
  for (const [k, n] of Object.entries(s.relationships)) lines.push(`  ${k}: ${n}`);
  lines.push(`change set: ${s.changeSet.id} (${s.changeCount} change(s))`);
  lines.push(`graph version: ${s.graphVersion}`);
  return lines.join('\n') + '\n';
}
