import { badInput } from './errors';

/** Opaque cursors: base64url of "<namespace>:<position>", so a cursor from one list is refused by another. */
export function encodeCursor(namespace: string, position: string): string {
  return Buffer.from(`${namespace}:${position}`, 'utf8').toString('base64url');
}

export function decodeCursor(namespace: string, cursor: string | null | undefined, argumentName = 'after'): string | null {
  if (cursor === null || cursor === undefined) return null;
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const prefix = `${namespace}:`;
  if (!text.startsWith(prefix) || encodeCursor(namespace, text.slice(prefix.length)) !== cursor) {
    throw badInput('not a cursor of this list', argumentName);
  }
  return text.slice(prefix.length);
}

export const MAX_PAGE_SIZE = 1000;
export const DEFAULT_PAGE_SIZE = 100;

/** Page sizes: `first` when given (0..MAX_PAGE_SIZE), else the list's default. */
export function pageSize(first: number | null | undefined, fallback = DEFAULT_PAGE_SIZE, argumentName = 'first'): number {
  if (first === null || first === undefined) return fallback;
  if (!Number.isInteger(first) || first < 0 || first > MAX_PAGE_SIZE) throw badInput(`must be between 0 and ${MAX_PAGE_SIZE}`, argumentName);
  return first;
}
