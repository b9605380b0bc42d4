// Drill: the database goes away for ~10 s under load (a PRIVATE MariaDB: the machine's own is shared).
// /api/health must turn 503 on both nodes, sends must fail with an error (never a false ack), the
// processes must survive, and everything must work again once the database is back.
import { health } from './lib/cluster';
import { audit, firstAckAfter } from './lib/load';
import { envNum, runCli, withTwoNodes } from './lib/scenario';
import { privateMariadb } from './lib/services';
import { log, Report, sleep } from './lib/util';

export interface DbOutageOptions {
  senders: number;
  ratePerSender: number;
  beforeMs: number;
  outageMs: number;
  afterMs: number;
}

export async function dbOutageDrill(o: DbOutageOptions): Promise<Report> {
  const report = new Report('database outage');
  const mariadb = await privateMariadb();
  try {
    return await withTwoNodes({ mysqlUrl: mariadb.url, senders: o.senders }, async ({ a, b, db, senders, peers }) => {
      const nodes = [a, b];
      const until = Date.now() + o.beforeMs + o.outageMs + o.afterMs;
      log(
        `${o.senders} agents sending ${o.ratePerSender}/s; MariaDB (pid-private, port ${mariadb.port}) stops after ${o.beforeMs} ms for ${o.outageMs} ms`,
      );
      const runs = senders.map((s) =>
        s.run(until, Math.ceil((o.ratePerSender * (until - Date.now())) / 1000), o.ratePerSender),
      );

      // Health is polled throughout; we want the first 503 after the stop and the first 200 after the start.
      const healthLog: { t: number; node: string; status: number }[] = [];
      let polling = true;
      const poller = (async () => {
        while (polling) {
          const t = Date.now();
          const st = await Promise.all(nodes.map((n) => health(n.url)));
          st.forEach((status, i) => healthLog.push({ t, node: nodes[i].name, status }));
          await sleep(200);
        }
      })();

      await sleep(o.beforeMs);
      const ackedBefore = senders.reduce((n, s) => n + s.acked.size, 0);
      const errorsBefore = senders.reduce((n, s) => n + [...s.errors.values()].reduce((x, y) => x + y, 0), 0);
      const stopAt = Date.now();
      await mariadb.stop();
      log(`MariaDB stopped (${ackedBefore} acked so far)`);
      await sleep(o.outageMs);
      const ackedDuring = senders.reduce((n, s) => n + s.acked.size, 0) - ackedBefore;
      const errorsDuring =
        senders.reduce((n, s) => n + [...s.errors.values()].reduce((x, y) => x + y, 0), 0) - errorsBefore;
      const startAt = Date.now();
      await mariadb.start();
      log(`MariaDB back after ${startAt - stopAt} ms (port ${mariadb.port})`);
      await Promise.all(runs);
      await Promise.all(senders.map((s) => s.flush(Date.now() + 20000)));
      polling = false;
      await poller;

      const ledger = await audit(db.url, senders);
      const firstBad = (node: string) => healthLog.find((h) => h.node === node && h.t >= stopAt && h.status !== 200);
      const firstGood = (node: string) => healthLog.find((h) => h.node === node && h.t >= startAt && h.status === 200);
      const unhealthyMs = nodes.map((n) => (firstBad(n.name) ? firstBad(n.name)!.t - stopAt : NaN));
      const healthyMs = nodes.map((n) => (firstGood(n.name) ? firstGood(n.name)!.t - startAt : NaN));
      const statuses = [...new Set(healthLog.filter((h) => h.t >= stopAt && h.t < startAt).map((h) => h.status))];

      report.fig(
        'command',
        `npm run drill:db (senders=${o.senders}, rate=${o.ratePerSender}/s, outage ${o.outageMs} ms)`,
      );
      report.fig('messages created', ledger.created);
      report.fig('send attempts (incl. retries)', ledger.attempts);
      report.fig('acked', ledger.acked);
      report.fig('acked while the database was down', ackedDuring);
      report.fig('failed sends while down', errorsDuring);
      report.fig('send errors by code', JSON.stringify(ledger.errors));
      report.fig('stored', ledger.stored);
      report.fig('lost (acked, not stored)', ledger.lost.length);
      report.fig('stored twice', ledger.duplicates.length);
      report.fig('never acked', ledger.unacked);
      report.fig('health statuses while down', statuses.join(', '));
      report.fig('stop → /api/health not 200 (A, B)', unhealthyMs.map((m) => `${m} ms`).join(', '));
      report.fig('start → /api/health 200 (A, B)', healthyMs.map((m) => `${m} ms`).join(', '));
      report.fig('start → every sender acking again', `${firstAckAfter(senders, startAt)} ms`);
      report.fig('node RSS after (A, B)', nodes.map((n) => `${n.rss().toFixed(0)} MiB`).join(', '));

      report.expect(
        nodes.every((n) => n.alive()),
        'a node died during the outage',
      );
      report.expect(
        statuses.length > 0 && statuses.every((s) => s === 503 || s === 0),
        `health answered ${statuses.join(',')} while the database was down (want 503)`,
      );
      report.expect(
        unhealthyMs.every((m) => m < 5000),
        'health took more than 5 s to turn unhealthy',
      );
      report.expect(
        healthyMs.every((m) => m < 15000),
        'health did not recover within 15 s',
      );
      report.expect(errorsDuring > 0, 'no send failed while the database was down (false acks?)');
      report.expect(!ledger.errors.TIMEOUT, `${ledger.errors.TIMEOUT} sends got no answer at all (want a clear error)`);
      report.expect(
        !ledger.errors.INTERNAL_ERROR,
        `${ledger.errors.INTERNAL_ERROR} sends failed with INTERNAL_ERROR (want UNAVAILABLE: retry later)`,
      );
      report.expect(ledger.lost.length === 0, `${ledger.lost.length} acked messages are not stored (false acks)`);
      report.expect(ledger.duplicates.length === 0, `${ledger.duplicates.length} messages stored twice`);
      report.expect(ledger.unacked === 0, `${ledger.unacked} messages never acked after the database returned`);
      report.expect(ledger.stored === ledger.created, `stored ${ledger.stored} != created ${ledger.created}`);
      report.expect(
        peers.every((p) => p.connected),
        'some clients are not connected at the end',
      );
      return report;
    });
  } finally {
    await mariadb.destroy();
  }
}

if (require.main === module) {
  runCli(() =>
    dbOutageDrill({
      senders: envNum('DRILL_SENDERS', 6),
      ratePerSender: envNum('DRILL_RATE', 30),
      beforeMs: envNum('DRILL_BEFORE_MS', 4000),
      outageMs: envNum('DRILL_OUTAGE_MS', 10000),
      afterMs: envNum('DRILL_AFTER_MS', 5000),
    }),
  );
}
