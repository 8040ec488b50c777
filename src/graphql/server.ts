import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { createContext, type Context, type Services } from './context';
import { graphqlSchema } from './schema';
import { TraceTooComplexError } from '../trace/trace.engine';

const CLIENT_CODES = new Set([
  'BAD_USER_INPUT', 'NOT_FOUND', 'GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED', 'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_FOUND', 'PERSISTED_QUERY_NOT_SUPPORTED', 'OPERATION_RESOLUTION_FAILURE',
]);

/** Client errors keep their message; anything else is logged to stderr and answered without internals. */
export function formatError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  // A bad literal argument (an impossible Date, say) fails validation; the scalar's own error says why.
  const cause = error instanceof GraphQLError ? error.originalError : undefined;
  if (cause instanceof GraphQLError && cause.extensions?.code === 'BAD_USER_INPUT') {
    return { ...formatted, extensions: { ...cause.extensions } };
  }
  if (cause instanceof TraceTooComplexError) {
    return { message: cause.message, path: formatted.path, locations: formatted.locations, extensions: { code: 'TRACE_TOO_COMPLEX' } };
  }
  const code = formatted.extensions?.code as string | undefined;
  if (code && CLIENT_CODES.has(code)) return formatted;
  const original = error instanceof GraphQLError ? error.originalError ?? error : error;
  process.stderr.write(`labortrace: internal error at ${formatted.path?.join('.') ?? '(request)'}: ${(original as Error)?.stack ?? original}\n`);
  return { message: 'Internal server error', path: formatted.path, locations: formatted.locations, extensions: { code: 'INTERNAL_SERVER_ERROR' } };
}

export function createApolloServer(): ApolloServer<Context> {
  return new ApolloServer<Context>({
    schema: graphqlSchema(),
    includeStacktraceInErrorResponses: false,
    formatError,
  });
}

export interface RunningServer {
  url: string;
  stop(): Promise<void>;
}

export async function startServer(services: Services, port: number, host: string): Promise<RunningServer> {
  const server = createApolloServer();
  const { url } = await startStandaloneServer(server, {
    listen: { port, host },
    context: async () => createContext(services),
  });
  return { url: url.replace(/\/$/, '') + '/graphql', stop: () => server.stop() };
}
