import type { Config } from '../config';
import { formatError } from '../dataset/dataset.types';
import { ensureGraphSchema } from '../db/graph-schema';
import { connect } from '../db/neo4j-client';
import { defaultImportMeta } from '../import/import.service';
import { LIST_FORMATS, type ListFormat } from '../lists/list-entry';
import { importList, ListFileError, ListLabelError } from '../lists/list-import.service';
import { ListVersionConflictError, listStatus, type ListStatus } from '../lists/list.store';
import { CliError, EXIT_FAILURE, EXIT_OK, UsageError, parseCommand, type CommandSpec } from './args';

export const LISTS_SPEC: CommandSpec = {
  name: 'lists',
  synopsis: 'import ofac-sdn <dir> [--version LABEL] | import ftm <file> --version LABEL [--list NAME] | status',
  brief: 'import watch-list versions and show the review queue',
  summary: 'Imports a version of a sanctions or watch list (OFAC SDN legacy CSV, FollowTheMoney JSON lines) and matches '
    + 'every company, labor agency and factory against it at once; status shows the versions and the candidates by status.',
  options: {
    version: { type: 'string', value: 'LABEL', description: 'the version label (ofac-sdn: default the date in the directory\'s name, else sdn.csv\'s day)' },
    list: { type: 'string', value: 'NAME', description: 'the list the version belongs to (default: ofac-sdn, or ftm)' },
    actor: { type: 'string', value: 'NAME', description: 'who imports it (default: the OS user)' },
  },
  positionals: { names: ['import|status', 'FORMAT', 'PATH'], min: 1 },
  details: [
    'A file with any error is refused whole (file:line:column on stderr, exit 1) and nothing is written. Importing '
      + 'the same version again changes nothing; the same label with other content is refused. Candidates at or above '
      + 'LABORTRACE_MATCH_THRESHOLD (default 0.8) wait for a person\'s decision (GraphQL listMatches, decideMatch); '
      + 'nothing changes a trace until then (README, "Watch lists").',
  ],
};

export async function listsCommand(cfg: Config, args: string[]): Promise<number> {
  const parsed = parseCommand(LISTS_SPEC, args);
  if (!parsed) return EXIT_OK;
  const [action, format, source, extra] = parsed.positionals;
  if (extra !== undefined) throw new UsageError(`unexpected argument '${extra}'`, 'lists');
  const label = parsed.values.version as string | undefined;
  if (action === 'status') {
    if (format !== undefined) throw new UsageError(`status takes no argument ('${format}')`, 'lists');
    if (label !== undefined || parsed.values.list !== undefined) throw new UsageError('--version and --list belong to import', 'lists');
  } else if (action === 'import') {
    if (!LIST_FORMATS.includes(format as ListFormat)) throw new UsageError(`import needs a format: ${LIST_FORMATS.join(' or ')}${format ? `, not '${format}'` : ''}`, 'lists');
    if (source === undefined) throw new UsageError(`import ${format} needs ${format === 'ftm' ? 'the JSON-lines file' : 'the directory holding sdn.csv'}`, 'lists');
    if (label !== undefined && label.trim() === '') throw new UsageError('--version must not be empty', 'lists');
  } else {
    throw new UsageError(`unknown lists action '${action}' (import or status)`, 'lists');
  }

  const client = await connect(cfg);
  try {
    await ensureGraphSchema(client);
    if (action === 'status') {
      process.stdout.write(formatStatus(await listStatus(client)));
      return EXIT_OK;
    }
    const actor = typeof parsed.values.actor === 'string' && parsed.values.actor.trim() !== '' ? parsed.values.actor : defaultImportMeta().actor;
    let outcome;
    try {
      outcome = await importList(client, {
        format: format as ListFormat, source: source!, label: label ?? null, list: parsed.values.list as string | undefined,
        actor, threshold: cfg.matchThreshold,
      });
    } catch (e) {
      if (e instanceof ListFileError) {
        for (const err of e.errors) process.stderr.write(`${formatError(err)}\n`);
        process.stderr.write(`labortrace: the list was not imported (${e.errors.length} error${e.errors.length === 1 ? '' : 's'})\n`);
        return EXIT_FAILURE;
      }
      if (e instanceof ListVersionConflictError || e instanceof ListLabelError) throw new CliError(e.message);
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR' || code === 'EACCES') throw new CliError(`cannot read ${source} (${code})`);
      if (code === 'ERR_STRING_TOO_LONG' || e instanceof RangeError) {
        throw new CliError(`${source} is too large to read whole (${code ?? (e as Error).message}); split it, e.g. by schema, and import the parts as versions of one list`);
      }
      throw e;
    }
    const { version: v, matching: m, skipped } = outcome;
    const skippedText = Object.entries(skipped).map(([schema, n]) => `${n} ${schema}`).join(', ');
    process.stdout.write(
      `${v.imported ? 'imported' : 'already imported, nothing changed:'} ${v.list} version ${v.label} (${v.entryCount} entries)${skippedText ? `; skipped ${skippedText}` : ''}\n`
      + `matched ${m.subjects} companies, agencies and factories against ${m.list} ${m.label} in ${m.seconds} s: `
      + `${m.proposed} new candidate(s), ${m.pending} pending, ${m.keptRejected} rejected before and not proposed again, ${m.dropped} dropped\n`,
    );
    return EXIT_OK;
  } finally {
    await client.close();
  }
}

function formatStatus(s: ListStatus): string {
  if (s.versions.length === 0) return 'no list imported (labortrace lists import ofac-sdn <dir>)\n';
  const lines: string[] = [];
  const lists = [...new Set(s.versions.map((v) => v.list))];
  for (const list of lists) {
    const versions = s.versions.filter((v) => v.list === list);
    const count = (status: string) => s.counts.find((c) => c.list === list && c.status === status)?.count ?? 0;
    lines.push(`${list}: latest version ${versions[0].label} (${versions[0].entryCount} entries, imported ${versions[0].importedAt} by ${versions[0].importedBy}); `
      + `${versions.length} version(s); candidates: ${count('PENDING')} pending, ${count('CONFIRMED')} confirmed, ${count('REJECTED')} rejected`);
  }
  return lines.join('\n') + '\n';
}
