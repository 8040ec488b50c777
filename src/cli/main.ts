import 'reflect-metadata';
import { loadConfig } from '../config';
import { dbCommand } from './db.command';
import { exportCommand } from './export.command';
import { importCommand } from './import.command';
import { serveCommand } from './serve.command';
import { printSdl } from '../graphql/schema';

/** Exit codes: 0 success, 1 failure (invalid data, database errors), 2 wrong usage, 3 `db status`: not running. */
export const USAGE = `usage: labortrace <command>
  serve [--port N] [--host H] [--no-seed]   GraphQL API (default http://127.0.0.1:4000/graphql)
  import [--replace] <dir>                 validate and import a CSV dataset directory (--replace: it becomes the whole graph)
  export <dir>                             write the whole graph as a CSV dataset directory
  db start|stop|status                     the embedded Neo4j under LABORTRACE_HOME
  schema                                   print the GraphQL SDL
`;

export class UsageError extends Error {}

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const cfg = loadConfig();
  try {
    switch (command) {
      case 'serve': return await serveCommand(cfg, rest);
      case 'import': return await importCommand(cfg, rest);
      case 'export': return await exportCommand(cfg, rest);
      case 'db': return await dbCommand(cfg, rest);
      case 'schema':
        process.stdout.write(printSdl());
        return 0;
      case undefined: case '-h': case '--help': case 'help':
        process.stdout.write(USAGE);
        return command === undefined ? 2 : 0;
      default:
        throw new UsageError(`unknown command '${command}'`);
    }
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`labortrace: ${e.message}\n${USAGE}`);
      return 2;
    }
    throw e;
  }
}

/** `--name value` or `--name=value`. */
export function option(args: string[], name: string): string | undefined {
  for (let i = 0; i < args.length; i++) {
    if (args[i] === `--${name}`) {
      if (i + 1 >= args.length) throw new UsageError(`--${name} needs a value`);
      return args[i + 1];
    }
    if (args[i].startsWith(`--${name}=`)) return args[i].slice(name.length + 3);
  }
  return undefined;
}

export function positional(args: string[], what: string): string {
  const values = args.filter((a, i) => !a.startsWith('--') && !(i > 0 && args[i - 1].startsWith('--') && !args[i - 1].includes('=')));
  if (values.length !== 1) throw new UsageError(`expected one ${what}`);
  return values[0];
}
