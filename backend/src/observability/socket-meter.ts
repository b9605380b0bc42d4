import type { Gauge } from 'prom-client';
import type { CounterCell, HistogramCell } from './hot-series';
import type { HubMetrics } from './hub-metrics';
import { SpanKind, type HubTracer, type Span } from './hub-tracer';
import { Labelled } from './labelled';

/**
 * What the gateway records per socket and per event. One instance per app, reached from every socket's
 * `data.meter`, so handleEvent (a plain function) records without a lookup in Nest's container.
 */
export class SocketMeter {
  private readonly kinds: Labelled<Gauge.Internal<'kind'>>;
  private readonly outcomes: Labelled<Labelled<CounterCell>>;
  private readonly acks: Labelled<HistogramCell>;

  constructor(
    private readonly metrics: HubMetrics,
    private readonly tracer: HubTracer,
  ) {
    this.kinds = new Labelled((kind) => metrics.socketsConnected.labels(kind));
    this.outcomes = new Labelled((event) => new Labelled((outcome) => metrics.socketEvents.cell(event, outcome)));
    this.acks = new Labelled((event) => metrics.ackSeconds.cell(event));
    // Every kind reads 0 before its first socket, so a graph starts at zero instead of appearing later.
    for (const kind of ['ADMIN', 'MEMBER', 'AGENT']) this.kinds.of(kind).set(0);
  }

  /** Whether handleEvent should take the time (metrics or tracing on). */
  get enabled(): boolean {
    return this.metrics.enabled || this.tracer.enabled;
  }

  /** A span for one client event, when tracing is on. */
  span(event: string): Span | undefined {
    return this.tracer.enabled
      ? this.tracer.start(`socket ${event}`, { kind: SpanKind.SERVER, attributes: { 'socket.event': event } })
      : undefined;
  }

  connected(kind: string, delta: 1 | -1): void {
    if (this.metrics.enabled) this.kinds.of(kind).inc(delta);
  }

  /** One client event answered: `outcome` is 'ok' or the protocol's error code; `startedAt` from performance.now(). */
  event(event: string, outcome: string, startedAt: number): void {
    if (!this.metrics.enabled) return;
    this.outcomes.of(event).of(outcome).inc();
    this.acks.of(event).observe((performance.now() - startedAt) / 1000);
  }
}
