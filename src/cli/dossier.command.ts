import { randomBytes } from 'node:crypto';
import { rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { LOCAL_PRINCIPAL } from '../auth/principal';
import type { Config } from '../config';
import { connect } from '../db/neo4j-client';
import { renderDossierHtml } from '../dossier/dossier.html';
import { renderDossierPdf } from '../dossier/dossier.pdf';
import { isPaper, PAPERS, type Paper } from '../dossier/dossier.sections';
import { checkDossierRequest, DossierInputError, DossierNotFoundError, DossierQueryError, gatherDossier } from '../dossier/dossier.service';
import { EntityService } from '../entity/entity.service';
import { TraceService } from '../trace/trace.service';
import { CliError, EXIT_OK, UsageError, parseCommand, type CommandSpec } from './args';

export const DOSSIER_SPEC: CommandSpec = {
  name: 'dossier',
  synopsis: '<itemId> [--as-of DATE] [--known-at INSTANT] [--paper a4|letter] --out FILE',
  brief: 'write the customs dossier of an item as PDF or HTML',
  summary: 'Writes the customs dossier of a product or component (docs/dossier.md): executive summary, contents, parties and roles, flow chart, '
    + 'numbered tracing steps with their documents, rebuttal status of every labor relationship, paths and evidence appendix.',
  details: [
    'FILE ends in .pdf or .html. The command runs where the database is, with every right (as keys does), so worker names are included. '
      + 'An unknown item is one line on stderr and exit 1, and no file is written.',
  ],
  options: {
    'as-of': { type: 'string', value: 'DATE', description: 'latest day the goods could have been made (YYYY-MM-DD)' },
    'known-at': { type: 'string', value: 'INSTANT', description: 'the graph as recorded at this instant (ISO 8601 with offset)' },
    paper: { type: 'string', value: 'a4|letter', description: 'page size of the PDF and of the HTML when printed (default a4)' },
    out: { type: 'string', short: 'o', value: 'FILE', description: 'where to write: a .pdf or .html file (required)' },
  },
  positionals: { names: ['item id'], min: 1 },
};

type Format = 'pdf' | 'html';

function formatOf(file: string): Format {
  const ext = path.extname(file).toLowerCase();
  if (ext === '.pdf') return 'pdf';
  if (ext === '.html' || ext === '.htm') return 'html';
  throw new UsageError(`--out: '${file}' must end in .pdf or .html`, DOSSIER_SPEC.name);
}

export async function dossierCommand(cfg: Config, args: string[]): Promise<number> {
  const parsed = parseCommand(DOSSIER_SPEC, args);
  if (!parsed) return EXIT_OK;
  const out = parsed.values.out;
  if (typeof out !== 'string' || out === '') throw new UsageError('missing --out FILE', DOSSIER_SPEC.name);
  const format = formatOf(out);
  const paperValue = parsed.values.paper ?? 'a4';
  if (!isPaper(paperValue)) throw new UsageError(`--paper: '${String(paperValue)}' is not one of ${PAPERS.join(', ')}`, DOSSIER_SPEC.name);
  const paper: Paper = paperValue;
  let request: ReturnType<typeof checkDossierRequest>;
  try {
    request = checkDossierRequest({
      itemId: parsed.positionals[0], asOf: parsed.values['as-of'] as string | undefined, knownAt: parsed.values['known-at'] as string | undefined,
    });
  } catch (e) {
    if (e instanceof DossierInputError) throw new UsageError(e.message.replace(/^(asOf|knownAt)/, (p) => (p === 'asOf' ? '--as-of' : '--known-at')), DOSSIER_SPEC.name);
    throw e;
  }

  const client = await connect(cfg);
  try {
    const services = { client, entities: new EntityService(client), trace: new TraceService(client, cfg.snapshotMaxRows, cfg.traceMaxSteps, cfg.requestMaxSteps) };
    const dossier = await gatherDossier(services, LOCAL_PRINCIPAL, request);
    const body = format === 'pdf' ? await renderDossierPdf(dossier, paper) : Buffer.from(renderDossierHtml(dossier, paper), 'utf8');
    // written whole or not at all: a failure never leaves a partial document under the asked-for name
    const temporary = path.join(path.dirname(out), `.${path.basename(out)}.${randomBytes(6).toString('hex')}.tmp`);
    try {
      await writeFile(temporary, body);
      await rename(temporary, out);
    } catch (e) {
      await rm(temporary, { force: true });
      throw new CliError(`cannot write ${out}: ${(e as Error).message}`);
    }
    process.stdout.write(`${out}: ${format.toUpperCase()} dossier of ${dossier.meta.itemId} (${dossier.summary.exposure}), ${body.length} bytes\n`);
    return EXIT_OK;
  } catch (e) {
    if (e instanceof DossierNotFoundError) throw new CliError(e.message);
    if (e instanceof DossierQueryError) throw new CliError(`${e.code}: ${e.message}`);
    throw e;
  } finally {
    await client.close();
  }
}
