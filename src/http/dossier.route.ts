import type { Express, Request, RequestHandler, Response } from 'express';
import type { Principal } from '../auth/principal';
import { withDeadline } from '../db/neo4j-client';
import { renderDossierHtml } from '../dossier/dossier.html';
import { renderDossierPdf } from '../dossier/dossier.pdf';
import { isPaper, PAPERS } from '../dossier/dossier.sections';
import { DossierForbiddenError, DossierInputError, DossierNotFoundError, DossierQueryError, gatherDossier } from '../dossier/dossier.service';
import type { RequestRecord, Services } from '../graphql/context';
import { errorBody } from '../graphql/errors';
import { answerTimeoutAtDeadline } from './deadline';

/** What `track` and `authenticate` (app.ts) leave in res.locals for the handlers after them. */
interface DossierLocals {
  record: RequestRecord;
  deadline: number;
  principal?: Principal;
}

/** Status of each refusal the dossier can answer with (the body is errorBody(code, message), as everywhere). */
const STATUS_OF_CODE: Record<string, number> = {
  BAD_USER_INPUT: 400, FORBIDDEN: 403, NOT_FOUND: 404, CONFLICT: 409, TRACE_TOO_COMPLEX: 422, BOM_CYCLE: 422, TIMEOUT: 504, SERVICE_UNAVAILABLE: 503,
};

export interface DossierRouteOptions {
  services: Omit<Services, 'authenticator'>;
  /** app.ts's request log and metrics, then the credential: the same as /graphql */
  track: RequestHandler;
  authenticate: RequestHandler;
}

function refuse(res: Response, code: string, message: string): void {
  (res.locals as unknown as DossierLocals).record.outcome = code;
  res.status(STATUS_OF_CODE[code] ?? 500).json(errorBody(code, message));
}

/** One query parameter as a string; a repeated or nested one is refused. */
function parameter(req: Request, name: string): string | undefined {
  const value = (req.query as Record<string, unknown>)[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw new DossierInputError(`${name}: give it once, as text`, name);
  return value;
}

/**
 * GET /dossier/<itemId>.html and /dossier/<itemId>.pdf (?asOf=YYYY-MM-DD&knownAt=INSTANT&paper=a4|letter): the
 * customs dossier (docs/dossier.md), behind the same credential check and request deadline as /graphql; analyst and
 * above (FORBIDDEN otherwise), an unknown item 404, errors as JSON.
 */
export function mountDossier(app: Express, opts: DossierRouteOptions): void {
  const handler: RequestHandler = async (req, res, next) => {
    const l = res.locals as unknown as DossierLocals;
    l.record.operationName = 'dossier';
    const match = /^(.+)\.(pdf|html)$/.exec(String(req.params.file));
    if (!match) {
      refuse(res, 'NOT_FOUND', 'a dossier is /dossier/<itemId>.html or /dossier/<itemId>.pdf');
      return;
    }
    const [, itemId, format] = match;
    answerTimeoutAtDeadline(res, l.record, l.deadline);
    try {
      const paper = parameter(req, 'paper') ?? 'a4';
      if (!isPaper(paper)) throw new DossierInputError(`paper: '${paper}' is not one of ${PAPERS.join(', ')}`, 'paper');
      const dossier = await withDeadline(l.deadline, () => gatherDossier(opts.services, l.principal!, {
        itemId, asOf: parameter(req, 'asOf'), knownAt: parameter(req, 'knownAt'),
      }, { deadline: l.deadline }));
      const body = format === 'pdf' ? await renderDossierPdf(dossier, paper) : renderDossierHtml(dossier, paper);
      if (res.headersSent) return; // the deadline answered first
      l.record.outcome = 'ok';
      const filename = `dossier-${itemId.replace(/[^A-Za-z0-9._-]/g, '_')}.${format}`;
      res.set('Cache-Control', 'no-store'); // paths and evidence: never kept by a shared cache
      res.set('X-Content-Type-Options', 'nosniff');
      res.set('Content-Disposition', `inline; filename="${filename}"`);
      if (format === 'pdf') {
        res.type('application/pdf').send(body);
      } else {
        // self-contained: inline styles only, no script, nothing fetched
        res.set('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'");
        res.type('text/html; charset=utf-8').send(body);
      }
    } catch (e) {
      if (res.headersSent) return;
      if (e instanceof DossierInputError || e instanceof DossierForbiddenError || e instanceof DossierNotFoundError || e instanceof DossierQueryError) {
        refuse(res, e.code, e.message);
        return;
      }
      next(e); // a database out of reach, a passed deadline, an internal error: the app's error handler answers
    }
  };
  app.get('/dossier/:file', opts.track, opts.authenticate, handler);
}
