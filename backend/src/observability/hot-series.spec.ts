import { Histogram, Registry } from 'prom-client';
import { HotCounter, HotHistogram } from './hot-series';

describe('hot series', () => {
  it('expose exactly what prom-client’s own counter and histogram would, default labels included', async () => {
    const registry = new Registry();
    registry.setDefaultLabels({ node: 'n1' });
    const hot = new HotHistogram(registry, 'hot_seconds', 'h', ['event'], [0.1, 1]);
    const reference = new Histogram({
      name: 'ref_seconds',
      help: 'h',
      labelNames: ['event'],
      buckets: [0.1, 1],
      registers: [registry],
    });
    const counter = new HotCounter(registry, 'hot_total', 'c', ['event', 'outcome']);
    for (const v of [0.05, 0.1, 0.5, 3]) {
      hot.cell('chat:send').observe(v);
      reference.labels('chat:send').observe(v);
    }
    counter.cell('chat:send', 'ok').inc();
    counter.cell('chat:send', 'ok').inc(2);
    const text = await registry.metrics();
    // Label order is not part of the format: compare with the labels sorted.
    const sorted = (l: string) =>
      l.replace(/\{(.*)\}/, (_, labels: string) => `{${labels.split(',').sort().join(',')}}`);
    const lines = (name: string) =>
      text
        .split('\n')
        .filter((l) => l.startsWith(name))
        .map((l) => sorted(l.slice(name.length)));
    expect(lines('hot_seconds')).toEqual(lines('ref_seconds'));
    expect(lines('hot_seconds')).toContain('_bucket{event="chat:send",le="0.1",node="n1"} 2');
    expect(text).toContain('# TYPE hot_total counter');
    expect(text).toContain('hot_total{event="chat:send",outcome="ok",node="n1"} 3');

    registry.resetMetrics();
    hot.cell('chat:send').observe(0.2);
    expect((await registry.metrics()).split('\n').filter((l) => l.startsWith('hot_seconds_count'))).toEqual([
      'hot_seconds_count{event="chat:send",node="n1"} 1',
    ]);
  });
});
