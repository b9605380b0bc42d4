import type { Registry } from 'prom-client';

type Labels = Record<string, string>;

interface Sample {
  labels: Labels;
  value: number;
  metricName?: string;
}

/** What prom-client's registry reads from a metric at scrape time (the same shape its own metrics give). */
interface Collected {
  name: string;
  help: string;
  type: 'counter' | 'histogram';
  values: Sample[];
  aggregator: 'sum';
}

/**
 * Series for the hot path (every socket event, every chat batch). prom-client hashes the label set on
 * every `inc`/`observe`, even through `labels()` children (~0.3 µs each, measured); here a series is a
 * cell of plain numbers the caller keeps, and the labels are only read when Prometheus scrapes. The
 * registry sees an ordinary metric (HELP, TYPE, samples, default labels added as for any other).
 */
abstract class HotFamily<C extends { labels: Labels }> {
  protected readonly cells = new Map<string, C>();

  constructor(
    registry: Registry,
    readonly name: string,
    readonly help: string,
    private readonly labelNames: readonly string[],
  ) {
    registry.registerMetric(this as never);
  }

  /** The series for these label values, made on first use; callers keep it (bench: Labelled). */
  cell(...values: string[]): C {
    const key = values.join('\u0000');
    let cell = this.cells.get(key);
    if (!cell) {
      const labels: Labels = {};
      this.labelNames.forEach((n, i) => (labels[n] = values[i]));
      cell = this.make(labels);
      this.cells.set(key, cell);
    }
    return cell;
  }

  protected abstract make(labels: Labels): C;
  abstract get(): Promise<Collected>;
  /** Zeroes every series in place: meters keep their cells. */
  abstract reset(): void;
}

export class CounterCell {
  value = 0;
  constructor(readonly labels: Labels) {}

  inc(by = 1): void {
    this.value += by;
  }
}

export class HotCounter extends HotFamily<CounterCell> {
  protected make(labels: Labels): CounterCell {
    return new CounterCell(labels);
  }

  reset(): void {
    for (const c of this.cells.values()) c.value = 0;
  }

  async get(): Promise<Collected> {
    return {
      name: this.name,
      help: this.help,
      type: 'counter',
      aggregator: 'sum',
      values: [...this.cells.values()].map((c) => ({ labels: c.labels, value: c.value })),
    };
  }
}

export class HistogramCell {
  /** Observations per bucket (not cumulative); the last slot is above every bound. */
  readonly counts: Float64Array;
  sum = 0;
  count = 0;

  constructor(
    readonly labels: Labels,
    private readonly bounds: readonly number[],
  ) {
    this.counts = new Float64Array(bounds.length + 1);
  }

  observe(value: number): void {
    const bounds = this.bounds;
    let i = 0;
    while (i < bounds.length && value > bounds[i]) i++;
    this.counts[i]++;
    this.sum += value;
    this.count++;
  }
}

export class HotHistogram extends HotFamily<HistogramCell> {
  constructor(
    registry: Registry,
    name: string,
    help: string,
    labelNames: readonly string[],
    private readonly bounds: readonly number[],
  ) {
    super(registry, name, help, labelNames);
  }

  protected make(labels: Labels): HistogramCell {
    return new HistogramCell(labels, this.bounds);
  }

  reset(): void {
    for (const c of this.cells.values()) {
      c.counts.fill(0);
      c.sum = c.count = 0;
    }
  }

  async get(): Promise<Collected> {
    const values: Sample[] = [];
    for (const c of this.cells.values()) {
      let cumulative = 0;
      this.bounds.forEach((le, i) => {
        cumulative += c.counts[i];
        values.push({ metricName: `${this.name}_bucket`, labels: { le: String(le), ...c.labels }, value: cumulative });
      });
      values.push({ metricName: `${this.name}_bucket`, labels: { le: '+Inf', ...c.labels }, value: c.count });
      values.push({ metricName: `${this.name}_sum`, labels: c.labels, value: c.sum });
      values.push({ metricName: `${this.name}_count`, labels: c.labels, value: c.count });
    }
    return { name: this.name, help: this.help, type: 'histogram', aggregator: 'sum', values };
  }
}
