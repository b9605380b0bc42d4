import { parseProm } from '../../test/support/prom-text';
import { loadConfig } from '../config/config';
import { ButlerMeter } from './butler-meter';
import { HubMetrics } from './hub-metrics';
import type { HubTracer } from './hub-tracer';
import { SocketMeter } from './socket-meter';

const tracerOff = { enabled: false, start: () => undefined } as unknown as HubTracer;
const metricsWith = (env: Record<string, string>) =>
  new HubMetrics(
    loadConfig({ DATA_DIR: '/tmp/echocenter-meters-spec', JWT_SECRET: 'x'.repeat(40), NODE_NAME: 'n1', ...env }),
  );

describe('meters', () => {
  it('count nothing while metrics are off', async () => {
    const metrics = metricsWith({});
    expect(metrics.enabled).toBe(false);
    const sockets = new SocketMeter(metrics, tracerOff);
    sockets.connected('AGENT', 1);
    sockets.event('chat:send', 'ok', performance.now());
    new ButlerMeter(metrics).turn('m', 'ok', 1);
    const text = await metrics.scrape();
    expect(text).not.toMatch(/^echocenter_socket_events_total\{/m);
    expect(text).not.toMatch(/^nodejs_/m);
    expect(sockets.enabled).toBe(false);
  });

  it('count into pre-bound children, label the node, and put names the model chose under "other"', async () => {
    const metrics = metricsWith({ METRICS_TOKEN: 'a-token-of-16-chars+' });
    const sockets = new SocketMeter(metrics, tracerOff);
    for (let i = 0; i < 3; i++) sockets.event('chat:send', 'ok', performance.now());
    sockets.connected('AGENT', 1);
    sockets.connected('AGENT', 1);
    sockets.connected('AGENT', -1);
    const butler = new ButlerMeter(metrics);
    butler.toolCall('list_agents', true);
    butler.toolCall('rm -rf /', false);
    butler.modelCall('gpt-x', true, 0.2, { promptTokens: 7, completionTokens: 3 });
    const text = await metrics.scrape();
    const s = parseProm(text);
    expect(s.value('echocenter_socket_events_total', { event: 'chat:send', outcome: 'ok' })).toBe(3);
    expect(s.value('echocenter_socket_ack_seconds_count', { event: 'chat:send' })).toBe(3);
    expect(s.value('echocenter_sockets_connected', { kind: 'AGENT' })).toBe(1);
    expect(s.samples.get('echocenter_sockets_connected{kind="MEMBER"}')).toBe(0);
    expect(s.value('echocenter_butler_tool_calls_total', { tool: 'list_agents', outcome: 'ok' })).toBe(1);
    expect(s.value('echocenter_butler_tool_calls_total', { tool: 'other', outcome: 'error' })).toBe(1);
    expect(text).not.toContain('rm -rf');
    expect(s.value('echocenter_butler_tokens_total', { model: 'gpt-x', direction: 'in' })).toBe(7);
    expect(s.value('echocenter_butler_tokens_total', { model: 'gpt-x', direction: 'out' })).toBe(3);
    // Every series names the node.
    expect(text.split('\n').filter((l) => l && !l.startsWith('#') && !l.includes('node="n1"'))).toEqual([]);
    expect(s.has('nodejs_eventloop_lag_p99_seconds')).toBe(true);
  });
});
