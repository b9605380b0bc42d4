// After each fault: wait until it has ended (both nodes healthy, every client connected), then check the
// invariants 3 s later (every receiver holds what was stored by the end, operators every log, the approver
// every approval state) and the ledgers (nothing acked lost, nothing stored twice). A late receiver is
// explained: the fault's steps and its own story, in ms from the fault's start.
import type { Peer } from '../lib/clients';
import { health, type Node } from '../lib/cluster';
import type { ButlerLoad } from '../lib/butler-load';
import { checkComplete, chatMark, type Completeness } from '../lib/complete';
import { audit, type Sender } from '../lib/load';
import { auditLogs, type LogReporter, logMark, logsMissing } from '../lib/log-load';
import { log, type Report, waitUntil } from '../lib/util';
import { hitsOneNode, type FaultKind, type FaultRecord, type NodeName } from './schedule';

/** What the checks read and where they report. */
export interface ChaosWorld {
  dbUrl: string;
  seed: number;
  report: Report;
  nodes: Record<NodeName, Node>;
  /** Every client that must be back after a fault and hold every chat message addressed to it. */
  allPeers: Peer[];
  /** The operators, who follow logs. */
  operators: Peer[];
  butler: ButlerLoad;
  /** Every chat sender whose acks are audited (the flooder's too). */
  chatLedger: Sender[];
  reporters: LogReporter[];
}

/** One fault, as the loop ran it. */
export interface FaultRun {
  n: number;
  kind: FaultKind;
  name: NodeName;
  /** Epoch ms when it started and when it ended. */
  started: number;
  endedAt: number;
  /** The chat and log marks before it started. */
  chatSince: number;
  logSince: number;
}

/** A chat message a receiver lacked 3 s after a fault, to say later how late it came. */
export type LateMessage = Completeness['lacking'][number] & { endedAt: number };

/** Waits for the nodes, then for every client; returns when the nodes were back and when the fault ended. */
export async function awaitRecovery(w: ChaosWorld): Promise<{ nodesBackAt: number; endedAt: number }> {
  const { nodes } = w;
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
      w.allPeers.every((p) => p.connected),
    30_000,
    'recovery',
  ).catch(() => undefined);
  return { nodesBackAt, endedAt: Date.now() };
}

export async function checkAfterFault(
  w: ChaosWorld,
  f: FaultRun,
  phases: { at: number; what: string }[],
): Promise<{ record: FaultRecord; late: LateMessage[] }> {
  const { dbUrl, report, operators } = w;
  const chatEnd = await chatMark(dbUrl);
  const logEnd = await logMark(dbUrl);
  const approvalsAtEnd = await w.butler.snapshot(dbUrl);
  const complete = await checkComplete(dbUrl, w.allPeers, f.chatSince, chatEnd, f.endedAt);
  const logsGap = await logsMissing(dbUrl, operators, f.logSince, logEnd);
  const logsLacking = logsGap.missing;
  const approvals = await w.butler.approvalsMissing(dbUrl, approvalsAtEnd);
  const record: FaultRecord = {
    n: f.n,
    kind: f.kind,
    node: f.name,
    ms: f.endedAt - f.started,
    chatChecked: complete.checked,
    chatMissing: complete.missing,
    logsMissing: logsLacking,
    approvalsChecked: approvals.checked,
    approvalsMissing: approvals.missing,
  };
  log(
    `  ended after ${record.ms} ms; 3 s later: chat ${complete.missing} of ${complete.checked} missing, logs ${logsLacking} missing, approvals/command results ${approvals.missing} of ${approvals.checked} not shown as stored`,
  );
  const late: LateMessage[] = [];
  if (complete.missing || logsLacking) {
    // Why late: the fault's steps and each late receiver's own story (drops, connects, hints,
    // catch-up reads with their answer times), in ms from the fault's start.
    log(`  LATE after fault #${f.n}: ${phases.map((p) => `+${p.at - f.started} ${p.what}`).join('; ')}`);
    const latePeers = new Set([
      ...complete.lacking.map((l) => l.receiver),
      ...operators.filter((op) => logsGap.examples.some((e) => e.startsWith(`${op.name}:`))),
    ]);
    for (const peer of latePeers) {
      const ids = complete.lacking.filter((l) => l.receiver === peer);
      log(
        `    ${peer.name}: lacks ${ids.length} chat (ids ${ids
          .slice(0, 3)
          .map((l) => `${l.id} stored +${l.createdAt - f.started}`)
          .join(', ')}${ids.length > 3 ? ', …' : ''})`,
      );
      for (const line of peer.traceSince(f.started)) log(`      ${line}`);
    }
    late.push(...complete.lacking.map((l) => ({ ...l, endedAt: f.endedAt })));
  }
  const where = `seed ${w.seed}, fault #${f.n} (${f.kind}${hitsOneNode(f.kind) ? ` on ${f.name}` : ''})`;
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
  const chat = await audit(dbUrl, w.chatLedger);
  const logs = await auditLogs(dbUrl, w.reporters);
  report.expect(
    chat.lost.length === 0 && chat.duplicates.length === 0,
    `${where}: chat ledger: ${chat.lost.length} acked not stored, ${chat.duplicates.length} stored twice`,
  );
  report.expect(
    logs.lost.length === 0 && logs.duplicates === 0,
    `${where}: log ledger: ${logs.lost.length} acked not stored, ${logs.duplicates} stored twice`,
  );
  report.expect(w.nodes.A.alive() && w.nodes.B.alive(), `${where}: a node is down after recovery`);
  return { record, late };
}
