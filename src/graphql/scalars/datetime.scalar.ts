import { GraphQLScalarType, Kind } from 'graphql';
import { badInput } from '../errors';

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/** An instant: ISO 8601 with a UTC offset (CHANGES.md), e.g. "2026-11-28T17:59:25.123Z"; held as epoch milliseconds. */
function parse(value: unknown): number {
  if (typeof value !== 'string' || !ISO_INSTANT.test(value)) {
    throw badInput('DateTime must be an ISO 8601 instant with an offset, e.g. "2026-11-28T17:59:25.123Z"');
  }
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw badInput(`DateTime: '${value}' is not a valid instant`);
  return ms;
}

export const DateTimeScalar = new GraphQLScalarType<number, string>({
  name: 'DateTime',
  description: 'An instant, ISO 8601 with an offset: "2026-11-28T17:59:25.123Z" (milliseconds, UTC on output)',
  serialize: (v) => new Date(Number(v)).toISOString(),
  parseValue: parse,
  parseLiteral: (ast) => parse(ast.kind === Kind.STRING ? ast.value : undefined),
});
