export interface Figures {
  requests: number;
  throughput: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  const rank = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, rank)];
}

/** Throughput and latency percentiles of the requests that started inside the measuring window. */
export function figures(latencies: number[], windowMs: number): Figures {
  const sorted = [...latencies].sort((a, b) => a - b);
  return {
    requests: sorted.length,
    throughput: sorted.length / (windowMs / 1000),
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: sorted[sorted.length - 1] ?? NaN,
  };
}

/** Figures of the samples sent in [fromMs, fromMs + windowMs) (wall-clock send times). */
export function windowFigures(
  samples: { sentAt: number; latencyMs: number }[],
  fromMs: number,
  windowMs: number,
): Figures {
  return figures(
    samples.filter((s) => s.sentAt >= fromMs && s.sentAt < fromMs + windowMs).map((s) => s.latencyMs),
    windowMs,
  );
}

/**
 * When loop `i` of `n` starts: evenly spread over one model latency, as independent people would. Started
 * in the same millisecond, a closed loop with a fixed model latency keeps all N requests in one clump
 * forever, and the figures would measure that clump instead of the hub.
 */
export const spreadStart = (i: number, n: number, latencyMs: number) => (i * latencyMs) / n;
