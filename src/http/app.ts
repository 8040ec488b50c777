import type { ApolloServer } from '@apollo/server';
import { expressMiddleware } from '@as-integrations/express5';
import cors from 'cors';
import express, { type ErrorRequestHandler, type Express, type RequestHandler } from 'express';
import type { Logger } from 'pino';
import { UnauthenticatedError, type Principal } from '../auth/principal';
import { DeadlineExceededError, Neo4jUnavailableError, withDeadline } from '../db/neo4j-client';
import { createContext, type Context, type RequestRecord, type Services } from '../graphql/context';
import { errorBody, TIMEOUT_MESSAGE, UNAVAILABLE_MESSAGE } from '../graphql/errors';
import type { Limits } from '../graphql/limits';
import { answerTimeoutAtDeadline } from './deadline';
import { mountDossier } from './dossier.route';
import { mountExplorer } from './explorer.route';
import { GraphSnapshotCache, type VersionProbe } from '../trace/graph-snapshot';
import { readiness } from './health';
import type { Metrics } from './metrics';

export interface HttpOptions extends Pick<Limits, 'maxBodyBytes' | 'allowBatching' | 'requestTimeoutMs'> {
  /** Origins allowed cross-origin browser access to /graphql (LABORTRACE_CORS_ORIGINS); none when empty. */
  corsOrigins: string[];
}

/** What a /graphql request carries from one middleware to the next. */
interface GraphQLLocals {
  record: RequestRecord;
  deadline: number;
  principal?: Principal;
  /** The graph version, read as the request arrived (probeVersion). */
  probe?: VersionProbe;
}

const locals = (res: { locals: Record<string, unknown> }) => res.locals as unknown as GraphQLLocals;

/**
 * The HTTP routes: /graphql (CORS, credential, body limit, no batches unless enabled, the request deadline, then
 * Apollo), /health/live, /health/ready, /metrics, the customs dossier (GET /dossier/<itemId>.html|.pdf), the
 * explorer (GET / and /assets); everything else, and every error, answered as JSON without internals.
 */
export function mountRoutes(app: Express, apollo: ApolloServer<Context>, services: Services, metrics: Metrics, logger: Logger, opts: HttpOptions): void {
  app.disable('x-powered-by');

  app.get('/health/live', (_req, res) => {
    res.json({ status: 'live' });
  });
  app.get('/health/ready', async (_req, res) => {
    const state = await readiness(services.client);
    res.status(state.status === 'ready' ? 200 : 503).json(state);
  });
  app.get('/metrics', async (_req, res) => {
    res.type(metrics.registry.contentType).send(await metrics.metrics());
  });

  const track: RequestHandler = (req, res, next) => {
    const started = process.hrtime.bigint();
    const l = locals(res);
    l.record = {};
    l.deadline = Date.now() + opts.requestTimeoutMs;
    res.once('close', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const outcome = l.record.outcome ?? (res.statusCode < 400 ? 'ok' : `HTTP_${res.statusCode}`);
      const bodyName = (req.body as { operationName?: unknown } | undefined)?.operationName;
      const operation = l.record.operationName ?? (typeof bodyName === 'string' ? bodyName : undefined);
      metrics.request(operation, outcome, seconds);
      logger.info({
        actor: l.record.actor ?? null, operation: operation === '' ? '(anonymous)' : operation ?? null, durationMs: Math.round(seconds * 10_000) / 10,
        outcome, status: res.statusCode, method: req.method, path: req.originalUrl.split('?')[0],
      }, 'request');
    });
    next();
  };

  const authenticate: RequestHandler = async (req, res, next) => {
    const l = locals(res);
    try {
      l.principal = await withDeadline(l.deadline, () => services.authenticator.authenticate(req.headers.authorization));
      l.record.actor = l.principal.actor;
    } catch (e) {
      if (!(e instanceof UnauthenticatedError)) throw e;
      l.record.outcome = 'UNAUTHENTICATED';
      res.status(401).set('WWW-Authenticate', 'Bearer').json(errorBody('UNAUTHENTICATED', e.message || 'a valid credential is required'));
      return;
    }
    next();
  };

  // the graph version every trace needs, read while the credential is checked rather than after it
  const probeVersion: RequestHandler = (_req, res, next) => {
    const l = locals(res);
    l.probe = withDeadline(l.deadline, () => services.trace.snapshots.probeVersion());
    next();
  };

  const refuseBatches: RequestHandler = (req, res, next) => {
    if (!('body' in req)) (req as { body?: unknown }).body = undefined; // not JSON: Apollo answers it
    if (Array.isArray(req.body) && !opts.allowBatching) {
      locals(res).record.outcome = 'QUERY_TOO_COMPLEX';
      res.status(400).json(errorBody('QUERY_TOO_COMPLEX', 'batched (array) requests are disabled (LABORTRACE_ALLOW_BATCHING=1 enables them)'));
      return;
    }
    next();
  };

  const apolloHandler = expressMiddleware(apollo, {
    context: async ({ res }) => {
      const l = locals(res);
      if (!l.principal) throw new Error('a /graphql request reached Apollo without a principal');
      return createContext(services, l.principal, l.deadline, l.record);
    },
  });

  /** Runs Apollo within the deadline; if nothing has been answered when it passes, answers 504 TIMEOUT itself. */
  const execute: RequestHandler = (req, res, next) => {
    const l = locals(res);
    answerTimeoutAtDeadline(res, l.record, l.deadline);
    return withDeadline(l.deadline, () => GraphSnapshotCache.withProbe(l.probe, () => apolloHandler(req, res, next)));
  };

  const corsOptions: cors.CorsOptions = {
    origin: opts.corsOrigins.length > 0 ? opts.corsOrigins : false,
    methods: ['GET', 'POST'],
    allowedHeaders: ['content-type', 'authorization', 'apollo-require-preflight', 'x-apollo-operation-name'],
    maxAge: 600,
  };
  app.use('/graphql', track, cors(corsOptions), probeVersion, authenticate, express.json({ limit: opts.maxBodyBytes }), refuseBatches, execute);

  // the customs dossier: same request log, credential and deadline as /graphql (docs/dossier.md)
  mountDossier(app, { services, track, authenticate });

  mountExplorer(app);

  app.use((_req, res) => {
    res.status(404).json(errorBody('NOT_FOUND', 'no such route; the API is at /graphql, the explorer at /'));
  });

  const errors: ErrorRequestHandler = (err, _req, res, _next) => {
    if (res.headersSent) return; // a late write after the deadline's 504: nothing more to say
    const [status, code, message] = describe(err, opts.maxBodyBytes);
    if (status === 500) logger.error({ err }, 'internal error');
    const l = locals(res);
    if (l.record) l.record.outcome = code;
    res.status(status).json(errorBody(code, message));
  };
  app.use(errors);
}

/** Status, code and message of an error raised outside GraphQL execution; internals never leave the server. */
function describe(err: unknown, maxBodyBytes: number): [number, string, string] {
  const e = err as { type?: unknown; status?: unknown; expose?: unknown; message?: unknown };
  if (e?.type === 'entity.too.large') return [413, 'QUERY_TOO_COMPLEX', `the request body is larger than ${maxBodyBytes} bytes (LABORTRACE_MAX_BODY_BYTES)`];
  if (e?.type === 'entity.parse.failed') return [400, 'BAD_REQUEST', 'the request body is not valid JSON'];
  if (err instanceof Neo4jUnavailableError) return [503, 'SERVICE_UNAVAILABLE', UNAVAILABLE_MESSAGE];
  if (err instanceof DeadlineExceededError) return [504, 'TIMEOUT', TIMEOUT_MESSAGE];
  if (typeof e?.status === 'number' && e.status >= 400 && e.status < 500 && e.expose === true && typeof e.message === 'string') {
    return [e.status, 'BAD_REQUEST', e.message];
  }
  return [500, 'INTERNAL_SERVER_ERROR', 'Internal server error'];
}
