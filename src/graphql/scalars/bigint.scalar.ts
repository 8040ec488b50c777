import { GraphQLScalarType, Kind } from 'graphql';
import { badInput } from '../errors';

function parse(value: unknown): bigint {
  if (typeof value === 'string' && /^-?\d+$/.test(value)) return BigInt(value);
  if (typeof value === 'number' && Number.isSafeInteger(value)) return BigInt(value);
  throw badInput('BigInt must be a string of decimal digits');
}

/** An exact integer of any size, serialized as a JSON string of decimal digits (API-CORE.md). */
export const BigIntScalar = new GraphQLScalarType<bigint, string>({
  name: 'BigInt',
  description: 'An exact integer of any size, serialized as a string of decimal digits',
  serialize: (v) => {
    if (typeof v === 'bigint') return v.toString();
    if (typeof v === 'number' && Number.isSafeInteger(v)) return String(v);
    if (typeof v === 'string' && /^-?\d+$/.test(v)) return v;
    throw new TypeError(`BigInt cannot represent ${String(v)}`);
  },
  parseValue: parse,
  parseLiteral: (ast) => parse(ast.kind === Kind.STRING || ast.kind === Kind.INT ? ast.value : undefined),
});
