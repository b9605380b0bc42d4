import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { HubMetrics } from './hub-metrics';

const digest = (text: string) => createHash('sha256').update(text).digest();

/**
 * GET /metrics in Prometheus text format. With a token, only `Authorization: Bearer <token>` gets the
 * text (compared in constant time); everyone else a 401 that says nothing about the hub. Without a token
 * the handler is only mounted on the loopback metrics port (metrics-server.ts).
 */
export function metricsHandler(
  metrics: HubMetrics,
  token: string | null,
): (req: IncomingMessage, res: ServerResponse) => void {
  const expected = token === null ? null : digest(`Bearer ${token}`);
  return (req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    if (expected && !timingSafeEqual(digest(req.headers.authorization ?? ''), expected)) {
      res
        .writeHead(401, { 'content-type': 'text/plain; charset=utf-8', 'www-authenticate': 'Bearer realm="metrics"' })
        .end('Unauthorized\n');
      return;
    }
    metrics.scrape().then(
      (text) => {
        res.writeHead(200, { 'content-type': metrics.registry.contentType, 'cache-control': 'no-store' });
        res.end(req.method === 'HEAD' ? undefined : text);
      },
      () => res.writeHead(500).end(),
    );
  };
}
