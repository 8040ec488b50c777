import { GraphQLError } from 'graphql';

/** Bad arguments: BAD_USER_INPUT, naming the argument when known. */
export function badInput(message: string, argumentName?: string): GraphQLError {
  return new GraphQLError(argumentName ? `${argumentName}: ${message}` : message, {
    extensions: { code: 'BAD_USER_INPUT', ...(argumentName ? { argumentName } : {}) },
  });
}

export function notFound(what: string, id: string, argumentName?: string): GraphQLError {
  return new GraphQLError(`${what} '${id}' does not exist`, {
    extensions: { code: 'NOT_FOUND', ...(argumentName ? { argumentName } : {}) },
  });
}

/** A request over one of the limits (ACCESS.md, "Limits"): refused before it runs. */
export function queryTooComplex(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'QUERY_TOO_COMPLEX', http: { status: 400 } } });
}

export const TIMEOUT_MESSAGE = 'the request took longer than its time limit (LABORTRACE_REQUEST_TIMEOUT_MS) and was stopped';
export const UNAVAILABLE_MESSAGE = 'the database is unavailable; try again shortly';

export function requestTimeout(): GraphQLError {
  return new GraphQLError(TIMEOUT_MESSAGE, { extensions: { code: 'TIMEOUT' } });
}

/**
 * The whole body of an error answered outside GraphQL execution (a body over the limit, malformed JSON, a missing
 * credential, an unreachable database): the GraphQL error format, so that clients read one shape.
 */
export function errorBody(code: string, message: string): { errors: { message: string; extensions: { code: string } }[] } {
  return { errors: [{ message, extensions: { code } }] };
}
