import type { Counter, Histogram } from 'prom-client';
import type { HistogramCell } from './hot-series';
import type { HubMetrics } from './hub-metrics';
import { Labelled } from './labelled';

/** Chat group commits: how many rows each carried and how long it took. */
export class ChatCommitMeter {
  private readonly sizes: HistogramCell;
  private readonly seconds: HistogramCell;

  constructor(private readonly metrics: HubMetrics) {
    this.sizes = metrics.chatBatchSize.cell();
    this.seconds = metrics.chatCommitSeconds.cell();
  }

  batch(size: number, seconds: number): void {
    if (!this.metrics.enabled) return;
    this.sizes.observe(size);
    this.seconds.observe(seconds);
  }
}

/** Approvals opened and decided (by channel and outcome), and how long the decision took. */
export class ApprovalMeter {
  private readonly decided: Labelled<Labelled<Counter.Internal>>;
  private readonly waited: Labelled<Histogram.Internal<'outcome'>>;

  constructor(private readonly metrics: HubMetrics) {
    this.decided = new Labelled(
      (channel) => new Labelled((outcome) => metrics.approvalsDecided.labels(channel, outcome)),
    );
    this.waited = new Labelled((outcome) => metrics.approvalDecisionSeconds.labels(outcome));
  }

  created(): void {
    if (this.metrics.enabled) this.metrics.approvalsCreated.inc();
  }

  decidedAfter(channel: string, outcome: string, seconds: number): void {
    if (!this.metrics.enabled) return;
    this.decided.of(channel).of(outcome).inc();
    this.waited.of(outcome).observe(seconds);
  }
}

/** Agent commands that ended, by status, and their duration. */
export class CommandMeter {
  private readonly ended: Labelled<Counter.Internal>;
  private readonly took: Labelled<Histogram.Internal<'status'>>;

  constructor(private readonly metrics: HubMetrics) {
    this.ended = new Labelled((status) => metrics.commands.labels(status));
    this.took = new Labelled((status) => metrics.commandSeconds.labels(status));
  }

  finished(status: string, seconds: number): void {
    if (!this.metrics.enabled) return;
    this.ended.of(status).inc();
    this.took.of(status).observe(seconds);
  }
}
