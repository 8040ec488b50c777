import type { Response } from 'express';
import type { RequestRecord } from '../graphql/context';
import { errorBody, TIMEOUT_MESSAGE } from '../graphql/errors';

/** If nothing has been answered when the request's deadline passes, answers 504 TIMEOUT (the request log says so). */
export function answerTimeoutAtDeadline(res: Response, record: RequestRecord, deadline: number): void {
  const timer = setTimeout(() => {
    if (res.headersSent) return;
    record.outcome = 'TIMEOUT';
    res.status(504).json(errorBody('TIMEOUT', TIMEOUT_MESSAGE));
  }, Math.max(0, deadline - Date.now()));
  res.once('close', () => clearTimeout(timer));
}
