import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { pinoHttp } from 'pino-http';

type Url = IncomingMessage & { originalUrl?: string };

/** A URL as it may be logged: a `token` query parameter (plain WebSocket agents send one) never is. */
export function loggableUrl(url: string): string {
  return url.replace(/([?&]token=)[^&#]*/gi, '$1[redacted]');
}

/**
 * One line per API request (method, url, status, time); headers and `?token=` stay out (they carry tokens) and the
 * health probe is not logged. Plain pino-http: no per-request async context, whose promise hooks would
 * tax every promise of the socket traffic too (Node 20's AsyncLocalStorage).
 */
export function requestLogger(
  logger: Logger,
  opts: { successLevel?: 'info' | 'debug' } = {},
): (req: IncomingMessage, res: ServerResponse, next: () => void) => void {
  const successLevel = opts.successLevel ?? 'info';
  return pinoHttp({
    logger,
    // In a terminal a line per agent report or console poll buries what matters; failures always show.
    customLogLevel: (_req, res, err) =>
      err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'info' : successLevel,
    autoLogging: { ignore: (req: Url) => (req.originalUrl ?? req.url) === '/api/health' },
    serializers: {
      req: (req: { id: unknown; method: string; url: string }) => ({
        id: req.id,
        method: req.method,
        url: loggableUrl(req.url),
      }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
    },
  });
}
