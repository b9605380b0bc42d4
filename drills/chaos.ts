// Drill: a randomized chaos soak. Two nodes (behind docker/nginx.conf when nginx is installed) on MariaDB
// and Redis; agents and operators chat both ways and agents report logs, while a seeded schedule injects
// one fault at a time with random gaps: kill -9 or SIGTERM of a node (restarted after), Redis down 8 s,
// MariaDB down 10 s (a private server; skipped without one), a client that stops reading under a flood
// addressed to it, and a barrage of junk events. After every fault, and at the end, the invariants are
// checked and printed with their counts; a failure names the seed and the fault that preceded it.
//
//   npm run drill:chaos -- --minutes 10 --seed 42 [--faults 'kill -9,SIGTERM']
import { readFileSync } from 'node:fs';
import { socketFuzzer, type Tally } from './barrage';
import { createOperator, Peer, registerAgent } from './lib/clients';
import { drillEnv, health, type Node } from './lib/cluster';
import { checkComplete, chatMark } from './lib/complete';
import { pick, rng } from './lib/junk';
import { audit, Sender } from './lib/load';
import { ButlerLoad } from './lib/butler-load';
import { auditLogs, LogReporter, logMark, logsMissing } from './lib/log-load';
import { NGINX } from './lib/nginx';
import { runCli, withTwoNodes } from './lib/scenario';
import { MARIADB_INSTALL_DB, MARIADBD, privateMariadb, type PrivateServer } from './lib/services';
import { log, mib, Report, sleep, waitUntil } from './lib/util';

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

type FaultKind = 'kill -9' | 'SIGTERM' | 'redis down 8 s' | 'mariadb down 10 s' | 'slow consumer' | 'barrage';

interface FaultRecord {
  n: number;
  kind: FaultKind;
  node: string;
  ms: number;
  chatChecked: number;
  chatMissing: number;
  logsMissing: number;
  approvalsChecked: number;
  approvalsMissing: number;
}

/** Stops / resumes reading a peer's TCP stream (its kernel buffers fill, then the node's queue). */
function pauseReading(peer: Peer, paused: boolean): boolean {
  const engine = (
    peer.socket as unknown as {
      io?: { engine?: { transport?: { ws?: { _socket?: { pause(): void; resume(): void } } } } };
    } | null
  )?.io?.engine;
  const tcp = engine?.transport?.ws?._socket;
  if (!tcp) return false;
  if (paused) tcp.pause();
  else tcp.resume();
  return true;
}

/** How many times the nodes closed a client that stopped reading, so far (their logs, across restarts). */
function slowConsumerCloses(nodes: Record<'A' | 'B', Node>): number {
  let n = 0;
  for (const node of Object.values(nodes)) {
    try {
      n += readFileSync(node.logFile, 'utf8').split('bytes queued for a client that is not reading').length - 1;
    } catch {
      /* no log yet */
    }
  }
  return n;
}

export async function chaosDrill(o: ChaosOptions): Promise<Report> {
  const report = new Report(`chaos soak (${o.minutes} min, seed ${o.seed})`);
  const r = rng(o.seed);
  const [gapMin, gapMax] = o.gapMs ?? [3000, 9000];
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
        const nodes: Record<'A' | 'B', Node> = { A: sc.a, B: sc.b };
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

        const all: FaultKind[] = [
          'kill -9',
          'SIGTERM',
          'redis down 8 s',
          'slow consumer',
          'barrage',
          ...(mariadb ? (['mariadb down 10 s'] as const) : []),
        ];
        const kinds = o.only?.length ? all.filter((k) => o.only!.includes(k)) : all;
        if (!kinds.length) throw new Error(`--faults names none of: ${all.join(', ')}`);
        log(
          `chaos for ${o.minutes} min, seed ${o.seed}, ${viaNginx ? 'behind nginx' : 'clients fail over between nodes'}; faults: ${kinds.join(', ')}`,
        );

        // Memory: sampled every second, per node name (a restarted node keeps its name).
        const baseline: Record<string, number> = { A: sc.a.rss(), B: sc.b.rss() };
        const peak: Record<string, number> = { ...baseline };
        let sampling = true;
        const sampler = (async () => {
          while (sampling) {
            for (const [name, node] of Object.entries(nodes))
              if (node.alive()) peak[name] = Math.max(peak[name], node.rss() || 0);
            await sleep(1000);
          }
        })();

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
        const barrageTally: Tally = new Map();
        let cutOffs = 0;
        let nodeCutOffs = 0;
        const clientsBackMs: number[] = [];
        const lateIds: { receiver: Peer; id: number; endedAt: number }[] = [];

        // When each step of the current fault happened (epoch ms), to explain a late receiver.
        let phases: { at: number; what: string }[] = [];
        const phase = (what: string) => phases.push({ at: Date.now(), what });
        const restart = async (name: 'A' | 'B', signal: NodeJS.Signals) => {
          const node = nodes[name];
          node.kill(signal);
          await node.exited;
          phase(`node ${name} exited`);
          nodes[name] = await node.restart();
          phase(`node ${name} healthy again`);
        };
        const inject = async (kind: FaultKind, name: 'A' | 'B'): Promise<void> => {
          switch (kind) {
            case 'kill -9':
              return restart(name, 'SIGKILL');
            case 'SIGTERM':
              return restart(name, 'SIGTERM');
            case 'redis down 8 s':
              await sc.redis.stop();
              await sleep(8000);
              return sc.redis.start();
            case 'mariadb down 10 s':
              await mariadb!.stop();
              await sleep(10_000);
              return mariadb!.start();
            case 'slow consumer': {
              if (!pauseReading(slowPeer, true)) return;
              const drops = slowPeer.drops;
              const closedBefore = slowConsumerCloses(nodes);
              // ~7 MiB addressed to a client that reads nothing for 10 s: past the kernel's buffers (the node's
              // send buffer grows to tcp_wmem's max, 4 MiB; the paused client's receive buffer stays small) and
              // the node's queue bound (256 KiB here), so its node cuts it off; it reconnects and catches up.
              await flooder.run(Date.now() + 10_000, flooder.created + 450, 45);
              pauseReading(slowPeer, false);
              await flooder.flush(Date.now() + 10_000);
              // The client sees the cut when it reads again; give it a moment to notice and reconnect.
              await waitUntil(
                () => slowPeer.drops > drops && slowPeer.connected,
                5000,
                'the slow client to reconnect',
              ).catch(() => undefined);
              const closed = slowConsumerCloses(nodes) - closedBefore;
              nodeCutOffs += closed;
              if (slowPeer.drops > drops) cutOffs++;
              phase(`slow client: node closed it ${closed}×, client saw ${slowPeer.drops - drops} drop(s)`);
              return;
            }
            case 'barrage':
              await socketFuzzer(
                nodes[name].url,
                junk.token,
                { self: junk.id, peer: operators[0].id },
                Date.now() + 5000,
                3000,
                Math.floor(r() * 1e9),
                barrageTally,
              );
              return;
          }
        };

        let n = 0;
        while (Date.now() < deadline) {
          await sleep(gapMin + Math.floor(r() * (gapMax - gapMin)));
          if (Date.now() >= deadline) break;
          const kind = pick(r, kinds);
          const name = pick(r, ['A', 'B'] as const);
          n++;
          const chatSince = await chatMark(db.url).catch(() => 0);
          const logSince = await logMark(db.url).catch(() => 0);
          const started = Date.now();
          phases = [];
          log(
            `fault #${n}: ${kind}${kind === 'kill -9' || kind === 'SIGTERM' || kind === 'barrage' ? ` on ${name}` : ''}`,
          );
          await inject(kind, name);
          // The nodes (and the service that was down) are back: from here clients are on their own.
          await waitUntil(
            async () => (await health(nodes.A.url)) === 200 && (await health(nodes.B.url)) === 200,
            30_000,
            'the nodes',
          ).catch(() => undefined);
          const nodesBackAt = Date.now();
          // The fault has ended when both nodes answer and every client is connected again.
          await waitUntil(
            async () =>
              (await health(nodes.A.url)) === 200 &&
              (await health(nodes.B.url)) === 200 &&
              allPeers.every((p) => p.connected),
            30_000,
            'recovery',
          ).catch(() => undefined);
          const endedAt = Date.now();
          phase('ended (both nodes healthy, every client connected)');
          // How long the slowest client took to be back once the nodes were (its reconnect backoff included).
          const back = Math.max(0, ...allPeers.map((p) => p.connectedAt - nodesBackAt));
          clientsBackMs.push(back);
          const chatEnd = await chatMark(db.url);
          const logEnd = await logMark(db.url);
          const approvalsAtEnd = await butler.snapshot(db.url);
          const complete = await checkComplete(db.url, allPeers, chatSince, chatEnd, endedAt);
          const logsGap = await logsMissing(db.url, operators, logSince, logEnd);
          const logsLacking = logsGap.missing;
          const approvals = await butler.approvalsMissing(db.url, approvalsAtEnd);
          const record: FaultRecord = {
            n,
            kind,
            node: name,
            ms: endedAt - started,
            chatChecked: complete.checked,
            chatMissing: complete.missing,
            logsMissing: logsLacking,
            approvalsChecked: approvals.checked,
            approvalsMissing: approvals.missing,
          };
          faults.push(record);
          log(
            `  ended after ${record.ms} ms; 3 s later: chat ${complete.missing} of ${complete.checked} missing, logs ${logsLacking} missing, approvals/command results ${approvals.missing} of ${approvals.checked} not shown as stored`,
          );
          if (complete.missing || logsLacking) {
            // Why late: the fault's steps and each late receiver's own story (drops, connects, hints,
            // catch-up reads with their answer times), in ms from the fault's start.
            log(`  LATE after fault #${n}: ${phases.map((p) => `+${p.at - started} ${p.what}`).join('; ')}`);
            const late = new Set([
              ...complete.lacking.map((l) => l.receiver),
              ...operators.filter((op) => logsGap.examples.some((e) => e.startsWith(`${op.name}:`))),
            ]);
            for (const peer of late) {
              const ids = complete.lacking.filter((l) => l.receiver === peer);
              log(
                `    ${peer.name}: lacks ${ids.length} chat (ids ${ids
                  .slice(0, 3)
                  .map((l) => `${l.id} stored +${l.createdAt - started}`)
                  .join(', ')}${ids.length > 3 ? ', …' : ''})`,
              );
              for (const line of peer.traceSince(started)) log(`      ${line}`);
            }
            lateIds.push(...complete.lacking.map((l) => ({ ...l, endedAt })));
          }
          const where = `seed ${o.seed}, fault #${n} (${kind}${kind === 'kill -9' || kind === 'SIGTERM' ? ` on ${name}` : ''})`;
          report.expect(
            complete.missing === 0,
            `${where}: receivers miss ${complete.missing} stored chat messages 3 s after recovery, e.g. ${complete.examples.join(', ')}`,
          );
          report.expect(
            logsLacking === 0,
            `${where}: operators miss ${logsLacking} stored logs 3 s after recovery, e.g. ${logsGap.examples.join(', ')}`,
          );
          report.expect(
            approvals.missing === 0,
            `${where}: the approver shows ${approvals.missing} approvals (or their command results) not as stored 3 s after recovery`,
          );
          // The ledgers, continuously: nothing acked may be missing, nothing stored twice, at any point.
          const chat = await audit(db.url, [...chatSenders, ...floodSenders]);
          const logs = await auditLogs(db.url, reporters);
          report.expect(
            chat.lost.length === 0 && chat.duplicates.length === 0,
            `${where}: chat ledger: ${chat.lost.length} acked not stored, ${chat.duplicates.length} stored twice`,
          );
          report.expect(
            logs.lost.length === 0 && logs.duplicates === 0,
            `${where}: log ledger: ${logs.lost.length} acked not stored, ${logs.duplicates} stored twice`,
          );
          report.expect(nodes.A.alive() && nodes.B.alive(), `${where}: a node is down after recovery`);
        }

        // The end: stop the load, let every unacked send through, then the final invariants.
        [...chatSenders, ...reporters, butler].forEach((s) => s.stop());
        await Promise.all(runs);
        await Promise.all([...chatSenders, ...floodSenders].map((s) => s.flush(Date.now() + 20_000)));
        await Promise.all(reporters.map((rep) => rep.flush(Date.now() + 20_000)));
        const endAt = Date.now();
        const finalChat = await checkComplete(db.url, allPeers, 0, await chatMark(db.url), endAt);
        const finalLogsGap = await logsMissing(db.url, operators, logSince0, await logMark(db.url));
        const finalLogs = finalLogsGap.missing;
        sampling = false;
        await sampler;
        const chat = await audit(db.url, [...chatSenders, ...floodSenders]);
        const logs = await auditLogs(db.url, reporters);
        const turns = await butler.ledger(db.url, 40_000);
        const byKind = new Map<string, number>();
        for (const f of faults) byKind.set(f.kind, (byKind.get(f.kind) ?? 0) + 1);

        report.fig('command', `npm run drill:chaos -- --minutes ${o.minutes} --seed ${o.seed}`);
        report.fig(
          'set-up',
          `2 nodes${viaNginx ? ' behind nginx' : ''}, MariaDB${mariadb ? ' (private)' : ''}, Redis (private); 4 agents × 8 msg/s + 4 logs/s, 2 operators × 3 msg/s, 1 slow client (straight to the nodes) flooded with 16 kB messages at 45/s while it reads nothing for 10 s; Butler turns every 4 s (approve / reject / leave to expire)`,
        );
        report.fig('duration', `${((endAt - start) / 60000).toFixed(1)} min`);
        report.fig('faults injected', `${faults.length}: ${[...byKind].map(([k, v]) => `${k} ×${v}`).join(', ')}`);
        report.fig('chat: created / acked / stored', `${chat.created} / ${chat.acked} / ${chat.stored}`);
        report.fig('invariant: acked chat message lost', chat.lost.length);
        report.fig('invariant: chat message stored twice', chat.duplicates.length);
        report.fig('invariant: chat message never acked', chat.unacked);
        report.fig('logs: acked / stored', `${logs.acked} / ${logs.stored}`);
        report.fig('invariant: acked log lost', logs.lost.length);
        report.fig('invariant: log stored twice', logs.duplicates);
        report.fig(
          'invariant: receivers missing chat 3 s after a fault (sum)',
          `${faults.reduce((x, f) => x + f.chatMissing, 0)} (of ${faults.reduce((x, f) => x + f.chatChecked, 0)} checked)`,
        );
        report.fig(
          'invariant: operators missing logs 3 s after a fault (sum)',
          faults.reduce((x, f) => x + f.logsMissing, 0),
        );
        report.fig(
          'invariant: approver missing approval/command-result states 3 s after a fault (sum)',
          `${faults.reduce((x, f) => x + f.approvalsMissing, 0)} (of ${faults.reduce((x, f) => x + f.approvalsChecked, 0)} checked)`,
        );
        report.fig('invariant: receivers missing chat at the end', `${finalChat.missing} of ${finalChat.checked}`);
        report.fig('invariant: operators missing logs at the end', finalLogs);
        report.fig('Butler turns asked', turns.asked);
        report.fig('invariant: Butler turn unanswered', turns.unanswered);
        report.fig('invariant: Butler turn answered twice', turns.answeredTwice);
        report.fig(
          'approvals (our intent: approve / reject / leave to expire)',
          `${turns.decided.approve} / ${turns.decided.reject} / ${turns.decided.leave}; final ${JSON.stringify(turns.statuses)}`,
        );
        report.fig('invariant: approval decided twice (two 200s)', turns.decidedTwice);
        report.fig('invariant: approved commands run exactly once', turns.approvedRanOnce);
        report.fig('invariant: command run more than once', turns.ranTwice);
        report.fig('invariant: rejected or expired command that ran', turns.notApprovedRan);
        report.fig('invariant: approval with more than one command row', turns.commandRowsTwice);
        report.fig('chat send errors by code', JSON.stringify(chat.errors));
        report.fig(
          'sync:hints received (operators / agents)',
          `${operators.map((p) => p.hints).join('+')} / ${agents.map((p) => p.hints).join('+')}`,
        );
        if (lateIds.length) {
          const delays = lateIds.map(
            (l) =>
              Math.min(l.receiver.seenAt.get(l.id) ?? Infinity, l.receiver.recoveredAt.get(l.id) ?? Infinity) -
              l.endedAt,
          );
          report.fig(
            'late chat messages: arrived after the fault ended (ms, min / median / max)',
            `${Math.min(...delays)} / ${[...delays].sort((x, y) => x - y)[Math.floor(delays.length / 2)]} / ${Math.max(...delays)}`,
          );
        }
        report.fig(
          'slowest client back after the nodes were healthy (ms, median / max over faults)',
          `${[...clientsBackMs].sort((x, y) => x - y)[Math.floor(clientsBackMs.length / 2)] ?? 0} / ${Math.max(0, ...clientsBackMs)}`,
        );
        const slowFaults = faults.filter((f) => f.kind === 'slow consumer').length;
        report.fig(
          "slow client cut off by its node (faults where it was / closes in the nodes' logs)",
          `${cutOffs} of ${slowFaults} / ${nodeCutOffs}`,
        );
        report.fig('barrage outcomes', [...barrageTally].map(([k, v]) => `${k} ${v}`).join(', ') || 'none');
        for (const name of ['A', 'B'])
          report.fig(`node ${name} RSS after start / peak`, `${mib(baseline[name])} / ${mib(peak[name])}`);
        report.fig(
          'fault log',
          faults
            .map(
              (f) => `#${f.n} ${f.kind}${f.kind === 'kill -9' || f.kind === 'SIGTERM' ? ` ${f.node}` : ''} ${f.ms} ms`,
            )
            .join('; ') || 'none',
        );

        const last = faults.length
          ? `seed ${o.seed}, after fault #${faults.length} (${faults[faults.length - 1].kind})`
          : `seed ${o.seed}`;
        report.expect(chat.lost.length === 0, `${last}: ${chat.lost.length} acked chat messages not stored`);
        report.expect(chat.duplicates.length === 0, `${last}: ${chat.duplicates.length} chat messages stored twice`);
        report.expect(chat.unacked === 0, `${last}: ${chat.unacked} chat messages never acked`);
        report.expect(
          logs.lost.length === 0 && logs.duplicates === 0,
          `${last}: logs lost ${logs.lost.length}, stored twice ${logs.duplicates}`,
        );
        report.expect(
          finalChat.missing === 0,
          `${last}: receivers miss ${finalChat.missing} stored chat messages at the end, e.g. ${finalChat.examples.join(', ')}`,
        );
        report.expect(
          finalLogs === 0,
          `${last}: operators miss ${finalLogs} stored logs at the end, e.g. ${finalLogsGap.examples.join(', ')}`,
        );
        report.expect(
          turns.unanswered === 0 && turns.answeredTwice === 0,
          `${last}: Butler turns unanswered ${turns.unanswered}, answered twice ${turns.answeredTwice}`,
        );
        report.expect(turns.decidedTwice === 0, `${last}: ${turns.decidedTwice} approvals accepted two decisions`);
        const [ranOnce, approvedN] = turns.approvedRanOnce.split('/').map(Number);
        report.expect(ranOnce === approvedN, `${last}: approved commands run exactly once: ${turns.approvedRanOnce}`);
        report.expect(
          turns.ranTwice === 0 && turns.commandRowsTwice === 0,
          `${last}: a command ran twice (runs ${turns.ranTwice}, rows ${turns.commandRowsTwice})`,
        );
        report.expect(turns.notApprovedRan === 0, `${last}: ${turns.notApprovedRan} rejected or expired commands ran`);
        // A slow consumer fault that cut nobody off tested nothing: the flood must outgrow the buffers.
        report.expect(
          cutOffs === slowFaults,
          `${last}: the slow client was cut off in ${cutOffs} of ${slowFaults} slow consumer faults`,
        );
        const maxGrowth = o.maxGrowthMiB ?? 300;
        for (const name of ['A', 'B'])
          report.expect(
            peak[name] - baseline[name] <= maxGrowth,
            `${last}: node ${name} grew ${mib(peak[name] - baseline[name])} (bound ${maxGrowth} MiB)`,
          );
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
