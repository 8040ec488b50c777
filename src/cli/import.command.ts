import type { Config } from '../config';
import { DatasetDirectoryError, readDataset } from '../dataset/dataset.reader';
import { formatError } from '../dataset/dataset.types';
import { ensureGraphSchema } from '../db/graph-schema';
import { connect } from '../db/neo4j-client';
import { ImportConflictError, defaultImportMeta, importDataset, type ImportSummary } from '../import/import.service';
import type { ChangeSetMeta } from '../changes/change.types';
import { CliError, EXIT_FAILURE, EXIT_OK, parseCommand, type CommandSpec } from './args';

export const IMPORT_SPEC: CommandSpec = {
  name: 'import',
  synopsis: '[--replace] [--actor NAME] [--reason TEXT] <dir>',
  brief: 'validate and import a CSV dataset directory',
  summary: 'Validates a CSV dataset directory completely, then imports it in one transaction (an upsert by id), recorded as one change set.',
  details: [
    'Any invalid row: every problem as file:line:column: message on stderr, exit 1, and nothing is written. '
      + 'A directory without any .csv file is refused. The format: docs/data-format.md.',
  ],
  options: {
    actor: { type: 'string', description: 'who records this change set (default: the OS user)' },
    reason: { type: 'string', description: "why (default: 'import <dir>')" },
    replace: { type: 'boolean', description: 'the dataset becomes the whole graph: whatever is not in it is removed, in the same transaction (says on stderr how much will be removed)' },
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
  const summary = await importDirectory(cfg, dir, parsed.values.replace === true, meta);
  if (!summary) return EXIT_FAILURE;
  process.stdout.write(formatSummary(summary));
  return EXIT_OK;
}

function nonEmpty(value: string, option: string): string {
  if (value.trim() === '') throw new CliError(`${option} must not be empty`);
  return value.trim();
}

export async function importDirectory(cfg: Config, dir: string, replace = false, meta: ChangeSetMeta = defaultImportMeta(dir)): Promise<ImportSummary | null> {
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
  const client = await connect(cfg);
  try {
    await ensureGraphSchema(client);
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
