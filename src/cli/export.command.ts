import type { Config } from '../config';
import { connect } from '../db/neo4j-client';
import { ExportTargetError, exportDataset } from '../export/export.service';
import { CliError, EXIT_OK, parseCommand, type CommandSpec } from './args';

export const EXPORT_SPEC: CommandSpec = {
  name: 'export',
  synopsis: '[--force] <dir>',
  brief: 'write the whole graph as a CSV dataset directory',
  summary: 'Writes the whole graph as a CSV dataset directory; importing it into an empty database gives the same graph.',
  details: [
    'The directory is created when missing; a directory that is not empty is refused unless --force. '
      + "Text cells that a spreadsheet would run as a formula (starting with =, +, -, @, tab or CR) are written with a leading ' that import removes (docs/data-format.md, \"Spreadsheet formulas\").",
  ],
  options: {
    force: { type: 'boolean', short: 'f', description: 'write into a directory that is not empty, overwriting the dataset files in it' },
  },
  positionals: { names: ['output directory'], min: 1 },
};

export async function exportCommand(cfg: Config, args: string[]): Promise<number> {
  const parsed = parseCommand(EXPORT_SPEC, args);
  if (!parsed) return EXIT_OK;
  const dir = parsed.positionals[0];
  const force = parsed.values.force === true;
  const client = await connect(cfg);
  try {
    const { files, otherCsvFiles } = await exportDataset(client, dir, { force });
    for (const [file, rows] of Object.entries(files)) process.stdout.write(`${file}: ${rows} rows\n`);
    if (otherCsvFiles.length > 0) {
      process.stderr.write(`labortrace: warning: ${dir} also holds ${otherCsvFiles.join(', ')}, which import would refuse as unknown files\n`);
    }
    return EXIT_OK;
  } catch (e) {
    if (e instanceof ExportTargetError) throw new CliError(e.message);
    throw e;
  } finally {
    await client.close();
  }
}
