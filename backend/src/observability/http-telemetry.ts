import type { IncomingMessage, ServerResponse } from 'node:http';
import type { HubMetrics } from './hub-metrics';
import { endSpan, SpanKind, type HubTracer } from './hub-tracer';

type RoutedRequest = IncomingMessage & { route?: { path?: string } };

/**
 * REST requests by method, route template (`/api/agents/:id`, never the raw URL, whose ids and scans
 * would explode the series) and status, with their latency; and a SERVER span per request when tracing
 * is on. Unmatched paths share one 'unmatched' route.
 */
export function httpTelemetry(
  metrics: HubMetrics,
  tracer: HubTracer,
): (req: IncomingMessage, res: ServerResponse, next: () => void) => void {
  return (req, res, next) => {
    if (!metrics.enabled && !tracer.enabled) return next();
    const startedAt = performance.now();
    const method = req.method ?? 'GET';
    const span = tracer.start(`${method} /api`, {
      kind: SpanKind.SERVER,
      attributes: { 'http.request.method': method },
    });
    res.once('finish', () => {
      const path = (req as RoutedRequest).route?.path;
      const route = typeof path === 'string' ? path : 'unmatched';
      if (metrics.enabled) {
        metrics.httpRequests.labels(method, route, String(res.statusCode)).inc();
        metrics.httpSeconds.labels(method, route).observe((performance.now() - startedAt) / 1000);
      }
      if (span) {
        span.updateName(`${method} ${route}`);
        span.setAttributes({ 'http.route': route, 'http.response.status_code': res.statusCode });
        endSpan(span, res.statusCode >= 500 ? `HTTP ${res.statusCode}` : undefined);
      }
    });
    next();
  };
}
