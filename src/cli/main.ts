import 'reflect-metadata';
import { loadConfig, type Config } from '../config';
import { CliError, EXIT_FAILURE, EXIT_OK, EXIT_USAGE, UsageError, commandHelp, parseCommand, version, type CommandSpec } from './args';
import { DB_SPEC, dbCommand } from './db.command';
import { DOSSIER_SPEC, dossierCommand } from './dossier.command';
import { EXPORT_SPEC, exportCommand } from './export.command';
import { IMPORT_SPEC, importCommand } from './import.command';
import { KEYS_SPEC, keysCommand } from './keys.command';
import { LISTS_SPEC, listsCommand } from './lists.command';
import { SERVE_SPEC, serveCommand } from './serve.command';
import { printSdl } from '../graphql/schema';

interface Command {
  spec: CommandSpec;
  run(cfg: Config, args: string[]): Promise<number>;
}

const SCHEMA_SPEC: CommandSpec = {
  name: 'schema',
  synopsis: '',
  brief: 'print the GraphQL SDL',
  summary: 'Prints the GraphQL SDL of the API on stdout (schema/schema.graphql is this output).',
  options: {},
  positionals: { names: [], min: 0 },
};

async function schemaCommand(_cfg: Config, args: string[]): Promise<number> {
  if (!parseCommand(SCHEMA_SPEC, args)) return EXIT_OK;
  process.stdout.write(printSdl());
  return EXIT_OK;
}

/** Every command, in the order the usage lists them. */
export const COMMANDS: ReadonlyMap<string, Command> = new Map<string, Command>([
  ['serve', { spec: SERVE_SPEC, run: serveCommand }],
  ['import', { spec: IMPORT_SPEC, run: importCommand }],
  ['export', { spec: EXPORT_SPEC, run: exportCommand }],
  ['dossier', { spec: DOSSIER_SPEC, run: dossierCommand }],
  ['db', { spec: DB_SPEC, run: dbCommand }],
  ['lists', { spec: LISTS_SPEC, run: listsCommand }],
  ['keys', { spec: KEYS_SPEC, run: keysCommand }],
  ['schema', { spec: SCHEMA_SPEC, run: schemaCommand }],
]);

/** Exit codes: 0 success, 1 failure (invalid data, database errors, refused actions), 2 wrong usage, 3 `db status`: not running. */
export function usage(): string {
  const rows = [...COMMANDS.values()].map((c) => [`${c.spec.name} ${c.spec.synopsis}`.trim(), c.spec.brief ?? c.spec.summary.split(/[.:;] /)[0].replace(/\.$/, '')]);
  const width = Math.max(...rows.map(([a]) => a.length)) + 3;
  return [
    'usage: labortrace <command> [options]',
    '',
    'commands:',
    ...rows.map(([a, b]) => `  ${a.padEnd(width)}${b}`),
    '',
    `  labortrace <command> --help   that command's options`,
    '  labortrace --version          the version',
    '',
    'exit codes: 0 success, 1 failure (invalid data, database error, refused action), 2 wrong usage, 3 db status: not running',
    '',
  ].join('\n');
}

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case undefined:
        process.stderr.write(usage());
        return EXIT_USAGE;
      case '-h': case '--help':
        process.stdout.write(usage());
        return EXIT_OK;
      case 'help': {
        if (rest.length === 0) {
          process.stdout.write(usage());
          return EXIT_OK;
        }
        const c = COMMANDS.get(rest[0]);
        if (!c || rest.length > 1) throw new UsageError(`no command '${rest.join(' ')}'`);
        process.stdout.write(commandHelp(c.spec));
        return EXIT_OK;
      }
      case '-V': case '--version': case 'version':
        if (rest.length > 0) throw new UsageError(`${command} takes no arguments`);
        process.stdout.write(`labortrace ${version()}\n`);
        return EXIT_OK;
    }
    const c = COMMANDS.get(command);
    if (!c) throw new UsageError(command.startsWith('-') ? `unknown option '${command}' (a command comes first)` : `unknown command '${command}'`);
    return await c.run(loadConfig(), rest);
  } catch (e) {
    if (e instanceof UsageError) {
      const cmd = e.command ?? (COMMANDS.has(command ?? '') ? command : undefined);
      const hint = cmd ? `labortrace ${cmd} --help` : 'labortrace --help';
      process.stderr.write(`labortrace${cmd ? ` ${cmd}` : ''}: ${e.message} (see '${hint}')\n`);
      return EXIT_USAGE;
    }
    if (e instanceof Error && e.name === 'ConfigError') {
      // an environment variable with a value that is not valid (config.ts names it)
      process.stderr.write(`labortrace: ${e.message}\n`);
      return EXIT_USAGE;
    }
    if (e instanceof CliError) {
      process.stderr.write(`labortrace: ${e.message}\n`);
      return e.exitCode;
    }
    process.stderr.write(`labortrace: ${describeError(e)}\n`);
    return EXIT_FAILURE;
  }
}

/** An unexpected error as one message; the stack only with LABORTRACE_DEBUG=1. */
function describeError(e: unknown): string {
  const err = e as { message?: string; code?: string; stack?: string };
  if (process.env.LABORTRACE_DEBUG === '1' && err.stack) return err.stack;
  const message = err.message ?? String(e);
  if (err.code === 'ServiceUnavailable') return `Neo4j is not reachable: ${message.split('\n')[0]}`;
  return message;
}
