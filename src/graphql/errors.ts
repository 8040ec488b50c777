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
