import type { Config } from '../config';
import { readDataset } from '../dataset/dataset.reader';
import { formatError } from '../dataset/dataset.types';
import { ensureGraphSchema } from '../db/graph-schema';
import { connect } from '../db/neo4j-client';
import { ImportConflictError, importDataset, type ImportSummary } from '../import/import.service';
import { positional } from './main';

/** Validates the whole directory first; writes nothing unless every row is valid. */
export async function importCommand(cfg: Config, args: string[]): Promise<number> {
  const dir = positional(args.filter((a) => a !== '--replace'), 'dataset directory');
  const summary = await importDirectory(cfg, dir, args.includes('--replace'));
  if (!summary) return 1;
  process.stdout.write(formatSummary(summary));
  return 0;
}

export async function importDirectory(cfg: Config, dir: string, replace = false): Promise<ImportSummary | null> {
  const started = Date.now();
  const result = await readDataset(dir, (file, rows) => process.stderr.write(`labortrace: read ${file}: ${rows} rows\n`));
  if (!result.ok) {
    for (const e of result.errors) process.stderr.write(`${formatError(e)}\n`);
    const more = result.errorCount - result.errors.length;
    process.stderr.write(`labortrace: ${result.errorCount} error(s)${more > 0 ? ` (${more} not shown)` : ''}; nothing was imported\n`);
    return null;
  }
  const client = await connect(cfg);
  try {
    await ensureGraphSchema(client);
    let lastReport = Date.now();
    const summary = await importDataset(client, result.dataset, {
      replace,
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
  lines.push(`graph version: ${s.graphVersion}`);
  return lines.join('\n') + '\n';
}
