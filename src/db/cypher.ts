import { readFileSync } from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../config';

/**
 * Every Cypher statement labortrace runs lives in cypher/<name>.cypher. Statements are read once, by name;
 * a missing file fails at the first use with its path.
 */
const cache = new Map<string, string>();

export function cypher(name: string): string {
  let text = cache.get(name);
  if (text === undefined) {
    const file = path.join(PROJECT_ROOT, 'cypher', `${name}.cypher`);
    text = readFileSync(file, 'utf8')
      .split('\n')
      .filter((l) => !l.trimStart().startsWith('//'))
      .join('\n')
      .trim();
    cache.set(name, text);
  }
  return text;
}
