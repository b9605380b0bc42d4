// The chat scenarios' runners: pairs of agents on bare socket.io, on the hub (SQLite or MariaDB, one node or
// two over Redis, metrics off or on), and on a private MariaDB per innodb_autoinc_lock_mode; each runs the
// open-loop rate sweep and prints one line per step.
import { createConnection } from 'mysql2/promise';
import { privateMariadb } from '../../drills/lib/services';
import { PAIRS, RATES, REDIS_URL, ROWPATH_RATES, STEP_SECONDS, TEXT_BYTES, WARMUP_SECONDS } from './lib/config';
import { cpuSeconds, createHubDb, startBare, startHub, type ServerProcess } from './lib/hub';
import { Loadgen } from './lib/loadgen-client';
import type { StepResult } from './loadgen';
import { ms, type Sweep } from './summary';

/** Runs the rate sweep against connected clients; stops after the first saturated step. */
async function sweep(label: string, server: ServerProcess, gen: Loadgen, rates = RATES): Promise<Sweep> {
  const steps: Sweep['steps'] = [];
  // Unreported warm-up at half the first rate: the first seconds of a fresh process are JIT compilation
  // and first statements, which would otherwise land in the first step's p99.
  await gen.ask<StepResult>({
    cmd: 'rate',
    rate: Math.round(rates[0] / 2),
    seconds: WARMUP_SECONDS,
    textBytes: TEXT_BYTES,
  });
  for (const rate of rates) {
    const cpu0 = server.pids().reduce((s, p) => s + cpuSeconds(p), 0);
    const r = await gen.ask<StepResult>({ cmd: 'rate', rate, seconds: STEP_SECONDS, textBytes: TEXT_BYTES });
    const cpu = (server.pids().reduce((s, p) => s + cpuSeconds(p), 0) - cpu0) / r.seconds;
    const achieved = r.acked / r.seconds;
    // Server CPU per acked message: the figure least distorted by other load on a shared box.
    const usPerMsg = r.acked ? (cpu * r.seconds * 1e6) / r.acked : NaN;
    steps.push({ ...r, achieved, cpu, usPerMsg });
    console.log(
      `  ${label.padEnd(22)} offered ${String(rate).padStart(6)}/s  acked ${achieved.toFixed(0).padStart(6)}/s  p50 ${ms(r.p50).padStart(7)} ms  p99 ${ms(r.p99).padStart(7)} ms  failed ${r.failed}  delivered ${r.delivered}  cpu ${(cpu * 100).toFixed(0)}% (${usPerMsg.toFixed(0)} µs/msg)`,
    );
    if (achieved < rate * 0.9 || r.failed > 0) break;
  }
  return { label, steps };
}

async function connectPairs(server: ServerProcess, urls: string[], tokens: string[], ids: number[]): Promise<Loadgen> {
  const gen = new Loadgen();
  const c = await gen.ask<{ connected: number; failed: number; errors: string[] }>({
    cmd: 'connect',
    urls,
    tokens,
    concurrency: 100,
  });
  if (c.failed) throw new Error(`${c.failed} clients failed to connect: ${c.errors.join('; ')}`);
  // Pairs (0,1), (2,3)…: each sends to the other.
  await gen.ask({ cmd: 'targets', targets: ids.map((_, i) => ids[i ^ 1]) });
  void server;
  return gen;
}

export async function barePairs(rates = RATES): Promise<Sweep> {
  const bare = await startBare();
  const ids = Array.from({ length: PAIRS * 2 }, (_, i) => i + 1);
  const gen = await connectPairs(
    bare,
    [bare.url],
    ids.map((i) => `bare:${i}`),
    ids,
  );
  try {
    return await sweep('bare socket.io', bare, gen, rates);
  } finally {
    await gen.close();
    await bare.stop();
  }
}

export async function hubPairs(
  driver: 'sqlite' | 'mysql',
  nodes: 1 | 2,
  opts: { mysqlUrl?: string; label?: string; rates?: number[]; env?: Record<string, string> } = {},
): Promise<Sweep> {
  const db = await createHubDb(driver, opts.mysqlUrl);
  const extra: Record<string, string> = {
    ...(nodes === 2 ? { REDIS_URL, REDIS_PREFIX: `ec-bench-${process.pid}` } : {}),
    ...opts.env,
  };
  const servers: ServerProcess[] = [];
  let gen: Loadgen | null = null;
  let scraper: NodeJS.Timeout | undefined;
  try {
    for (let i = 0; i < nodes; i++) servers.push(await startHub(db.env, extra));
    // With metrics on, a scraper reads /metrics every second (Prometheus' default is every 15 s).
    const token = extra.METRICS_TOKEN;
    if (token)
      scraper = setInterval(
        () =>
          servers.forEach(
            (s) =>
              void fetch(`${s.url}/metrics`, { headers: { authorization: `Bearer ${token}` } })
                .then((r) => r.text())
                .catch(() => undefined),
          ),
        1000,
      );
    const { ids, tokens } = await db.insertAgents(PAIRS * 2, 'pair');
    const all: ServerProcess = {
      url: servers[0].url,
      pids: () => servers.flatMap((s) => s.pids()),
      stop: async () => undefined,
    };
    gen = await connectPairs(
      all,
      servers.map((s) => s.url),
      tokens,
      ids,
    );
    const result = await sweep(
      opts.label ?? (nodes === 2 ? `hub ${driver} x2 nodes` : `hub ${driver}`),
      all,
      gen,
      opts.rates,
    );
    return { ...result, output: servers.map((s) => s.output?.() ?? '').join('') };
  } finally {
    clearInterval(scraper);
    await gen?.close();
    for (const s of servers) await s.stop();
    await db.drop();
  }
}

export const METRICS_ON = { METRICS_TOKEN: 'bench-metrics-token-0123456789' };

/** METRICS=compare: the chat sweep on SQLite with metrics off, then on (scraped every second), in one run. */
export async function metricsPairs(): Promise<Sweep[]> {
  const off = await hubPairs('sqlite', 1, { label: 'hub sqlite metrics off' });
  const on = await hubPairs('sqlite', 1, { label: 'hub sqlite metrics on', env: METRICS_ON });
  return [off, on];
}

const ROW_PATH_WARNING = 'innodb_autoinc_lock_mode=2: chat batches use one INSERT per row';

/**
 * The chat sweep on a private MariaDB (drills/lib/services.ts) started with `lockMode`; the same flags
 * otherwise for both paths. Checks the server's setting and which path the hub said it took.
 */
export async function privateMariadbPairs(lockMode: 1 | 2): Promise<Sweep> {
  const server = await privateMariadb([
    `--innodb-autoinc-lock-mode=${lockMode}`,
    '--innodb-buffer-pool-size=256M',
    '--character-set-server=utf8mb4',
    '--collation-server=utf8mb4_unicode_ci',
  ]);
  try {
    const c = await createConnection(server.url);
    const [[row]] = (await c.query('SELECT @@innodb_autoinc_lock_mode AS m, VERSION() AS v')) as unknown as [
      { m: number; v: string }[],
    ];
    await c.end();
    const path = lockMode === 2 ? 'row-by-row' : 'multi-row';
    console.log(`  private MariaDB ${row.v} on port ${server.port}, innodb_autoinc_lock_mode=${row.m}`);
    const s = await hubPairs('mysql', 1, { mysqlUrl: server.url, label: `hub mariadb ${path}`, rates: ROWPATH_RATES });
    const saidRowByRow = (s.output ?? '').includes(ROW_PATH_WARNING);
    if (saidRowByRow !== (lockMode === 2))
      throw new Error(`the hub on lock mode ${lockMode} ${saidRowByRow ? 'took' : 'did not take'} the row-by-row path`);
    console.log(
      `    path: ${path} (${saidRowByRow ? `the hub logged "${ROW_PATH_WARNING}"` : 'no row-by-row warning from the hub'})`,
    );
    return s;
  } finally {
    await server.destroy();
  }
}
