import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { PROJECT_ROOT } from '../config';

/**
 * The command line's shared parts: strict option parsing, per-command help, value checks and the errors that end a
 * command with one clear line. Every command module imports these from here (and never from main.ts).
 *
 * Exit codes (README, "Commands"): 0 success, 1 failure (invalid data, database or network error, refused action),
 * 2 wrong usage, 3 `db status`: not running.
 */
export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;
export const EXIT_NOT_RUNNING = 3;

/** Wrong usage: an unknown command or option, a missing or malformed value. Exit 2. */
export class UsageError extends Error {
  constructor(message: string, readonly command?: string) {
    super(message);
  }
}

/** An expected failure (a refused action, an unusable directory, a port in use): one line on stderr. */
export class CliError extends Error {
  constructor(message: string, readonly exitCode: number = EXIT_FAILURE) {
    super(message);
  }
}

export interface OptionSpec {
  type: 'string' | 'boolean';
  short?: string;
  /** shown in the help as `--name VALUE` */
  value?: string;
  description: string;
}

export interface CommandSpec {
  name: string;
  /** after `labortrace <name>`: `[--port N] <dir>` */
  synopsis: string;
  /** one line for the list of commands (default: the summary's first sentence) */
  brief?: string;
  summary: string;
  options: Record<string, OptionSpec>;
  /** names of the positional arguments, in order; `min` of them are required */
  positionals: { names: string[]; min: number };
  /** extra help text (one paragraph per entry) */
  details?: string[];
}

export interface ParsedArgs {
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
}

const HELP: OptionSpec = { type: 'boolean', short: 'h', description: 'show this help and exit' };

/** The help text of one command. */
export function commandHelp(spec: CommandSpec): string {
  const options = { ...spec.options, help: HELP };
  const rows = Object.entries(options).map(([name, o]) => {
    const flag = `${o.short ? `-${o.short}, ` : '    '}--${name}${o.value ? ` ${o.value}` : ''}`;
    return [flag, o.description] as const;
  });
  const width = Math.max(...rows.map(([f]) => f.length)) + 2;
  const lines = [
    `usage: labortrace ${spec.name}${spec.synopsis ? ` ${spec.synopsis}` : ''}`,
    '',
    spec.summary,
    ...(spec.details ?? []).flatMap((d) => ['', d]),
    '',
    'options:',
    ...rows.map(([f, d]) => `  ${f.padEnd(width)}${d}`),
    '',
  ];
  return lines.join('\n');
}

/**
 * Parses a command's arguments strictly: unknown options, missing option values and extra or missing positionals
 * are UsageErrors. Returns null when `--help` was asked for (the help has then been printed on stdout).
 */
export function parseCommand(spec: CommandSpec, args: string[]): ParsedArgs | null {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args,
      options: {
        ...Object.fromEntries(Object.entries(spec.options).map(([k, o]) => [k, o.short ? { type: o.type, short: o.short } : { type: o.type }])),
        help: { type: 'boolean', short: 'h' },
      },
      allowPositionals: true,
      strict: true,
    });
  } catch (e) {
    if (!String((e as { code?: string }).code ?? '').startsWith('ERR_PARSE_ARGS_')) throw e;
    // `--help` anywhere wins over other mistakes on the same line
    if (args.includes('--help') || args.includes('-h')) return printHelp(spec);
    throw new UsageError(parseArgsMessage(e), spec.name);
  }
  if (parsed.values.help) return printHelp(spec);
  const { names, min } = spec.positionals;
  const positionals = parsed.positionals;
  if (positionals.length < min) throw new UsageError(`missing ${names[positionals.length]}`, spec.name);
  if (positionals.length > names.length) {
    const extra = positionals[names.length];
    throw new UsageError(names.length === 0 ? `unexpected argument '${extra}'` : `unexpected extra argument '${extra}'`, spec.name);
  }
  return { values: parsed.values as ParsedArgs['values'], positionals };
}

function printHelp(spec: CommandSpec): null {
  process.stdout.write(commandHelp(spec));
  return null;
}

/** node:util parseArgs' messages, shortened to one line in this CLI's words. */
function parseArgsMessage(e: unknown): string {
  const err = e as { code?: string; message?: string };
  const msg = String(err.message ?? e);
  switch (err.code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION': {
      const m = /Unknown option '([^']*)'/.exec(msg);
      return `unknown option '${m ? m[1] : msg}'`;
    }
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE': {
      const m = /Option '(?:-\w, )?(--[\w-]+)[^']*' argument (?:missing|is ambiguous)/.exec(msg);
      if (m) return `${m[1]} needs a value`;
      const b = /Option '(?:-\w, )?(--[\w-]+)' does not take an argument/.exec(msg);
      if (b) return `${b[1]} takes no value`;
      return msg.split('\n')[0];
    }
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return msg.split('\n')[0];
    default:
      return msg.split('\n')[0];
  }
}

/** A TCP port 0..65535 given as decimal digits (0: any free port). */
export function parsePort(raw: string, what = '--port'): number {
  const n = /^\d{1,5}$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isInteger(n) || n > 65535) throw new UsageError(`${what}: '${raw}' is not a port number (0..65535)`);
  return n;
}

/** A host name or IP address to listen on: no spaces, no scheme, no port. */
export function parseHost(raw: string, what = '--host'): string {
  if (raw === '' || /[\s/]/.test(raw) || raw.length > 253) throw new UsageError(`${what}: '${raw}' is not a host name or address`);
  return raw;
}

/** The version in package.json. */
export function version(): string {
  return (JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
}
