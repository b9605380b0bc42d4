import { Inject, Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import { HotCounter, HotHistogram } from './hot-series';

const PREFIX = 'echocenter_';
/** Seconds; from a sub-millisecond ack to a slow model answer. */
const FAST_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];
const SLOW_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];
const DECISION_BUCKETS = [1, 5, 15, 30, 60, 120, 300, 900, 1800, 3600, 86400];

/**
 * Every Prometheus series the hub exports, in one registry per app (two nodes in one test process stay
 * apart), every series labelled with the node's name. Features do not touch these directly: they record
 * through the small meters (socket-meter.ts, butler-meter.ts, …) that keep label children pre-bound.
 * When metrics are off (`enabled` false) the meters return before touching anything.
 */
@Injectable()
export class HubMetrics {
  readonly enabled: boolean;
  readonly registry = new Registry();

  readonly socketsConnected: Gauge<'kind'>;
  // The hot path's series: plain-number cells read at scrape (hot-series.ts).
  readonly socketEvents: HotCounter;
  readonly ackSeconds: HotHistogram;
  readonly chatBatchSize: HotHistogram;
  readonly chatCommitSeconds: HotHistogram;
  readonly dbErrors: Counter<'kind'>;
  readonly httpRequests: Counter<'method' | 'route' | 'status'>;
  readonly httpSeconds: Histogram<'method' | 'route'>;
  readonly butlerTurns: Counter<'brain' | 'outcome'>;
  readonly butlerTurnSeconds: Histogram<'brain'>;
  readonly modelCallSeconds: Histogram<'model' | 'outcome'>;
  readonly toolCalls: Counter<'tool' | 'outcome'>;
  readonly tokens: Counter<'model' | 'direction'>;
  readonly approvalsCreated: Counter;
  readonly approvalsDecided: Counter<'channel' | 'outcome'>;
  readonly approvalDecisionSeconds: Histogram<'outcome'>;
  readonly approvalsPending: Gauge;
  readonly commands: Counter<'status'>;
  readonly commandSeconds: Histogram<'status'>;
  readonly redisConnected: Gauge;

  private pendingSource: (() => Promise<number>) | null = null;
  private redisSource: (() => boolean) | null = null;

  /** The approvals feature tells how to count pending approvals (read only when scraped). */
  countPendingWith(source: () => Promise<number>): void {
    this.pendingSource = source;
  }

  /** The socket adapter tells whether its Redis clients are ready. */
  redisReadyWith(source: () => boolean): void {
    this.redisSource = source;
  }

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.enabled = config.metrics.enabled;
    const registers = [this.registry];
    this.registry.setDefaultLabels({ node: config.metrics.node });
    // Process, heap, event-loop lag (nodejs_eventloop_lag_*) and GC (nodejs_gc_duration_seconds).
    if (this.enabled) collectDefaultMetrics({ register: this.registry });

    this.socketsConnected = new Gauge({
      name: `${PREFIX}sockets_connected`,
      help: 'Sockets connected to this node, by actor kind',
      labelNames: ['kind'],
      registers,
    });
    this.socketEvents = new HotCounter(
      this.registry,
      `${PREFIX}socket_events_total`,
      'Client socket events handled, by event and outcome (ok or the error code)',
      ['event', 'outcome'],
    );
    this.ackSeconds = new HotHistogram(
      this.registry,
      `${PREFIX}socket_ack_seconds`,
      'From a client event to its ack',
      ['event'],
      FAST_BUCKETS,
    );
    this.chatBatchSize = new HotHistogram(
      this.registry,
      `${PREFIX}chat_commit_batch_size`,
      'Chat messages per group commit',
      [],
      [1, 2, 5, 10, 20, 50, 100, 200, 500],
    );
    this.chatCommitSeconds = new HotHistogram(
      this.registry,
      `${PREFIX}chat_commit_seconds`,
      'Time to commit one chat batch',
      [],
      FAST_BUCKETS,
    );
    this.dbErrors = new Counter({
      name: `${PREFIX}db_errors_total`,
      help: 'Failed database queries, by kind (unavailable, deadlock, duplicate, other)',
      labelNames: ['kind'],
      registers,
    });
    this.httpRequests = new Counter({
      name: `${PREFIX}http_requests_total`,
      help: 'REST requests, by method, route template and status',
      labelNames: ['method', 'route', 'status'],
      registers,
    });
    this.httpSeconds = new Histogram({
      name: `${PREFIX}http_request_seconds`,
      help: 'REST request latency, by method and route template',
      labelNames: ['method', 'route'],
      buckets: FAST_BUCKETS,
      registers,
    });
    this.butlerTurns = new Counter({
      name: `${PREFIX}butler_turns_total`,
      help: 'Butler turns, by brain and outcome (ok, error, over_budget)',
      labelNames: ['brain', 'outcome'],
      registers,
    });
    this.butlerTurnSeconds = new Histogram({
      name: `${PREFIX}butler_turn_seconds`,
      help: 'Butler turn latency, from loading the thread to the stored reply',
      labelNames: ['brain'],
      buckets: SLOW_BUCKETS,
      registers,
    });
    this.modelCallSeconds = new Histogram({
      name: `${PREFIX}butler_model_call_seconds`,
      help: 'One model completion, by model and outcome',
      labelNames: ['model', 'outcome'],
      buckets: SLOW_BUCKETS,
      registers,
    });
    this.toolCalls = new Counter({
      name: `${PREFIX}butler_tool_calls_total`,
      help: 'Butler tool calls, by tool and outcome (ok or error)',
      labelNames: ['tool', 'outcome'],
      registers,
    });
    this.tokens = new Counter({
      name: `${PREFIX}butler_tokens_total`,
      help: 'Model tokens, by model and direction (in = prompt, out = completion)',
      labelNames: ['model', 'direction'],
      registers,
    });
    this.approvalsCreated = new Counter({
      name: `${PREFIX}approvals_created_total`,
      help: 'Approvals opened',
      registers,
    });
    this.approvalsDecided = new Counter({
      name: `${PREFIX}approvals_decided_total`,
      help: 'Approvals that left PENDING, by decision channel and outcome',
      labelNames: ['channel', 'outcome'],
      registers,
    });
    this.approvalDecisionSeconds = new Histogram({
      name: `${PREFIX}approval_decision_seconds`,
      help: 'From an approval opening to its decision',
      labelNames: ['outcome'],
      buckets: DECISION_BUCKETS,
      registers,
    });
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- prom-client calls collect() with the gauge as `this`
    const metrics = this;
    this.approvalsPending = new Gauge({
      name: `${PREFIX}approvals_pending`,
      help: 'Approvals waiting for a decision (the whole hub, read from the database at scrape)',
      registers,
      async collect() {
        if (metrics.pendingSource) this.set(await metrics.pendingSource().catch(() => NaN));
      },
    });
    this.commands = new Counter({
      name: `${PREFIX}commands_total`,
      help: 'Agent commands that ended, by status',
      labelNames: ['status'],
      registers,
    });
    this.commandSeconds = new Histogram({
      name: `${PREFIX}command_seconds`,
      help: 'From a command being sent to its end, by status',
      labelNames: ['status'],
      buckets: SLOW_BUCKETS,
      registers,
    });
    this.redisConnected = new Gauge({
      name: `${PREFIX}redis_adapter_connected`,
      help: '1 while both Redis adapter clients are ready, else 0 (always 0 without REDIS_URL)',
      registers,
      collect() {
        this.set(metrics.redisSource?.() ? 1 : 0);
      },
    });
  }

  /** The exposition text (Prometheus text format 0.0.4). */
  scrape(): Promise<string> {
    return this.registry.metrics();
  }
}
