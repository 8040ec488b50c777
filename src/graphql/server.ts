import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import express from 'express';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import type { DestinationStream, Logger } from 'pino';
import { loadConfig, type Config } from '../config';
import { DeadlineExceededError, Neo4jUnavailableError } from '../db/neo4j-client';
import { mountRoutes } from '../http/app';
import { createLogger } from '../http/logging';
import { Metrics } from '../http/metrics';
import { BomCycleError } from '../trace/engine/trace.engine';
import { TraceTooComplexError } from '../trace/engine/work-budget';
import { GraphChangedError } from '../trace/trace.service';
import { ImportInProgressError } from '../changes/staging';
import { localAuthenticator, type Context, type Services } from './context';
import { TIMEOUT_MESSAGE, UNAVAILABLE_MESSAGE } from './errors';
import { limitOptions, tokenLimitOf, type Limits } from './limits';
import { graphqlSchema } from './schema';

/** Codes answered as they are, message included; anything else is an internal error. */
const CLIENT_CODES = new Set([
  'BAD_USER_INPUT', 'NOT_FOUND', 'GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED', 'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_FOUND', 'PERSISTED_QUERY_NOT_SUPPORTED', 'OPERATION_RESOLUTION_FAILURE',
  'QUERY_TOO_COMPLEX', 'TIMEOUT', 'SERVICE_UNAVAILABLE', 'UNAUTHENTICATED', 'FORBIDDEN', 'TRACE_TOO_COMPLEX', 'CONFLICT', 'STALE_CURSOR',
]);

/** Codes of a cause (a scalar's parse error, a graphql-armor rejection) that replace the wrapper's validation code. */
const CAUSE_CODES = new Set(['BAD_USER_INPUT', 'QUERY_TOO_COMPLEX']);

type InternalErrorLog = (path: string, error: unknown) => void;

const stderrLog: InternalErrorLog = (path, error) => {
  process.stderr.write(`labortrace: internal error at ${path}: ${(error as Error)?.stack ?? error}\n`);
};

/**
 * Client errors keep their message; a database out of reach is SERVICE_UNAVAILABLE, a deadline passed TIMEOUT;
 * anything else is logged (with its stack, on the server only) and answered without internals.
 */
export function createFormatError(logInternal: InternalErrorLog = stderrLog) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const where = { path: formatted.path, locations: formatted.locations };
    // A bad literal argument (an impossible Date, say) fails validation; the scalar's own error says why.
    const cause = error instanceof GraphQLError ? error.originalError : undefined;
    if (cause instanceof GraphQLError && CAUSE_CODES.has(cause.extensions?.code as string)) {
      const { http: _http, ...extensions } = cause.extensions as Record<string, unknown>;
      return { ...formatted, extensions };
    }
    if (cause instanceof TraceTooComplexError) return { message: cause.message, ...where, extensions: { code: 'TRACE_TOO_COMPLEX' } };
    if (cause instanceof GraphChangedError) return { message: cause.message, ...where, extensions: { code: 'CONFLICT' } };
    if (cause instanceof ImportInProgressError) return { message: cause.message, ...where, extensions: { code: 'CONFLICT' } };
    if (cause instanceof BomCycleError) return { message: cause.message, ...where, extensions: { code: 'BOM_CYCLE', cycle: cause.cycle } };
    if (cause instanceof Neo4jUnavailableError) return { message: UNAVAILABLE_MESSAGE, ...where, extensions: { code: 'SERVICE_UNAVAILABLE' } };
    if (cause instanceof DeadlineExceededError) return { message: TIMEOUT_MESSAGE, ...where, extensions: { code: 'TIMEOUT' } };
    const code = formatted.extensions?.code as string | undefined;
    const tokens = code === 'GRAPHQL_PARSE_FAILED' ? tokenLimitOf(formatted.message) : undefined;
    if (tokens !== undefined) {
      return { message: `Token limit of ${tokens} exceeded: the document has more than ${tokens} tokens.`, extensions: { code: 'QUERY_TOO_COMPLEX' } };
    }
    if (code && CLIENT_CODES.has(code)) {
      const { stacktrace: _stack, ...extensions } = formatted.extensions ?? {};
      return { ...formatted, extensions };
    }
    const original = error instanceof GraphQLError ? error.originalError ?? error : error;
    logInternal(formatted.path?.join('.') ?? '(request)', original);
    return { message: 'Internal server error', ...where, extensions: { code: 'INTERNAL_SERVER_ERROR' } };
  };
}

/** The default formatter: internal errors to stderr. */
export const formatError = createFormatError();

/**
 * Fills in the request's record (operation name, outcome) for the log and the metrics, and answers a request that
 * produced no data because Neo4j is unreachable with HTTP 503 (a passed deadline: 504).
 */
const recordPlugin: ApolloServerPlugin<Context> = {
  async requestDidStart() {
    return {
      async didResolveOperation({ operationName, contextValue }) {
        contextValue.request.operationName = operationName ?? '';
      },
      async willSendResponse({ response, contextValue }) {
        if (response.body.kind !== 'single') return;
        const { errors, data } = response.body.singleResult;
        const code = errors?.[0]?.extensions?.code;
        contextValue.request.outcome = errors && errors.length > 0 ? (typeof code === 'string' ? code : 'ERROR') : 'ok';
        const status = response.http.status;
        if (data == null && (status === undefined || status === 200)) {
          if (code === 'SERVICE_UNAVAILABLE') response.http.status = 503;
          if (code === 'TIMEOUT') response.http.status = 504;
        }
      },
    };
  },
};

export interface ServerOptions extends Limits {
  corsOrigins: string[];
  /** Undefined: on in local mode, off otherwise (LABORTRACE_INTROSPECTION). */
  introspection?: boolean;
  logLevel: string;
  /** Where the JSON log goes; stderr when absent. */
  logDestination?: DestinationStream;
}

function optionsFrom(cfg: Config): ServerOptions {
  const { maxDepth, maxAliases, maxTokens, maxDirectives, maxCost, maxBodyBytes, allowBatching, requestTimeoutMs, corsOrigins, introspection, logLevel } = cfg;
  return { maxDepth, maxAliases, maxTokens, maxDirectives, maxCost, maxBodyBytes, allowBatching, requestTimeoutMs, corsOrigins, introspection, logLevel };
}

/** The Apollo server with the limits; `introspection` on by default only for callers that build one directly. */
export function createApolloServer(
  opts: { limits?: Limits; introspection?: boolean; logger?: Logger; plugins?: ApolloServerPlugin<Context>[] } = {},
): ApolloServer<Context> {
  const limits = opts.limits ?? optionsFrom(loadConfig());
  const introspection = opts.introspection ?? true;
  const schema = graphqlSchema();
  const guard = limitOptions(schema, limits, { blockFieldSuggestions: !introspection });
  const logger = opts.logger;
  return new ApolloServer<Context>({
    schema,
    introspection,
    includeStacktraceInErrorResponses: false,
    formatError: createFormatError(logger ? (path, err) => logger.error({ err, path }, 'internal error') : undefined),
    allowBatchedHttpRequests: limits.allowBatching,
    validationRules: guard.validationRules,
    parseOptions: guard.parseOptions,
    plugins: [...guard.plugins, recordPlugin, ...(opts.plugins ?? [])],
    // The serve command stops the server on SIGINT/SIGTERM itself.
    stopOnTerminationSignals: false,
    ...(logger ? { logger: apolloLogger(logger) } : {}),
  });
}

function apolloLogger(logger: Logger) {
  const child = logger.child({ component: 'apollo' });
  return {
    debug: (m: unknown) => child.debug(String(m)),
    info: (m: unknown) => child.info(String(m)),
    warn: (m: unknown) => child.warn(String(m)),
    error: (m: unknown) => child.error(String(m)),
  };
}

export interface RunningServer {
  url: string;
  stop(): Promise<void>;
}

/**
 * Serves GraphQL at http://host:port/graphql, with /health/live, /health/ready and /metrics beside it. Without an
 * authenticator every request is local mode's admin. Options default to the environment (loadConfig).
 */
export async function startServer(
  services: Omit<Services, 'authenticator'> & { authenticator?: Services['authenticator'] },
  port: number,
  host: string,
  options: Partial<ServerOptions> = {},
): Promise<RunningServer> {
  const opts: ServerOptions = { ...optionsFrom(loadConfig()), ...options };
  const full: Services = { ...services, authenticator: services.authenticator ?? localAuthenticator() };
  const introspection = opts.introspection ?? (await full.authenticator.localMode());
  const logger = createLogger(opts.logLevel, opts.logDestination);
  const app = express();
  const httpServer = createServer(app);
  const apollo = createApolloServer({ limits: opts, introspection, logger, plugins: [ApolloServerPluginDrainHttpServer({ httpServer })] });
  await apollo.start();
  const metrics = new Metrics(full.client, full.trace.snapshots);
  mountRoutes(app, apollo, full, metrics, logger, opts);
  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(port, host, () => {
      httpServer.off('error', reject);
      resolve();
    });
  });
  const address = httpServer.address() as AddressInfo;
  const hostname = address.address === '' || address.address === '::' || address.address === '0.0.0.0' ? 'localhost'
    : address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${hostname}:${address.port}/graphql`,
    stop: async () => {
      await apollo.stop();
      metrics.close();
      logger.flush();
    },
  };
}
