import type { Counter, Gauge, Histogram } from 'prom-client';
import type { HubMetrics } from './hub-metrics';
import { Labelled } from './labelled';

type Inc = Counter.Internal;

/**
 * What the gateway records per socket and per event. One instance per app, reached from every socket's
 * `data.meter`, so handleEvent (a plain function) records without a lookup in Nest's container.
 */
export class SocketMeter {
  private readonly kinds: Labelled<Gauge.Internal<'kind'>>;
  private readonly outcomes: Labelled<Labelled<Inc>>;
  private readonly acks: Labelled<Histogram.Internal<'event'>>;

  constructor(private readonly metrics: HubMetrics) {
    this.kinds = new Labelled((kind) => metrics.socketsConnected.labels(kind));
    this.outcomes = new Labelled((event) => new Labelled((outcome) => metrics.socketEvents.labels(event, outcome)));
    this.acks = new Labelled((event) => metrics.ackSeconds.labels(event));
    // Every kind reads 0 before its first socket, so a graph starts at zero instead of appearing later.
    for (const kind of ['ADMIN', 'MEMBER', 'AGENT']) this.kinds.of(kind).set(0);
  }

  get enabled(): boolean {
    return this.metrics.enabled;
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
