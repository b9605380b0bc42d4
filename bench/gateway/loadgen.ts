import { RawClient } from './lib/raw-client';

/**
 * The client side of every scenario, in its own process (forked by run.ts) so client work never shares
 * the server's event loop. Commands arrive over IPC; each answers with one message.
 */
export type LoadgenCommand =
  | { cmd: 'connect'; urls: string[]; tokens: string[]; localAddress?: string; concurrency: number }
  | { cmd: 'targets'; targets: number[] }
  | { cmd: 'rate'; rate: number; seconds: number; textBytes: number }
  | { cmd: 'close' };

export interface StepResult {
  offered: number;
  sent: number;
  acked: number;
  failed: number;
  delivered: number;
  seconds: number;
  p50: number;
  p99: number;
  max: number;
}

let clients: RawClient[] = [];
let targets: number[] = [];
let delivered = 0;
let runId = 0;

async function connectAll(
  c: Extract<LoadgenCommand, { cmd: 'connect' }>,
): Promise<{ connected: number; failed: number; ms: number; errors: string[] }> {
  const started = performance.now();
  let next = 0;
  let failed = 0;
  const errors = new Set<string>();
  clients = new Array(c.tokens.length);
  const worker = async () => {
    while (next < c.tokens.length) {
      const i = next++;
      const client = new RawClient(c.urls[i % c.urls.length], c.tokens[i], c.localAddress);
      client.onRawEvent = (frame) => frame.startsWith('42["chat:message"') && delivered++;
      try {
        await client.connect();
      } catch (err) {
        failed++;
        errors.add(String((err as { data?: unknown }).data ? JSON.stringify((err as { data?: unknown }).data) : err));
      }
      clients[i] = client;
    }
  };
  await Promise.all(Array.from({ length: c.concurrency }, worker));
  return {
    connected: clients.filter((x) => x.connected).length,
    failed,
    ms: Math.round(performance.now() - started),
    errors: [...errors].slice(0, 3),
  };
}

/** Open loop: message k is due at start + k/rate whatever happened to earlier ones; latency counts from then. */
async function runRate(rate: number, seconds: number, textBytes: number): Promise<StepResult> {
  const run = ++runId;
  const total = Math.round(rate * seconds);
  const latencies = new Float64Array(total);
  const text = 'x'.repeat(textBytes);
  let sent = 0;
  let acked = 0;
  let failed = 0;
  const deliveredBefore = delivered;
  const start = performance.now();
  await new Promise<void>((done) => {
    const tick = () => {
      const now = performance.now();
      const due = Math.min(total, Math.floor(((now - start) / 1000) * rate));
      for (; sent < due; sent++) {
        const k = sent;
        const i = k % clients.length;
        const scheduled = start + (k * 1000) / rate;
        void clients[i]
          .emitRaw(`["chat:send",{"targetId":${targets[i]},"text":"${text}","localId":"r${run}-${k}"}]`)
          .then((ok) => {
            if (ok) latencies[acked++] = performance.now() - scheduled;
            else failed++;
          });
      }
      if (sent < total) setTimeout(tick, 1);
      else done();
    };
    tick();
  });
  // Drain: wait for outstanding acks (bounded), so a saturated step shows up as latency, not as loss.
  const drainUntil = performance.now() + 5000;
  while (acked + failed < total && performance.now() < drainUntil) await new Promise((r) => setTimeout(r, 20));
  const elapsed = (performance.now() - start) / 1000;
  // Deliveries may trail the acks (another node, through Redis): give them as long again before counting.
  const deliverUntil = performance.now() + 5000;
  while (delivered - deliveredBefore < acked && performance.now() < deliverUntil)
    await new Promise((r) => setTimeout(r, 20));
  const sorted = latencies.slice(0, acked).sort();
  const pct = (p: number) => (acked ? sorted[Math.min(acked - 1, Math.floor(acked * p))] : NaN);
  return {
    offered: rate,
    sent,
    acked,
    failed,
    delivered: delivered - deliveredBefore,
    seconds: elapsed,
    p50: pct(0.5),
    p99: pct(0.99),
    max: acked ? sorted[acked - 1] : NaN,
  };
}

process.on('message', (m: LoadgenCommand) => {
  const reply = (r: unknown) => process.send!(r);
  switch (m.cmd) {
    case 'connect':
      void connectAll(m).then(reply);
      return;
    case 'targets':
      targets = m.targets;
      reply({ ok: true });
      return;
    case 'rate':
      void runRate(m.rate, m.seconds, m.textBytes).then(reply);
      return;
    case 'close':
      for (const c of clients) c?.close();
      reply({ ok: true });
      setTimeout(() => process.exit(0), 100);
  }
});
