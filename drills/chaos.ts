// Drill: a randomized chaos soak. Two nodes (behind docker/nginx.conf when nginx is installed) on MariaDB
// and Redis; agents and operators chat both ways and agents report logs, while a seeded schedule injects
// one fault at a time with random gaps: kill -9 or SIGTERM of a node (restarted after), Redis down 8 s,
// MariaDB down 10 s (a private server; skipped without one), a client that stops reading under a flood
// addressed to it, and a barrage of junk events. After every fault, and at the end, the invariants are
// checked and printed with their counts; a failure names the seed and the fault that preceded it.
//
//   npm run drill:chaos -- --minutes 10 --seed 42 [--faults 'kill -9,SIGTERM']
//
// This file sets the run up and drives it; chaos/ holds its parts: schedule.ts (the seeded fault schedule),
// inject.ts (each fault), after-fault.ts (the checks after each), memory.ts (RSS), final-report.ts (the end).
import { createOperator, Peer, registerAgent } from './lib/clients';
import { drillEnv, type Node } from './lib/cluster';
import { checkComplete, chatMark } from './lib/complete';
import { rng } from './lib/junk';
import { audit, Sender } from './lib/load';
import { ButlerLoad } from './lib/butler-load';
import { auditLogs, LogReporter, logMark, logsMissing } from './lib/log-load';
import { NGINX } from './lib/nginx';
import { runCli, withTwoNodes } from './lib/scenario';
import { MARIADB_INSTALL_DB, MARIADBD, privateMariadb, type PrivateServer } from './lib/services';
import { log, Report, sleep } from './lib/util';
import { awaitRecovery, checkAfterFault, type ChaosWorld, type LateMessage } from './chaos/after-fault';
import { reportChaosEnd } from './chaos/final-report';
import { FaultInjector } from './chaos/inject';
import { RssSampler } from './chaos/memory';
import { faultKinds, FaultSchedule, type FaultKind, type FaultRecord, type NodeName } from './chaos/schedule';

export type { FaultKind } from './chaos/schedule';

export interface ChaosOptions {
  mysqlUrl: string;
  minutes: number;
  seed: number;
  /** Gap between faults, drawn from [min, max] ms. */
  gapMs?: [number, number];
  /** Bound on a node's RSS growth above its level after start-up. */
  maxGrowthMiB?: number;
  /** Only these faults (default: all), e.g. to repeat kill -9 many times while looking into one. */
  only?: FaultKind[];
}

export async function chaosDrill(o: ChaosOptions): Promise<Report> {
  const report = new Report(`chaos soak (${o.minutes} min, seed ${o.seed})`);
  const r = rng(o.seed);
  const mariadb: PrivateServer | null = MARIADBD && MARIADB_INSTALL_DB ? await privateMariadb() : null;
  if (!mariadb) log('no private MariaDB (mariadbd, mariadb-install-db): database outages are left out');
  const viaNginx = NGINX !== null;
  try {
    return await withTwoNodes(
      {
        mysqlUrl: mariadb?.url ?? o.mysqlUrl,
        senders: 4,
        receivers: 2,
        viaNginx,
        trackLogs: true,
        // A node declared gone quickly, and a small queue bound so the slow client is really cut off.
        // Approvals left undecided expire within the run.
        env: {
          PRESENCE_HEARTBEAT_MS: '500',
          PRESENCE_NODE_TIMEOUT_MS: '2500',
          SOCKET_MAX_QUEUED_BYTES: String(256 * 1024),
          APPROVAL_TTL: '20',
        },
      },
      async (sc) => {
        const nodes: Record<NodeName, Node> = { A: sc.a, B: sc.b };
        const { admin, db, receivers: operators, senders: agentSenders } = sc;
        const agents = agentSenders.map((s) => s.peer);
        // Operators answer back: chat goes both ways, so agents are receivers too.
        const operatorSenders = operators.map(
          (op) =>
            new Sender(
              op,
              agents.map((a) => a.id),
              60,
            ),
        );
        const reporters = agents.map((a) => new LogReporter(a));
        // The slow client and the agent that floods it; a separate agent throws junk during a barrage.
        const slow = await createOperator(sc.a.url, admin, 'slowpoke');
        // Straight to the nodes, not through nginx: nginx reads a node's stream into its own socket buffers
        // (autotuned up to tcp_rmem's max, 32 MiB on some hosts) whatever its client does, so behind it a node
        // never queues for a client that stopped reading, and the cut-off is never exercised.
        const slowPeer = new Peer('slowpoke', slow.id, slow.token, [sc.a.url, sc.b.url]);
        const flood = await registerAgent(sc.a.url, admin, 'flooder');
        const floodPeer = new Peer(
          'flooder',
          flood.id,
          flood.token,
          viaNginx ? [sc.balancer!.url] : [sc.b.url, sc.a.url],
        );
        const junk = await registerAgent(sc.a.url, admin, 'junk-thrower');
        await Promise.all([slowPeer.connect(), floodPeer.connect()]);
        // Butler turns with approvals and commands, through the same nodes.
        const butler = new ButlerLoad(viaNginx ? [sc.balancer!.url] : [sc.a.url, sc.b.url], admin, rng(o.seed + 1));
        await butler.start(sc.peers);
        const allPeers = [...operators, ...agents, slowPeer];
        const chatSenders = [...agentSenders, ...operatorSenders];
        // One flooder for the whole run: its localIds keep counting, so two floods never share one.
        const flooder = new Sender(floodPeer, [slow.id], 16_000);
        const floodSenders: Sender[] = [flooder];

        const kinds = faultKinds(mariadb !== null, o.only);
        const schedule = new FaultSchedule(r, kinds, o.gapMs ?? [3000, 9000]);
        log(
          `chaos for ${o.minutes} min, seed ${o.seed}, ${viaNginx ? 'behind nginx' : 'clients fail over between nodes'}; faults: ${kinds.join(', ')}`,
        );

        const memory = new RssSampler(nodes);
        const start = Date.now();
        const deadline = start + o.minutes * 60_000;
        const loadUntil = deadline + 60_000; // stopped explicitly below
        const runs = [
          ...agentSenders.map((s) => s.run(loadUntil, Number.MAX_SAFE_INTEGER, 8)),
          ...operatorSenders.map((s) => s.run(loadUntil, Number.MAX_SAFE_INTEGER, 3)),
          ...reporters.map((rep) => rep.run(loadUntil, 4)),
          butler.run(loadUntil, 4000),
        ];
        const logSince0 = await logMark(db.url);
        const faults: FaultRecord[] = [];
        const clientsBackMs: number[] = [];
        const lateIds: LateMessage[] = [];
        const injector = new FaultInjector({
          nodes,
          redis: sc.redis,
          mariadb,
          slowPeer,
          flooder,
          junk,
          junkPeerId: operators[0].id,
          r,
        });
        const world: ChaosWorld = {
          dbUrl: db.url,
          seed: o.seed,
          report,
          nodes,
          allPeers,
          operators,
          butler,
          chatLedger: [...chatSenders, ...floodSenders],
          reporters,
        };

        let n = 0;
        while (Date.now() < deadline) {
          await sleep(schedule.nextGap());
          if (Date.now() >= deadline) break;
          const { kind, name } = schedule.nextFault();
          n++;
          const chatSince = await chatMark(db.url).catch(() => 0);
          const logSince = await logMark(db.url).catch(() => 0);
          const started = Date.now();
          injector.begin();
          log(
            `fault #${n}: ${kind}${kind === 'kill -9' || kind === 'SIGTERM' || kind === 'barrage' ? ` on ${name}` : ''}`,
          );
          await injector.inject(kind, name);
          const { nodesBackAt, endedAt } = await awaitRecovery(world);
          injector.phase('ended (both nodes healthy, every client connected)');
          // How long the slowest client took to be back once the nodes were (its reconnect backoff included).
          clientsBackMs.push(Math.max(0, ...allPeers.map((p) => p.connectedAt - nodesBackAt)));
          const after = await checkAfterFault(
            world,
            { n, kind, name, started, endedAt, chatSince, logSince },
            injector.phases,
          );
          faults.push(after.record);
          lateIds.push(...after.late);
        }

        // The end: stop the load, let every unacked send through, then the final invariants.
        [...chatSenders, ...reporters, butler].forEach((s) => s.stop());
        await Promise.all(runs);
        await Promise.all([...chatSenders, ...floodSenders].map((s) => s.flush(Date.now() + 20_000)));
        await Promise.all(reporters.map((rep) => rep.flush(Date.now() + 20_000)));
        const endAt = Date.now();
        const finalChat = await checkComplete(db.url, allPeers, 0, await chatMark(db.url), endAt);
        const finalLogsGap = await logsMissing(db.url, operators, logSince0, await logMark(db.url));
        await memory.stop();
        const chat = await audit(db.url, [...chatSenders, ...floodSenders]);
        const logs = await auditLogs(db.url, reporters);
        const turns = await butler.ledger(db.url, 40_000);
        reportChaosEnd(report, {
          minutes: o.minutes,
          seed: o.seed,
          maxGrowthMiB: o.maxGrowthMiB ?? 300,
          viaNginx,
          privateMariadb: mariadb !== null,
          start,
          endAt,
          faults,
          chat,
          logs,
          finalChat,
          finalLogsGap,
          turns,
          operators,
          agents,
          lateIds,
          clientsBackMs,
          slow: { cutOffs: injector.cutOffs, nodeCutOffs: injector.nodeCutOffs },
          barrageTally: injector.barrageTally,
          memory,
        });
        [slowPeer, floodPeer].forEach((p) => p.close());
        return report;
      },
    );
  } finally {
    await mariadb?.destroy();
  }
}

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const v =
    i >= 0
      ? Number(process.argv[i + 1])
      : process.env[`DRILL_${name.toUpperCase()}`]
        ? Number(process.env[`DRILL_${name.toUpperCase()}`])
        : fallback;
  if (!Number.isFinite(v) || v <= 0) throw new Error(`--${name} must be a positive number`);
  return v;
}

if (require.main === module) {
  const i = process.argv.indexOf('--faults');
  const only = i >= 0 ? ((process.argv[i + 1] ?? '').split(',').map((k) => k.trim()) as FaultKind[]) : undefined;
  runCli(() =>
    chaosDrill({
      mysqlUrl: drillEnv().mysqlUrl,
      minutes: arg('minutes', 5),
      seed: arg('seed', Date.now() % 100000),
      only,
    }),
  );
}
