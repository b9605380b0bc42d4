import { loadConfig } from '../../backend/dist/config/config';
import { ButlerMeter } from '../../backend/dist/observability/butler-meter';
import { HubMetrics } from '../../backend/dist/observability/hub-metrics';
import { HubTracer } from '../../backend/dist/observability/hub-tracer';
import { SocketMeter } from '../../backend/dist/observability/socket-meter';
import { ChatCommitMeter } from '../../backend/dist/observability/work-meters';

/**
 * `npm run build:backend && npx tsx bench/observability/meter-cost.ts` (the built backend): CPU per recorded socket event (counter + ack histogram,
 * pre-bound children) and per chat batch, metrics on vs off, in one process. What the hub pays per
 * `chat:send` for metrics is this figure; compare it with the hub's CPU per message (bench:gateway).
 */
const N = 2_000_000;
const env = (on: boolean) =>
  loadConfig({
    DATA_DIR: '/tmp/echocenter-meter-cost',
    JWT_SECRET: 'x'.repeat(40),
    ...(on ? { METRICS_TOKEN: 'meter-cost-token-0123' } : {}),
  });

function perOp(label: string, run: () => void): number {
  for (let i = 0; i < N / 10; i++) run();
  const start = process.cpuUsage();
  for (let i = 0; i < N; i++) run();
  const used = process.cpuUsage(start);
  const ns = ((used.user + used.system) * 1000) / N;
  console.log(`  ${label.padEnd(44)} ${ns.toFixed(1).padStart(7)} ns/op`);
  return ns;
}

const events = ['chat:send', 'command:result', 'log:report', 'agent:hello'];
const outcomes = ['ok', 'ok', 'ok', 'VALIDATION_FAILED'];
for (const on of [false, true]) {
  const config = env(on);
  const metrics = new HubMetrics(config);
  const sockets = new SocketMeter(metrics, new HubTracer(config));
  const chat = new ChatCommitMeter(metrics);
  const butler = new ButlerMeter(metrics);
  let i = 0;
  console.log(`metrics ${on ? 'on' : 'off'}:`);
  perOp('socket event (outcome counter + ack histogram)', () => {
    const k = i++ & 3;
    const startedAt = sockets.enabled ? performance.now() : 0;
    sockets.event(events[k], outcomes[k], startedAt);
  });
  perOp('chat batch (size + commit histograms)', () => chat.batch(5, 0.001));
  perOp('butler tool call counter', () => butler.toolCall('list_agents', true));
}
