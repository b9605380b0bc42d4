import { directCallers } from './direct-caller';
import { startFakeModelProcess } from './fake-process';
import { startHub, type Hub } from './hub-process';
import { Operator } from './operator';
import { spreadStart, windowFigures } from './stats';

/**
 * `npm run bench:butler -- [--db sqlite|mysql] [--concurrency 20,200] [--duration 20] [--warmup 3] [--latency 800] [--metrics off|on|compare] [--rounds 1]`
 *
 * N operators, each with its own socket and thread, talk to the Butler in a closed loop; the Butler's
 * model is the fake OpenAI endpoint answering after `latency` ms, reached through the real openai SDK.
 * The hub (built, backend/dist) and the fake model each run in their own process. Prints throughput,
 * latency percentiles and whether every answered request left its two messages in the database.
 */
const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
};

async function api<T>(hub: Hub, path: string, token: string | null, body?: unknown): Promise<T> {
  const res = await fetch(`${hub.url}/api${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${path}: HTTP ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

async function operators(
  hub: Hub,
  count: number,
  butlerId: number,
  adminToken: string,
  tag: string,
): Promise<Operator[]> {
  const made: Operator[] = [];
  for (let i = 0; i < count; i += 20) {
    const batch = Array.from({ length: Math.min(20, count - i) }, (_, k) => i + k);
    made.push(
      ...(await Promise.all(
        batch.map(async (n) => {
          const username = `op-${tag}-${n}`;
          await api(hub, '/users', adminToken, { username, password: 'operator-pass-1', role: 'MEMBER' });
          const { accessToken } = await api<{ accessToken: string }>(hub, '/auth/login', null, {
            username,
            password: 'operator-pass-1',
          });
          const thread = await api<{ id: number }>(hub, '/conversations', accessToken, { title: `bench ${n}` });
          const op = new Operator(hub.url, accessToken, thread.id, butlerId);
          await op.connect();
          return op;
        }),
      )),
    );
  }
  return made;
}

async function storedMessages(hub: Hub, op: Operator): Promise<number> {
  let count = 0;
  let before: number | null = null;
  do {
    const page: { items: unknown[]; nextCursor: number | null } = await api(
      hub,
      `/conversations/${op.threadId}/messages?limit=200${before ? `&before=${before}` : ''}`,
      op.token,
    );
    count += page.items.length;
    before = page.nextCursor;
  } while (before);
  return count;
}

const METRICS_TOKEN = 'bench-metrics-token-0123456789';

interface Measured {
  throughput: number;
  cpuPerRequest: number | null;
}

/** One closed-loop run of `n` operators on `hub`; prints its line and returns its figures. */
async function measure(
  hub: Hub,
  label: string,
  n: number,
  b: ReturnType<typeof windowFigures>,
  opts: { warmupS: number; durationS: number; latency: number; tag: string; scrape: boolean },
): Promise<Measured> {
  const { accessToken: adminToken } = await api<{ accessToken: string }>(hub, '/auth/login', null, {
    username: 'admin',
    password: hub.adminPassword,
  });
  const butler = await api<{ id: number }>(hub, '/butler', adminToken);
  const ops = await operators(hub, n, butler.id, adminToken, opts.tag);
  const start = Date.now();
  const windowFrom = start + opts.warmupS * 1000;
  const stopAt = windowFrom + opts.durationS * 1000;
  // The hub's CPU over the measured window: at 200 operators throughput sits near the baseline's
  // ceiling, and CPU per request is what still tells two builds apart.
  const cpu: (number | null)[] = [];
  const marks = [windowFrom, stopAt].map((at) => setTimeout(() => cpu.push(hub.cpuMs()), at - Date.now()));
  // With metrics on, a scraper reads /metrics every second (Prometheus' default is every 15 s).
  const scraper = opts.scrape
    ? setInterval(
        () =>
          void fetch(`${hub.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })
            .then((r) => r.text())
            .catch(() => undefined),
        1000,
      )
    : undefined;
  await Promise.all(ops.map((op, i) => op.run(stopAt, 30_000, spreadStart(i, n, opts.latency))));
  clearInterval(scraper);
  marks.forEach(clearTimeout);
  const f = windowFigures(
    ops.flatMap((op) => op.samples),
    windowFrom,
    opts.durationS * 1000,
  );
  const answered = ops.reduce((n, op) => n + op.samples.length, 0);
  const failures = ops.reduce((n, op) => n + op.failures, 0);
  const stored = (await Promise.all(ops.map((op) => storedMessages(hub, op)))).reduce((a, b) => a + b, 0);
  const persistFailures = answered * 2 - stored;
  const cpuPerRequest = cpu[0] != null && cpu[1] != null ? (cpu[1] - cpu[0]) / f.requests : null;
  process.stdout.write(
    `concurrency ${String(n).padStart(3)}: ${label} ${f.throughput.toFixed(2)} req/s (${((f.throughput / b.throughput) * 100).toFixed(1)}% of baseline, ` +
      `+${(f.p50 - b.p50).toFixed(1)} ms at p50), p50 ${f.p50.toFixed(1)} ms, p95 ${f.p95.toFixed(1)} ms, ` +
      `p99 ${f.p99.toFixed(1)} ms, max ${f.max.toFixed(1)} ms (${f.requests} measured, ${answered} answered, ${failures} failed, ` +
      `${persistFailures} persist failures)` +
      (cpuPerRequest !== null ? `, hub CPU ${cpuPerRequest.toFixed(2)} ms per request\n` : '\n'),
  );
  ops.forEach((op) => op.close());
  return { throughput: f.throughput, cpuPerRequest };
}

async function main(): Promise<void> {
  const db = arg('db', 'sqlite') as 'sqlite' | 'mysql';
  const levels = arg('concurrency', '20,200').split(',').map(Number);
  const durationS = Number(arg('duration', '20'));
  const warmupS = Number(arg('warmup', '3'));
  const latency = Number(arg('latency', '800'));
  // --metrics off (default) | on | compare: compare runs a hub with metrics off and one with them on, each level on both.
  const metrics = arg('metrics', 'off');
  const modes = metrics === 'compare' ? ['off', 'on'] : [metrics === 'on' ? 'on' : 'off'];
  // With compare, each level runs `rounds` off/on pairs, the order swapped every round (off-on, on-off, …)
  // so a machine that slows down or speeds up during the run does not favour one side.
  const rounds = metrics === 'compare' ? Number(arg('rounds', '1')) : 1;
  const fake = await startFakeModelProcess(latency);
  const hubs: Hub[] = [];
  try {
    for (const mode of modes)
      hubs.push(
        await startHub({
          db,
          mysqlUrl: process.env.MYSQL_URL,
          modelUrl: fake.url,
          env: mode === 'on' ? { METRICS_TOKEN } : {},
        }),
      );
  } catch (err) {
    // A hub that fails to start must not leave the fake model (or another hub) running.
    for (const hub of hubs) await hub.stop();
    await fake.stop();
    throw err;
  }
  process.stdout.write(
    `Butler benchmark: ${db}, fake model latency ${latency} ms, ${durationS} s measured after ${warmupS} s warm-up, metrics ${metrics}\n`,
  );
  try {
    for (const n of levels) {
      // Baseline first, in the same run against the same fake model: the SDK alone, no hub.
      const baseStart = Date.now();
      const base = await directCallers(fake.url, n, {
        stopAt: baseStart + (warmupS + durationS) * 1000,
        latencyMs: latency,
        timeoutMs: 30_000,
      });
      const b = windowFigures(base.samples, baseStart + warmupS * 1000, durationS * 1000);
      process.stdout.write(
        `concurrency ${String(n).padStart(3)}: baseline (openai SDK → fake model, no hub) ${b.throughput.toFixed(2)} req/s, p50 ${b.p50.toFixed(1)} ms, ` +
          `p99 ${b.p99.toFixed(1)} ms (${b.requests} measured, ${base.failures} failed)\n`,
      );
      await new Promise((r) => setTimeout(r, 1000));
      const throughputRatios: number[] = [];
      const cpuRatios: number[] = [];
      for (let round = 0; round < rounds; round++) {
        const results: Measured[] = [];
        const order = round % 2 === 0 ? modes.map((_, i) => i) : modes.map((_, i) => modes.length - 1 - i);
        for (const i of order) {
          const label = modes.length > 1 ? `hub (metrics ${modes[i]})` : 'hub';
          results[i] = await measure(hubs[i], label, n, b, {
            warmupS,
            durationS,
            latency,
            tag: `c${n}r${round}${modes[i]}`,
            scrape: modes[i] === 'on',
          });
          // The next run starts on a quiet machine.
          await new Promise((r) => setTimeout(r, 1000));
        }
        if (results.length === 2) {
          const [off, on] = results;
          throughputRatios.push(on.throughput / off.throughput);
          if (off.cpuPerRequest && on.cpuPerRequest) cpuRatios.push(on.cpuPerRequest / off.cpuPerRequest);
        }
      }
      if (throughputRatios.length) {
        const pct = (xs: number[]) => xs.map((x) => `${(x * 100).toFixed(1)}%`).join(', ');
        const median = (xs: number[]) => [...xs].sort((a, c) => a - c)[Math.floor(xs.length / 2)];
        const cpu = cpuRatios.length
          ? `; hub CPU per request ${pct(cpuRatios)} (median ${(median(cpuRatios) * 100).toFixed(1)}%)`
          : '';
        process.stdout.write(
          `concurrency ${String(n).padStart(3)}: metrics on / off (same run): throughput ${pct(throughputRatios)} (median ${(median(throughputRatios) * 100).toFixed(1)}%)${cpu}\n`,
        );
      }
    }
  } finally {
    for (const hub of hubs) await hub.stop();
    await fake.stop();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
