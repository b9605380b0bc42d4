import type { Counter, Histogram } from 'prom-client';
import { TOOL_NAMES } from '../butler/tools/tool-definitions';
import type { HubMetrics } from './hub-metrics';
import { knownOr, Labelled } from './labelled';

export type TurnOutcome = 'ok' | 'error' | 'over_budget';

const TOOLS = new Set<string>(TOOL_NAMES);

/** What a Butler turn records: the turn, each model call (latency, tokens) and each tool call. */
export class ButlerMeter {
  private readonly turns: Labelled<Labelled<Counter.Internal>>;
  private readonly turnSeconds: Labelled<Histogram.Internal<'brain'>>;
  private readonly modelSeconds: Labelled<Labelled<Histogram.Internal<'model' | 'outcome'>>>;
  private readonly tools: Labelled<Labelled<Counter.Internal>>;
  private readonly tokens: Labelled<Labelled<Counter.Internal>>;

  constructor(private readonly metrics: HubMetrics) {
    this.turns = new Labelled((brain) => new Labelled((outcome) => metrics.butlerTurns.labels(brain, outcome)));
    this.turnSeconds = new Labelled((brain) => metrics.butlerTurnSeconds.labels(brain));
    this.modelSeconds = new Labelled(
      (model) => new Labelled((outcome) => metrics.modelCallSeconds.labels(model, outcome)),
    );
    this.tools = new Labelled((tool) => new Labelled((outcome) => metrics.toolCalls.labels(tool, outcome)));
    this.tokens = new Labelled((model) => new Labelled((direction) => metrics.tokens.labels(model, direction)));
  }

  turn(brain: string, outcome: TurnOutcome, seconds: number): void {
    if (!this.metrics.enabled) return;
    this.turns.of(brain).of(outcome).inc();
    this.turnSeconds.of(brain).observe(seconds);
  }

  modelCall(
    model: string,
    ok: boolean,
    seconds: number,
    usage: { promptTokens: number; completionTokens: number } | null,
  ): void {
    if (!this.metrics.enabled) return;
    this.modelSeconds
      .of(model)
      .of(ok ? 'ok' : 'error')
      .observe(seconds);
    if (!usage) return;
    this.tokens.of(model).of('in').inc(usage.promptTokens);
    this.tokens.of(model).of('out').inc(usage.completionTokens);
  }

  /** `tool` is the model's choice: names we do not offer count as 'other'. */
  toolCall(tool: string, ok: boolean): void {
    if (this.metrics.enabled)
      this.tools
        .of(knownOr(tool, TOOLS))
        .of(ok ? 'ok' : 'error')
        .inc();
  }
}
