import pino, { type DestinationStream, type Logger } from 'pino';

/**
 * The JSON log on stderr: one line per request (time, actor, operation name, duration, outcome, status) and one per
 * internal error. Never a header, a query, its variables or a credential.
 */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'labortrace' },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    destination ?? pino.destination({ dest: 2, sync: true }),
  );
}
