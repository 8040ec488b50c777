import { GraphQLScalarType, Kind } from 'graphql';
import { parseDate, ValueError } from '../../dataset/values';
import { badInput } from '../errors';

function parse(value: unknown): string {
  if (typeof value !== 'string') throw badInput('Date must be a string "YYYY-MM-DD"');
  try {
    return parseDate(value);
  } catch (e) {
    if (e instanceof ValueError) throw badInput(`Date: ${e.message}`);
    throw e;
  }
}

/** A calendar day, "YYYY-MM-DD" on the wire (API-CORE.md). */
export const DateScalar = new GraphQLScalarType<string, string>({
  name: 'Date',
  description: 'A calendar day as "YYYY-MM-DD"',
  serialize: (v) => String(v),
  parseValue: parse,
  parseLiteral: (ast) => parse(ast.kind === Kind.STRING ? ast.value : undefined),
});
