import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { pinoHttp } from 'pino-http';

type Url = IncomingMessage & { originalUrl?: string };

/**
 * One line per API request (method, url, status, time); headers stay out (they carry tokens) and the
 * health probe is not logged. Plain pino-http: no per-request async context, whose promise hooks would
 * tax every promise of the socket traffic too (Node 20's AsyncLocalStorage).
 */
export function requestLogger(logger: Logger): (req: IncomingMessage, res: ServerResponse, next: () => void) => void {
  return pinoHttp({
    logger,
    autoLogging: { ignore: (req: Url) => (req.originalUrl ?? req.url) === '/api/health' },
    serializers: {
      req: (req: { id: unknown; method: string; url: string }) => ({ id: req.id, method: req.method, url: req.url }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
    },
  });
}
