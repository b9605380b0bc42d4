// Drill: a client that never reads. Its node must not buffer for it without bound: memory stays within
// a fixed margin while others keep sending to it, the other clients are served as usual, and what the
// slow client missed is stored for its catch-up.
import { readFileSync } from 'node:fs';
import { audit, percentile } from './lib/load';
import { Peer } from './lib/clients';
import { envNum, runCli, withTwoNodes } from './lib/scenario';
import { drillEnv } from './lib/cluster';
import { log, mib, Report, sleep } from './lib/util';

export interface SlowConsumerOptions {
  mysqlUrl: string;
  senders: number;
  ratePerSender: number;
  textBytes: number;
  durationMs: number;
  /** The most the node may grow (RSS) above its level before the load. */
  maxGrowthMiB: number;
  /** SOCKET_MAX_QUEUED_BYTES for the nodes (default: the server's 8 MiB). */
  maxQueuedBytes?: number;
}

/** Stops reading the socket's TCP stream: the kernel buffers fill, then the server's. */
function stopReading(peer: Peer): boolean {
  const engine = (peer.socket as unknown as { io: { engine: { transport: { ws?: { _socket?: { pause(): void } } } } } })
    .io.engine;
  const tcp = engine.transport.ws?._socket;
  if (!tcp) return false;
  tcp.pause();
  return true;
}

export async function slowConsumerDrill(o: SlowConsumerOptions): Promise<Report> {
  const report = new Report('slow consumer');
  // Receiver 0 (on A) is the one that never reads; receiver 1 (on B) is a normal client.
  return withTwoNodes(
    {
      mysqlUrl: o.mysqlUrl,
      senders: o.senders,
      textBytes: o.textBytes,
      failover: false,
      env: o.maxQueuedBytes ? { SOCKET_MAX_QUEUED_BYTES: String(o.maxQueuedBytes) } : {},
    },
    async ({ a, b, db, receivers, senders }) => {
      const [slow, normal] = receivers;
      // Everything goes to the slow client except every 10th message, which goes to the normal one.
      for (const s of senders)
        (s as { targets: number[] }).targets.splice(
          0,
          2,
          ...Array.from({ length: 10 }, (_, i) => (i === 0 ? normal.id : slow.id)),
        );
      await sleep(1000);
      const before = a.rss();
      report.expect(stopReading(slow), 'could not pause the slow client');
      log(
        `${slow.name} stopped reading; ${o.senders} agents send ${o.textBytes}-byte messages at ${o.ratePerSender}/s each for ${o.durationMs} ms`,
      );
      let peak = before;
      let sampling = true;
      const sampler = (async () => {
        while (sampling) {
          peak = Math.max(peak, a.rss());
          await sleep(250);
        }
      })();
      const until = Date.now() + o.durationMs;
      await Promise.all(
        senders.map((s) => s.run(until, Math.ceil((o.ratePerSender * o.durationMs) / 1000), o.ratePerSender)),
      );
      await Promise.all(senders.map((s) => s.flush(Date.now() + 10000)));
      await sleep(2000);
      sampling = false;
      await sampler;
      const after = a.rss();
      const ledger = await audit(db.url, senders);
      const toSlow = senders.reduce(
        (n, s) => n + [...s.acked.keys()].filter((l) => s.targetOf(l) === slow.id).length,
        0,
      );
      const toNormal = ledger.acked - toSlow;
      const normalGot = [...normal.seen.keys()].length;
      const lat = senders.flatMap((s) => s.latencies);
      // The paused client cannot see the close; the node's log says whether it cut the client off.
      const cutOff = readFileSync(a.logFile, 'utf8')
        .split('\n')
        .filter((l) => l.includes('not reading')).length;

      report.fig(
        'command',
        `npm run drill:slow (senders=${o.senders}, ${o.textBytes} B at ${o.ratePerSender}/s each, ${o.durationMs} ms)`,
      );
      report.fig('bytes sent to the slow client', `${mib((toSlow * o.textBytes) / 1024 / 1024)} in ${toSlow} messages`);
      report.fig('acked / stored / lost', `${ledger.acked} / ${ledger.stored} / ${ledger.lost.length}`);
      report.fig('normal client got', `${normalGot}/${toNormal}`);
      report.fig('node A RSS before / peak / after', `${mib(before)} / ${mib(peak)} / ${mib(after)}`);
      report.fig('slow client cut off by the node', cutOff ? `yes (${cutOff}x)` : 'no');
      report.fig('ack latency p50 / p99', `${percentile(lat, 50)} / ${percentile(lat, 99)} ms`);
      report.expect(a.alive() && b.alive(), 'a node died');
      report.expect(
        ledger.lost.length === 0 && ledger.unacked === 0,
        `lost ${ledger.lost.length}, never acked ${ledger.unacked}`,
      );
      report.expect(normalGot === toNormal, `the normal client got ${normalGot} of ${toNormal}`);
      // Kernel socket buffers absorb a few MiB before the node queues anything; below that, no cut-off is due.
      const limit = o.maxQueuedBytes ?? 8 * 1024 * 1024;
      report.expect(
        cutOff > 0 || toSlow * o.textBytes < limit + 8 * 1024 * 1024,
        `the node never cut off a client that did not read ${mib((toSlow * o.textBytes) / 1048576)}`,
      );
      report.expect(
        peak - before <= o.maxGrowthMiB,
        `node A grew ${mib(peak - before)} (bound ${o.maxGrowthMiB} MiB) for a client that never reads`,
      );
      return report;
    },
  );
}

if (require.main === module) {
  runCli(() =>
    slowConsumerDrill({
      mysqlUrl: drillEnv().mysqlUrl,
      senders: envNum('DRILL_SENDERS', 6),
      ratePerSender: envNum('DRILL_RATE', 40),
      textBytes: envNum('DRILL_TEXT_BYTES', 12000),
      durationMs: envNum('DRILL_DURATION_MS', 20000),
      maxGrowthMiB: envNum('DRILL_MAX_GROWTH_MIB', 64),
    }),
  );
}
