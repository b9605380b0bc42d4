import { fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { createConnection } from 'mysql2/promise';
import { MARIADB_INSTALL_DB, MARIADBD, privateMariadb } from '../../drills/lib/services';
import { cpuSeconds, createHubDb, REPO, rss, startBare, startHub, type ServerProcess } from './lib/hub';
import type { LoadgenCommand, StepResult } from './loadgen';

/**
 * npm run bench:gateway — the hub beside a bare socket.io@4 server, same machine, same run, same load
 * generator (separate processes). Scenarios (BENCH=chat,idle,cluster,cross; default all that can run):
 *   chat     pairs of agents send ~200-byte chat:send with acks, open-loop rate sweep; SQLite, and MariaDB
 *            when MYSQL_URL is set. Acked msgs/s, p50/p99 ack latency from the scheduled send time.
 *   idle     N authenticated agent sockets held (IDLE_COUNTS, default 5000,10000,19000): connect time, RSS.
 *   cluster  WORKERS (default 2) hub workers of one node cluster over Redis holding CLUSTER_COUNT (38000).
 *   cross    the chat sweep through two hub nodes and Redis (MariaDB), each pair split across the nodes.
 *   rowpath  the chat sweep on two private MariaDB servers started alike but for innodb_autoinc_lock_mode:
 *            1 (one multi-row INSERT per batch) and 2 (MySQL 8's default: row by row). Not in the default
 *            set; `-- --autoinc-lock-mode 2` (or AUTOINC_LOCK_MODE=2) runs it alone. Needs mariadbd.
 * Needs a built backend (npm run build:backend); REDIS_URL defaults to redis://127.0.0.1:6379.
 */
const env = process.env;
const list = (v: string | undefined, d: string) =>
  (v ?? d)
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
const lockModeArg = process.argv.indexOf('--autoinc-lock-mode');
const LOCK_MODE = lockModeArg >= 0 ? process.argv[lockModeArg + 1] : env.AUTOINC_LOCK_MODE;
const BENCH = new Set(list(env.BENCH, LOCK_MODE ? 'rowpath' : 'chat,idle,cluster,cross'));
const RATES = list(env.RATES, '5000,10000,15000,20000,25000,30000,40000').map(Number);
// Lower first steps: the row-by-row path saturated at 2000/s on the shared 2-core box (README).
const ROWPATH_RATES = list(env.RATES, '500,1000,2000,3000,4000,6000,8000,10000,15000,20000,30000').map(Number);
const STEP_SECONDS = Number(env.STEP_SECONDS ?? 5);
const WARMUP_SECONDS = Number(env.WARMUP_SECONDS ?? 3);
const PAIRS = Number(env.PAIRS ?? 500);
const TEXT_BYTES = 140; // ~200-byte frames with the envelope, targetId and localId
const IDLE_COUNTS = list(env.IDLE_COUNTS, '5000,10000,19000').map(Number);
const WORKERS = Number(env.WORKERS ?? 2);
const CLUSTER_COUNT = Number(env.CLUSTER_COUNT ?? 38000);
const REDIS_URL = env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const PER_LOADGEN = 18000; // each process stays under the 20,000 file-descriptor limit

class Loadgen {
  private readonly proc: ChildProcess;
  private pending: ((m: unknown) => void) | null = null;
  constructor() {
    this.proc = fork(join(__dirname, 'loadgen.ts'), [], { execArgv: ['--import', 'tsx'], stdio: 'inherit' });
    this.proc.on('message', (m) => this.pending?.(m));
  }
  ask<T>(cmd: LoadgenCommand): Promise<T> {
    return new Promise((done) => {
      this.pending = done as (m: unknown) => void;
      this.proc.send(cmd);
    });
  }
  async close(): Promise<void> {
    await this.ask({ cmd: 'close' });
  }
}

const mb = (b: number) => (b / 1024 / 1024).toFixed(0);
const ms = (v: number) => (Number.isFinite(v) ? v.toFixed(1) : '-');
const sleep = (t: number) => new Promise((r) => setTimeout(r, t));

interface Sweep {
  label: string;
  steps: (StepResult & { achieved: number; cpu: number; usPerMsg: number })[];
  /** What the hub processes printed (warnings and errors). */
  output?: string;
}

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

/** Highest acked rate of a step that kept up with its offered rate (≥ 95%). */
const sustained = (s: Sweep) =>
  Math.max(0, ...s.steps.filter((x) => x.achieved >= x.offered * 0.95 && x.failed === 0).map((x) => x.achieved));
/** Highest acked rate of any step (saturated or not). */
const peak = (s: Sweep) => Math.max(0, ...s.steps.map((x) => x.achieved));
const p99At = (s: Sweep, rate: number) => s.steps.find((x) => x.offered === rate)?.p99 ?? NaN;
/** Server CPU µs per message, median over the steps. */
const usPerMsg = (s: Sweep) => {
  const v = s.steps
    .map((x) => x.usPerMsg)
    .filter(Number.isFinite)
    .sort((a, b) => a - b);
  return v.length ? v[Math.floor(v.length / 2)] : NaN;
};

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

async function barePairs(rates = RATES): Promise<Sweep> {
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

async function hubPairs(
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

const METRICS_ON = { METRICS_TOKEN: 'bench-metrics-token-0123456789' };

/** METRICS=compare: the chat sweep on SQLite with metrics off, then on (scraped every second), in one run. */
async function metricsPairs(): Promise<Sweep[]> {
  const off = await hubPairs('sqlite', 1, { label: 'hub sqlite metrics off' });
  const on = await hubPairs('sqlite', 1, { label: 'hub sqlite metrics on', env: METRICS_ON });
  return [off, on];
}

function metricsRatio([off, on]: Sweep[]): void {
  const pct = (a: number, b: number) => `${((a / b) * 100).toFixed(1)}%`;
  console.log(
    `\n  metrics on / off (same run): sustained ${pct(sustained(on), sustained(off))}, peak acked ${pct(peak(on), peak(off))}, server CPU/msg ${pct(usPerMsg(on), usPerMsg(off))}, ` +
      `p99 @10k/s ${ms(p99At(on, 10000))} vs ${ms(p99At(off, 10000))} ms`,
  );
}

// Each call takes loopback source addresses no earlier call used: the ports of closed connections stay in
// TIME_WAIT for a minute, and one address has only ~28k ephemeral ports towards a server port.
let sourceBlock = 0;

/** Connects `count` agent sockets across enough load generators; returns them with the connect time. */
async function holdSockets(url: string, tokens: string[]): Promise<{ gens: Loadgen[]; ms: number; failed: number }> {
  const block = ++sourceBlock;
  const started = Date.now();
  const gens: Loadgen[] = [];
  const jobs: Promise<{ failed: number; errors: string[] }>[] = [];
  for (let i = 0; i * PER_LOADGEN < tokens.length; i++) {
    const gen = new Loadgen();
    gens.push(gen);
    // A source address per generator: each gets its own 28k ephemeral ports towards the one server port.
    jobs.push(
      gen.ask({
        cmd: 'connect',
        urls: [url],
        tokens: tokens.slice(i * PER_LOADGEN, (i + 1) * PER_LOADGEN),
        localAddress: `127.0.${block}.${i + 1}`,
        concurrency: 200,
      }),
    );
  }
  const results = await Promise.all(jobs);
  const failed = results.reduce((s, r) => s + r.failed, 0);
  if (failed)
    console.log(
      `    ${failed} failed: ${results
        .flatMap((r) => r.errors)
        .slice(0, 3)
        .join('; ')}`,
    );
  return { gens, ms: Date.now() - started, failed };
}

/** `pids`: the processes that hold sockets (a cluster's primary only hands connections over). */
async function idleRow(label: string, server: ServerProcess, tokens: string[], pids = server.pids): Promise<void> {
  await sleep(2000);
  const base = pids().reduce((s, p) => s + rss(p), 0);
  const held = await holdSockets(server.url, tokens);
  await sleep(5000);
  const total = pids().reduce((s, p) => s + rss(p), 0);
  const n = tokens.length - held.failed;
  console.log(
    `  ${label.padEnd(24)} ${String(n).padStart(6)} sockets  connect ${(held.ms / 1000).toFixed(1).padStart(5)} s (${Math.round(n / (held.ms / 1000))}/s)  RSS ${mb(total).padStart(4)} MB (idle ${mb(base)} MB, +${((total - base) / n / 1024).toFixed(1)} KB/socket)`,
  );
  if (pids !== server.pids)
    console.log(
      `    per worker RSS: ${pids()
        .map((p) => `${mb(rss(p))} MB`)
        .join(', ')}; cluster primary ${mb(rss(server.pids()[0]))} MB`,
    );
  for (const g of held.gens) await g.close();
}

const pct = (a: number, b: number) => `${((a / b) * 100).toFixed(0).padStart(5)}%`;

function summary(bare: Sweep, results: Sweep[]): void {
  console.log(
    '\n  summary                  sustained/s  vs bare   peak acked/s  vs bare   p99 @10k/s   server CPU/msg  vs bare',
  );
  for (const s of [bare, ...results]) {
    console.log(
      `  ${s.label.padEnd(24)} ${sustained(s).toFixed(0).padStart(8)}  ${pct(sustained(s), sustained(bare))}   ${peak(s).toFixed(0).padStart(10)}  ${pct(peak(s), peak(bare))}   ${ms(p99At(s, 10000)).padStart(7)} ms   ${usPerMsg(s).toFixed(0).padStart(8)} µs  ${pct(usPerMsg(bare), usPerMsg(s))}`,
    );
  }
}

const ROW_PATH_WARNING = 'innodb_autoinc_lock_mode=2: chat batches use one INSERT per row';

/**
 * The chat sweep on a private MariaDB (drills/lib/services.ts) started with `lockMode`; the same flags
 * otherwise for both paths. Checks the server's setting and which path the hub said it took.
 */
async function privateMariadbPairs(lockMode: 1 | 2): Promise<Sweep> {
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

async function main(): Promise<void> {
  if (!existsSync(process.env.HUB_MAIN ?? join(REPO, 'backend', 'dist', 'main.js')))
    throw new Error('build the backend first: npm run build:backend');
  const mysql = Boolean(env.MYSQL_URL);
  console.log(
    `EchoCenter gateway benchmarks — ${new Date().toISOString()}, node ${process.version}, ${cpus().length} CPUs, load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );

  if (BENCH.has('chat')) {
    console.log(`\nRouted, persisted, acked chat: ${PAIRS} pairs, ~200-byte chat:send, ${STEP_SECONDS} s per step`);
    const bare = await barePairs();
    if (env.METRICS === 'compare') {
      const results = await metricsPairs();
      summary(bare, results);
      metricsRatio(results);
      return;
    }
    const results = [await hubPairs('sqlite', 1, env.METRICS === 'on' ? { env: METRICS_ON } : {})];
    if (mysql) results.push(await hubPairs('mysql', 1, env.METRICS === 'on' ? { env: METRICS_ON } : {}));
    else console.log('  (MariaDB skipped: MYSQL_URL not set)');
    summary(bare, results);
    if (BENCH.has('cross') && mysql) {
      console.log('\nCross-node chat: two hub nodes, Redis adapter, MariaDB; every pair split across the nodes');
      const cross = await hubPairs('mysql', 2);
      const single = results.find((r) => r.label === 'hub mysql')!;
      console.log(
        `  sustained ${sustained(cross).toFixed(0)}/s, peak ${peak(cross).toFixed(0)}/s = ${(peak(cross) / peak(single)).toFixed(2)} x single-node MariaDB peak; p99 @10k/s ${ms(p99At(cross, 10000))} ms; ${usPerMsg(cross).toFixed(0)} µs CPU/msg over both nodes`,
      );
    }
  }

  if (BENCH.has('rowpath')) {
    if (LOCK_MODE !== undefined && LOCK_MODE !== '2')
      throw new Error(
        `--autoinc-lock-mode ${LOCK_MODE}: only 2 (MySQL 8's default) selects the row-by-row path; the run measures 1 beside it`,
      );
    if (!MARIADBD || !MARIADB_INSTALL_DB)
      console.log(
        '\nChat insert paths skipped: mariadbd / mariadb-install-db not found (apt-get install mariadb-server)',
      );
    else {
      console.log(
        `\nChat insert paths: ${PAIRS} pairs, ~200-byte chat:send, ${STEP_SECONDS} s per step, on two private MariaDB servers started alike but for innodb_autoinc_lock_mode`,
      );
      console.log(
        "(1: one multi-row INSERT per batch, MariaDB's default; 2: MySQL 8's default, each batch row by row in one transaction)",
      );
      const bare = await barePairs(ROWPATH_RATES);
      const multi = await privateMariadbPairs(1);
      const rowByRow = await privateMariadbPairs(2);
      summary(bare, [multi, rowByRow]);
      const kept =
        sustained(rowByRow) > 0
          ? `sustained ${sustained(rowByRow).toFixed(0)}/s`
          : `kept up with no step (the lowest was ${ROWPATH_RATES[0]}/s)`;
      console.log(
        `\n  row-by-row: ${kept} vs multi-row's ${sustained(multi).toFixed(0)}/s sustained; peak ${peak(rowByRow).toFixed(0)}/s vs ${peak(multi).toFixed(0)}/s; server CPU ${usPerMsg(rowByRow).toFixed(0)} vs ${usPerMsg(multi).toFixed(0)} µs/msg (same run; load average now ${loadavg()
          .map((l) => l.toFixed(1))
          .join(' ')})`,
      );
    }
  }

  if (BENCH.has('idle')) {
    console.log('\nIdle authenticated agent sockets (one process)');
    for (const n of IDLE_COUNTS) {
      const bare = await startBare();
      await idleRow(
        'bare socket.io',
        bare,
        Array.from({ length: n }, (_, i) => `bare:${i + 1}`),
      );
      await bare.stop();
      const db = await createHubDb('sqlite');
      const hub = await startHub(db.env);
      const { tokens } = await db.insertAgents(n, 'idle');
      await idleRow('hub (sqlite)', hub, tokens);
      await hub.stop();
      await db.drop();
    }
  }

  if (BENCH.has('cluster')) {
    console.log(
      `\nIdle sockets on a ${WORKERS}-worker node cluster (Redis adapter${mysql ? ', MariaDB' : ', SQLite'})`,
    );
    const db = await createHubDb(mysql ? 'mysql' : 'sqlite');
    const hub = await startHub(db.env, { REDIS_URL, REDIS_PREFIX: `ec-bench-cluster-${process.pid}` }, WORKERS);
    const { tokens } = await db.insertAgents(CLUSTER_COUNT, 'cluster');
    await idleRow(`hub x${WORKERS} workers`, hub, tokens, () => hub.pids().slice(1));
    await hub.stop();
    await db.drop();
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
