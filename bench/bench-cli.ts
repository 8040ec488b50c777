import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../src/config';

// What every bench script shares: its options, and where its results go.

/** `--name VALUE` or `--name=VALUE`. */
export function option(args: string[], name: string): string | undefined {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : args.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
}

/** The arguments that are no option and no option's value. */
export function positionals(args: string[]): string[] {
  return args.filter((a, i) => !a.startsWith('--') && !(i > 0 && args[i - 1].startsWith('--') && !args[i - 1].includes('=')));
}

/** bench/results/NAME.json, or NAME-2.json, NAME-3.json, ... when taken: a rerun never overwrites committed results. */
export function freeResultFile(name: string): string {
  const dir = path.join(PROJECT_ROOT, 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  for (let n = 1; ; n++) {
    const file = path.join(dir, `${name}${n === 1 ? '' : `-${n}`}.json`);
    if (!existsSync(file)) return file;
  }
}
