// The end of a chaos run: every figure (counts of each invariant, the fault log, latencies, memory), then
// the final invariants as expectations; a failure names the seed and the last fault before it.
import type { Tally } from '../barrage';
import type { ButlerLedger } from '../lib/butler-load';
import type { Peer } from '../lib/clients';
import type { Completeness } from '../lib/complete';
import type { Ledger } from '../lib/load';
import type { auditLogs } from '../lib/log-load';
import { mib, type Report } from '../lib/util';
import type { LateMessage } from './after-fault';
import { hitsOneNode, type FaultRecord } from './schedule';

export interface ChaosOutcome {
  minutes: number;
  seed: number;
  /** Bound on a node's RSS growth above its level after start-up (MiB). */
  maxGrowthMiB: number;
  viaNginx: boolean;
  privateMariadb: boolean;
  /** Epoch ms of the start of the load and of the final checks. */
  start: number;
  endAt: number;
  faults: FaultRecord[];
  chat: Ledger;
  logs: Awaited<ReturnType<typeof auditLogs>>;
  finalChat: Completeness;
  finalLogsGap: { missing: number; examples: string[] };
  turns: ButlerLedger;
  operators: Peer[];
  agents: Peer[];
  lateIds: LateMessage[];
  clientsBackMs: number[];
  slow: { cutOffs: number; nodeCutOffs: number };
  barrageTally: Tally;
  memory: { baseline: Record<string, number>; peak: Record<string, number> };
}

const sum = (faults: FaultRecord[], of: (f: FaultRecord) => number) => faults.reduce((x, f) => x + of(f), 0);

/** Slow consumer faults in the run. */
const slowFaults = (faults: FaultRecord[]) => faults.filter((f) => f.kind === 'slow consumer').length;

function figures(report: Report, o: ChaosOutcome): void {
  const { chat, logs, faults, turns, finalChat } = o;
  const byKind = new Map<string, number>();
  for (const f of faults) byKind.set(f.kind, (byKind.get(f.kind) ?? 0) + 1);

  report.fig('command', `npm run drill:chaos -- --minutes ${o.minutes} --seed ${o.seed}`);
  report.fig(
    'set-up',
    `2 nodes${o.viaNginx ? ' behind nginx' : ''}, MariaDB${o.privateMariadb ? ' (private)' : ''}, Redis (private); 4 agents × 8 msg/s + 4 logs/s, 2 operators × 3 msg/s, 1 slow client (straight to the nodes) flooded with 16 kB messages at 45/s while it reads nothing for 10 s; Butler turns every 4 s (approve / reject / leave to expire)`,
  );
  report.fig('duration', `${((o.endAt - o.start) / 60000).toFixed(1)} min`);
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
    `${sum(faults, (f) => f.chatMissing)} (of ${sum(faults, (f) => f.chatChecked)} checked)`,
  );
  report.fig(
    'invariant: operators missing logs 3 s after a fault (sum)',
    sum(faults, (f) => f.logsMissing),
  );
  report.fig(
    'invariant: approver missing approval/command-result states 3 s after a fault (sum)',
    `${sum(faults, (f) => f.approvalsMissing)} (of ${sum(faults, (f) => f.approvalsChecked)} checked)`,
  );
  report.fig('invariant: receivers missing chat at the end', `${finalChat.missing} of ${finalChat.checked}`);
  report.fig('invariant: operators missing logs at the end', o.finalLogsGap.missing);
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
    `${o.operators.map((p) => p.hints).join('+')} / ${o.agents.map((p) => p.hints).join('+')}`,
  );
  if (o.lateIds.length) {
    const delays = o.lateIds.map(
      (l) =>
        Math.min(l.receiver.seenAt.get(l.id) ?? Infinity, l.receiver.recoveredAt.get(l.id) ?? Infinity) - l.endedAt,
    );
    report.fig(
      'late chat messages: arrived after the fault ended (ms, min / median / max)',
      `${Math.min(...delays)} / ${[...delays].sort((x, y) => x - y)[Math.floor(delays.length / 2)]} / ${Math.max(...delays)}`,
    );
  }
  const back = o.clientsBackMs;
  report.fig(
    'slowest client back after the nodes were healthy (ms, median / max over faults)',
    `${[...back].sort((x, y) => x - y)[Math.floor(back.length / 2)] ?? 0} / ${Math.max(0, ...back)}`,
  );
  report.fig(
    "slow client cut off by its node (faults where it was / closes in the nodes' logs)",
    `${o.slow.cutOffs} of ${slowFaults(faults)} / ${o.slow.nodeCutOffs}`,
  );
  report.fig('barrage outcomes', [...o.barrageTally].map(([k, v]) => `${k} ${v}`).join(', ') || 'none');
  const { baseline, peak } = o.memory;
  for (const name of ['A', 'B'])
    report.fig(`node ${name} RSS after start / peak`, `${mib(baseline[name])} / ${mib(peak[name])}`);
  report.fig(
    'fault log',
    faults.map((f) => `#${f.n} ${f.kind}${hitsOneNode(f.kind) ? ` ${f.node}` : ''} ${f.ms} ms`).join('; ') || 'none',
  );
}

function expectations(report: Report, o: ChaosOutcome): void {
  const { chat, logs, faults, turns, finalChat, finalLogsGap } = o;
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
    finalLogsGap.missing === 0,
    `${last}: operators miss ${finalLogsGap.missing} stored logs at the end, e.g. ${finalLogsGap.examples.join(', ')}`,
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
  const slow = slowFaults(faults);
  report.expect(
    o.slow.cutOffs === slow,
    `${last}: the slow client was cut off in ${o.slow.cutOffs} of ${slow} slow consumer faults`,
  );
  const { baseline, peak } = o.memory;
  for (const name of ['A', 'B'])
    report.expect(
      peak[name] - baseline[name] <= o.maxGrowthMiB,
      `${last}: node ${name} grew ${mib(peak[name] - baseline[name])} (bound ${o.maxGrowthMiB} MiB)`,
    );
}

/** Prints the run's figures into `report`, then records every final invariant that failed. */
export function reportChaosEnd(report: Report, o: ChaosOutcome): void {
  figures(report, o);
  expectations(report, o);
}
