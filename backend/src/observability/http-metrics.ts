import type { IncomingMessage, ServerResponse } from 'node:http';
import type { HubMetrics } from './hub-metrics';

type RoutedRequest = IncomingMessage & { route?: { path?: string } };

/**
 * REST requests by method, route template (`/api/agents/:id`, never the raw URL, whose ids and scans
 * would explode the series) and status, with their latency. Unmatched paths share one 'unmatched' label.
 */
export function httpMetrics(metrics: HubMetrics): (req: IncomingMessage, res: ServerResponse, next: () => void) => void {
  return (req, res, next) => {
    if (!metrics.enabled) return next();
    const startedAt = performance.now();
    res.once('finish', () => {
      const path = (req as RoutedRequest).route?.path;
      const route = typeof path === 'string' ? path : 'unmatched';
      const method = req.method ?? 'GET';
      metrics.httpRequests.labels(method, route, String(res.statusCode)).inc();
      metrics.httpSeconds.labels(method, route).observe((performance.now() - startedAt) / 1000);
    });
    next();
  };
}
