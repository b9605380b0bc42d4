// Drill: kill -9 one of two nodes under chat load. Every message acked before the kill must be in the
// database; clients fail over to the other node, resend what was unacked (same localId) and catch up
// with nothing missing and nothing stored twice.
import { drillEnv } from './lib/cluster';
import { audit, firstAckAfter, percentile, storedFor } from './lib/load';
import { envNum, runCli, withTwoNodes } from './lib/scenario';
import { checkComplete, chatMark } from './lib/complete';
import { log, Report, sleep, waitUntil } from './lib/util';

export interface KillNodeOptions {
  mysqlUrl: string;
  senders: number;
  ratePerSender: number;
  durationMs: number;
  killAfterMs: number;
  /** SIGKILL (a crash) or SIGTERM (a graceful stop: drain, close sockets, exit in bounded time). */
  signal?: 'SIGKILL' | 'SIGTERM';
  /** Clients reach the nodes only through docker/nginx.conf (run locally). */
  viaNginx?: boolean;
}

export async function killNodeDrill(o: KillNodeOptions): Promise<Report> {
  const signal = o.signal ?? 'SIGKILL';
  const report = new Report(
    signal === 'SIGKILL' ? 'kill -9 a node under load' : 'SIGTERM (graceful stop) of a node under load',
  );
  return withTwoNodes(
    { mysqlUrl: o.mysqlUrl, senders: o.senders, viaNginx: o.viaNginx },
    async ({ a, b, db, receivers, senders, peers, balancer }) => {
      if (balancer) report.fig('nginx -t on docker/nginx.conf', balancer.check);
      log(
        `${o.senders} agents sending ${o.ratePerSender}/s each for ${o.durationMs} ms to 2 operators; ${signal} to A after ${o.killAfterMs} ms`,
      );

      const until = Date.now() + o.durationMs;
      const runs = senders.map((s) =>
        s.run(until, Math.ceil((o.ratePerSender * o.durationMs) / 1000), o.ratePerSender),
      );
      await sleep(o.killAfterMs);
      const ackedBeforeKill = senders.reduce((n, s) => n + s.acked.size, 0);
      const killAt = Date.now();
      const sinceId = await chatMark(db.url);
      a.kill(signal);
      const exit = await a.exited;
      const exitMs = Date.now() - killAt;
      log(
        `A (pid ${a.pid}) ended by ${signal} after ${exitMs} ms (${JSON.stringify(exit)}) with ${ackedBeforeKill} messages acked so far`,
      );
      // The fault ends when every client is connected again; from then on, 3 s to hold everything stored.
      await waitUntil(() => peers.every((p) => p.connected), 20000, 'every client reconnected').catch(() => undefined);
      const endedAt = Date.now();
      const complete = checkComplete(db.url, receivers, sinceId, await chatMark(db.url), endedAt);
      // Behind nginx the client-to-node mapping is nginx's (hash of the client address): watch everyone.
      const onA = o.viaNginx ? senders : senders.filter((_, i) => i % 2 === 0);
      const completeness = await complete;
      await Promise.all(runs);
      await Promise.all(senders.map((s) => s.flush(Date.now() + 15000)));
      await sleep(1000); // last live deliveries

      const ledger = await audit(db.url, senders);
      const senderIds = senders.map((s) => s.peer.id);
      // A receiver that failed over must have everything after its catch-up. One that never dropped can
      // only miss a row the killed node committed but died before pushing; the sender's resend (same
      // localId) pushes it again, so only a row whose ack left before its push did can stay unpushed.
      let missing = 0;
      let notPushed = 0;
      let liveDup = 0;
      let recovered = 0;
      for (const r of receivers) {
        const stored = await storedFor(db.url, r.id, senderIds);
        const lacking = stored.filter((id) => !r.has(id));
        if (r.drops > 0) missing += lacking.length;
        else notPushed += lacking.length;
        if (lacking.length)
          log(
            `${r.name} (${r.drops ? 'failed over' : 'stayed connected'}) lacks ${lacking.length} stored messages, e.g. ${lacking.slice(0, 5).join(', ')}`,
          );
        liveDup += [...r.seen.values()].filter((n) => n > 1).length;
        recovered += [...r.recovered].filter((id) => !r.seen.has(id)).length;
      }
      const reconnects = peers.flatMap((p) => p.reconnectMs);
      const lat = senders.flatMap((s) => s.latencies);

      report.fig(
        'command',
        `npm run drill:${o.viaNginx ? 'lb' : signal === 'SIGKILL' ? 'kill' : 'sigterm'} (senders=${o.senders}, rate=${o.ratePerSender}/s each, ${o.durationMs} ms, kill at ${o.killAfterMs} ms)`,
      );
      report.fig(`${signal} → process gone`, `${exitMs} ms (exit ${exit.code ?? exit.signal})`);
      report.fig('messages created', ledger.created);
      report.fig('send attempts (incl. retries)', ledger.attempts);
      report.fig('acked before the kill', ackedBeforeKill);
      report.fig('acked in all', ledger.acked);
      report.fig('stored', ledger.stored);
      report.fig('lost (acked, not stored)', ledger.lost.length);
      report.fig('stored twice', ledger.duplicates.length);
      report.fig('never acked', ledger.unacked);
      report.fig('send errors by code', JSON.stringify(ledger.errors));
      report.fig('clients that failed over', peers.filter((p) => p.drops > 0).length);
      report.fig('reconnect time max', `${Math.max(0, ...reconnects)} ms`);
      report.fig('kill → A-side senders acking again', `${firstAckAfter(onA, killAt)} ms`);
      report.fig('receivers missing (after catch-up)', missing);
      report.fig('stored, never pushed live (caught up after sync:hint)', notPushed);
      report.fig(
        'fault end → receivers missing a stored message 3 s after recovery',
        `${completeness.missing} of ${completeness.checked}`,
      );
      report.fig('sync:hints received by receivers', receivers.map((r) => r.hints).join(' / '));
      report.fig('recovered by catch-up', recovered);
      // Informational: a resend is pushed again and clients drop an id they already have, so it is no duplicate.
      report.fig('same id pushed twice', liveDup);
      report.fig('ack latency p50 / p99', `${percentile(lat, 50)} / ${percentile(lat, 99)} ms`);
      report.expect(
        ledger.lost.length === 0,
        `${ledger.lost.length} acked messages are not in the database: ${ledger.lost.slice(0, 5).join(', ')}`,
      );
      report.expect(ledger.duplicates.length === 0, `${ledger.duplicates.length} messages stored twice`);
      report.expect(ledger.unacked === 0, `${ledger.unacked} messages never acked after failover`);
      report.expect(ledger.stored === ledger.created, `stored ${ledger.stored} != created ${ledger.created}`);
      report.expect(missing === 0, `receivers miss ${missing} stored messages after catch-up`);
      // A receiver that stayed connected catches up by itself (sync:hint when its node sees the peer go
      // silent), so a push lost with the killed node is no excuse any more.
      report.expect(
        completeness.missing === 0,
        `receivers miss ${completeness.missing} stored messages 3 s after recovery, e.g. ${completeness.examples.join(', ')}`,
      );
      report.expect(notPushed === 0, `${notPushed} stored message(s) never reached a receiver that stayed connected`);
      report.expect(
        peers.every((p) => p.connected),
        'some clients did not reconnect',
      );
      report.expect(b.alive(), 'node B died');
      if (signal === 'SIGTERM') {
        report.expect(exitMs < 10000, `the node took ${exitMs} ms to exit (bound: SHUTDOWN_TIMEOUT_MS, 10 s)`);
        report.expect(
          !ledger.errors.TIMEOUT,
          `${ledger.errors.TIMEOUT} sends got no answer during a graceful stop (want an ack or UNAVAILABLE)`,
        );
      }
      return report;
    },
  );
}

if (require.main === module) {
  runCli(() =>
    killNodeDrill({
      mysqlUrl: drillEnv().mysqlUrl,
      senders: envNum('DRILL_SENDERS', 8),
      ratePerSender: envNum('DRILL_RATE', 40),
      durationMs: envNum('DRILL_DURATION_MS', 15000),
      killAfterMs: envNum('DRILL_KILL_AFTER_MS', 6000),
      signal: process.argv.includes('--sigterm') || process.env.DRILL_SIGNAL === 'SIGTERM' ? 'SIGTERM' : 'SIGKILL',
    }),
  );
}
