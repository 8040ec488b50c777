import { existsSync, mkdirSync, promises as fs } from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../src/config';
import { generate } from './generate';

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

/** `--scale 100000,1000000`: node counts; null (with a message on stderr) when one is not a whole number ≥ 100. */
export function scalesOption(args: string[], tool: string, fallback = '100000,1000000'): number[] | null {
  const scales = (option(args, 'scale') ?? fallback).split(',').map(Number);
  if (scales.some((n) => !Number.isInteger(n) || n < 100)) {
    process.stderr.write(`${tool}: --scale takes node counts like 100000,1000000\n`);
    return null;
  }
  return scales;
}

/** bench/data/n<nodes>-s<seed>: the benchmark's catalogue (bench/generate.ts), generated once and then reused. */
export async function catalogueDir(nodes: number, seed: number, log: (message: string) => void): Promise<string> {
  const dir = path.join(PROJECT_ROOT, 'bench', 'data', `n${nodes}-s${seed}`);
  const marker = path.join(dir, 'generated.json');
  if (existsSync(marker)) {
    log(`${nodes}: reusing ${dir}`);
    return dir;
  }
  const t = performance.now();
  const gen = await generate({ nodes, seed, dir }, (m) => log(`${nodes}: ${m}`));
  await fs.writeFile(marker, JSON.stringify(gen));
  log(`${nodes}: generated ${gen.rows} rows in ${Math.round((performance.now() - t) / 100) / 10}s`);
  return dir;
}
