import { existsSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { MARIADB_INSTALL_DB, MARIADBD } from '../../drills/lib/services';
import { barePairs, hubPairs, METRICS_ON, metricsPairs, privateMariadbPairs } from './chat-sweep';
import { idleRow } from './idle-sockets';
import {
  BENCH,
  CLUSTER_COUNT,
  IDLE_COUNTS,
  LOCK_MODE,
  PAIRS,
  REDIS_URL,
  ROWPATH_RATES,
  STEP_SECONDS,
  WORKERS,
} from './lib/config';
import { createHubDb, REPO, startBare, startHub } from './lib/hub';
import { metricsRatio, ms, p99At, peak, summary, sustained, usPerMsg } from './summary';

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
 * This file picks the scenarios and prints their headings; chat-sweep.ts and idle-sockets.ts run them,
 * summary.ts prints the tables, lib/config.ts reads the settings above.
 */
const env = process.env;

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
