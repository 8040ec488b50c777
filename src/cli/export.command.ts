import type { Config } from '../config';
import { connect } from '../db/neo4j-client';
import { ExportTargetError, exportDataset } from '../export/export.service';
import { FTM_FILE_PATTERN, STDOUT_TARGET, exportFtm } from '../export/ftm.export';
import { CliError, EXIT_OK, UsageError, parseCommand, type CommandSpec } from './args';

const FORMATS = ['csv', 'ftm'] as const;
type ExportFormat = (typeof FORMATS)[number];

export const EXPORT_SPEC: CommandSpec = {
  name: 'export',
  synopsis: '[--format csv|ftm] [--force] <dir | file>',
  brief: 'write the whole graph as a CSV dataset directory, or as FollowTheMoney entities',
  summary: 'Writes the whole graph as a CSV dataset directory; importing it into an empty database gives the same graph. '
    + 'With --format ftm, writes it as FollowTheMoney entities (JSON lines) for Aleph and OpenSanctions tools.',
  details: [
    'csv (the default): the directory is created when missing; a directory that is not empty is refused unless --force. '
      + "Text cells that a spreadsheet would run as a formula (starting with =, +, -, @, tab or CR) are written with a leading ' that import removes (docs/data-format.md, \"Spreadsheet formulas\").",
    'ftm: the target is a file ending in .json or .jsonl (.ftm.json by convention), or - for standard output; an existing file is refused unless --force. '
      + 'Every entity is valid for the FollowTheMoney model; the mapping is in docs/ftm.md.',
  ],
  options: {
    format: { type: 'string', value: 'FORMAT', description: 'csv (a dataset directory, the default) or ftm (FollowTheMoney JSON lines)' },
    force: { type: 'boolean', short: 'f', description: 'write into a directory that is not empty (overwriting the dataset files in it), or over an existing file' },
  },
  positionals: { names: ['output directory or file'], min: 1 },
};

function formatOf(raw: string | boolean | undefined): ExportFormat {
  if (raw === undefined) return 'csv';
  const format = FORMATS.find((f) => f === raw);
  if (!format) throw new UsageError(`--format: '${String(raw)}' is not a format (csv or ftm)`, EXPORT_SPEC.name);
  return format;
}

export async function exportCommand(cfg: Config, args: string[]): Promise<number> {
  const parsed = parseCommand(EXPORT_SPEC, args);
  if (!parsed) return EXIT_OK;
  const target = parsed.positionals[0];
  const force = parsed.values.force === true;
  const format = formatOf(parsed.values.format);
  if (format === 'ftm' && target !== STDOUT_TARGET && !FTM_FILE_PATTERN.test(target)) {
    throw new UsageError(`--format ftm writes one file: '${target}' should end in .json or .jsonl (e.g. graph.ftm.json), or be - for standard output`, EXPORT_SPEC.name);
  }
  const client = await connect(cfg);
  try {
    if (format === 'ftm') {
      const { entities, bySchema } = await exportFtm(client, target, { force });
      const counts = Object.entries(bySchema).map(([schema, n]) => `${schema} ${n}`).join(', ');
      // with `-` the entities are the output: the summary goes to stderr
      const summary = `${target === STDOUT_TARGET ? 'stdout' : target}: ${entities} entities${counts ? ` (${counts})` : ''}\n`;
      (target === STDOUT_TARGET ? process.stderr : process.stdout).write(summary);
      return EXIT_OK;
    }
    const { files, otherCsvFiles } = await exportDataset(client, target, { force });
    for (const [file, rows] of Object.entries(files)) process.stdout.write(`${file}: ${rows} rows\n`);
    if (otherCsvFiles.length > 0) {
      process.stderr.write(`labortrace: warning: ${target} also holds ${otherCsvFiles.join(', ')}, which import would refuse as unknown files\n`);
    }
    return EXIT_OK;
  } catch (e) {
    if (e instanceof ExportTargetError) throw new CliError(e.message);
    throw e;
  } finally {
    await client.close();
  }
}
