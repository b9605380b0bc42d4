// Butler turns with approvals under chaos: an operator asks the Butler for a side-effecting command in a
// fresh thread now and then; a decider approves some, rejects some and leaves some to expire; an agent runs
// what it is sent and counts every run. The ledger says whether each turn was answered exactly once, each
// approval decided at most once, each approved command run exactly once and no other command run at all.
import { randomUUID } from 'node:crypto';
import type {
  ApprovalDto,
  ApprovalUpdatedEvent,
  CommandClaimAck,
  CommandPendingAck,
  CommandRunEvent,
} from '@echocenter/contracts';
import { createConnection } from 'mysql2/promise';
import { api, Peer, registerAgent } from './clients';
import { pick } from './junk';
import { sleep } from './util';

const AGENT_NAME = 'Chaos-Custodian';
const CARD = {
  description: 'chaos drill agent',
  version: '1.0.0',
  commands: [{ name: 'clean', args: '<path>', description: 'frees space (side effect)' }],
};

type Intent = 'approve' | 'reject' | 'leave';

// An approval only moves forward: a catch-up read older than a push just received must not undo it.
const RANK: Record<string, number> = {
  PENDING: 0,
  APPROVED: 1,
  RUNNING: 2,
  REJECTED: 3,
  EXPIRED: 3,
  SUCCEEDED: 3,
  FAILED: 3,
  TIMED_OUT: 3,
};

export interface ButlerLedger {
  asked: number;
  unanswered: number;
  answeredTwice: number;
  decided: Record<Intent, number>;
  decidedTwice: number;
  approvedRanOnce: string;
  ranTwice: number;
  notApprovedRan: number;
  commandRowsTwice: number;
  statuses: Record<string, number>;
}

export class ButlerLoad {
  readonly runs = new Map<number, number>();
  readonly asked: number[] = [];
  private readonly intents = new Map<number, Intent>();
  /** 200 answers per approval (a second 200 would be a second decision). */
  private readonly accepted = new Map<number, number>();
  private stopped = false;
  /** The approver's view of each approval's status (live pushes, then catch-up), as the console keeps it. */
  readonly known = new Map<number, string>();
  butler = 0;
  agent!: Peer;
  operator!: Peer;

  constructor(
    private readonly urls: string[],
    private readonly admin: string,
    private readonly r: () => number,
  ) {}

  private get url(): string {
    return this.urls[0];
  }

  async start(peers: Peer[]): Promise<void> {
    this.butler = (await api(this.url, 'GET', '/api/butler', this.admin)).body.id as number;
    const ag = await registerAgent(this.url, this.admin, AGENT_NAME);
    this.agent = new Peer(AGENT_NAME, ag.id, ag.token, this.urls);
    this.agent.reconnectDeadlineMs = 90_000;
    // What the SDKs do (docs/protocol.md, "Catching up"): claim each command before running it, and after
    // every reconnect and sync:hint ask for the commands sent and not claimed (a command:run push lost with
    // its node). `runs` counts real runs, so a command run twice or never shows in the ledger.
    const instance = randomUUID();
    const ran = new Set<number>();
    const claiming = new Set<number>();
    const report = (run: CommandRunEvent) =>
      void this.agent.socket
        ?.timeout(5000)
        .emitWithAck('command:result', { commandId: run.commandId, ok: true, result: `cleaned ${run.args ?? ''}` })
        .catch(() => undefined);
    const take = async (run: CommandRunEvent): Promise<void> => {
      if (ran.has(run.commandId)) return report(run); // its result may have been lost: send it again
      if (claiming.has(run.commandId)) return;
      claiming.add(run.commandId);
      try {
        const ack = (await this.agent.socket
          ?.timeout(5000)
          .emitWithAck('command:claim', { commandId: run.commandId, instance })
          .catch(() => null)) as CommandClaimAck | null | undefined;
        if (!ack?.ok || !ack.run || ran.has(run.commandId)) return;
        ran.add(run.commandId);
        this.runs.set(run.commandId, (this.runs.get(run.commandId) ?? 0) + 1);
        report(run);
      } finally {
        claiming.delete(run.commandId);
      }
    };
    const catchUp = async (): Promise<void> => {
      const ack = (await this.agent.socket
        ?.timeout(5000)
        .emitWithAck('command:pending', { instance })
        .catch(() => null)) as CommandPendingAck | null | undefined;
      if (ack?.ok) await Promise.all(ack.commands.map(take));
    };
    this.agent.handlers.push(
      ['command:run', (run: CommandRunEvent) => void take(run)],
      ['sync:hint', () => void catchUp()],
    );
    this.agent.onConnected = async (s) => {
      await s.timeout(5000).emitWithAck('agent:hello', CARD);
      void catchUp();
    };
    this.operator = new Peer('butler-operator', 1, this.admin, this.urls);
    this.operator.reconnectDeadlineMs = 90_000;
    // The approver follows approvals and command results as the console's inbox does: pushes, and a
    // reload after every reconnect and every sync:hint.
    this.operator.handlers.push(
      ['approval:requested', (a: { id: number }) => this.learn(a.id, 'PENDING')],
      ['approval:updated', (u: ApprovalUpdatedEvent) => this.learn(u.id, u.status)],
      ['sync:hint', () => void this.reload().catch(() => undefined)],
    );
    this.operator.onConnected = () => this.reload();
    peers.push(this.agent, this.operator);
    await this.agent.connect();
    await this.agent.onConnected(this.agent.socket!);
    await this.operator.connect();
  }

  private learn(id: number, status: string): void {
    const had = this.known.get(id);
    if (had === undefined || (RANK[status] ?? 0) >= (RANK[had] ?? 0)) this.known.set(id, status);
  }

  private async reload(): Promise<void> {
    const res = await api<{ items: ApprovalDto[] }>(this.operator.url, 'GET', '/api/approvals?limit=200', this.admin);
    for (const a of res.body?.items ?? []) this.learn(a.id, a.status);
  }

  /** Each approval's status in the database now (take it when a fault ends). */
  async snapshot(dbUrl: string): Promise<Map<number, string>> {
    const c = await createConnection(dbUrl);
    try {
      const [rows] = (await c.query('SELECT id, status FROM approvals WHERE agent_name = ?', [
        AGENT_NAME,
      ])) as unknown as [{ id: number; status: string }[]];
      return new Map(rows.map((r) => [Number(r.id), r.status]));
    } finally {
      await c.end();
    }
  }

  /**
   * Approvals (and the results of their commands) the approver does not show as stored: among those whose
   * status did not move between `atEnd` (the fault's end) and now, every one the approver lacks or shows
   * in another status.
   */
  async approvalsMissing(dbUrl: string, atEnd: Map<number, string>): Promise<{ missing: number; checked: number }> {
    const now = await this.snapshot(dbUrl);
    const stable = [...atEnd].filter(([id, status]) => now.get(id) === status);
    return { missing: stable.filter(([id, status]) => this.known.get(id) !== status).length, checked: stable.length };
  }

  /** Asks every `everyMs` (a thread each, so turns do not queue behind each other) and decides meanwhile. */
  async run(untilMs: number, everyMs: number): Promise<void> {
    let i = 0;
    let nextAsk = Date.now();
    while (!this.stopped && Date.now() < untilMs) {
      if (Date.now() >= nextAsk) {
        nextAsk = Date.now() + everyMs;
        await this.ask(i++).catch(() => undefined);
      }
      await this.decide().catch(() => undefined);
      await sleep(500);
    }
  }

  stop(): void {
    this.stopped = true;
  }

  private async ask(i: number): Promise<void> {
    const thread = (await api(this.url, 'POST', '/api/conversations', this.admin, { title: `chaos ${i}` })).body?.id as
      number | undefined;
    if (!thread) return;
    const localId = `chaos-ask-${i}`;
    // Resent with the same localId until acked: the question is stored once whatever the faults.
    for (let attempt = 0; attempt < 20 && !this.stopped; attempt++) {
      try {
        const ack = (await this.operator.socket?.timeout(5000).emitWithAck('chat:send', {
          targetId: this.butler,
          text: `ask ${AGENT_NAME} to clean /srv/chaos-${i}`,
          conversationId: thread,
          localId,
        })) as { ok: true; message: { id: number } } | { ok: false } | undefined;
        if (ack?.ok) {
          if (!this.asked.includes(ack.message.id)) this.asked.push(ack.message.id);
          return;
        }
      } catch {
        /* dropped with a connection: resend */
      }
      await sleep(500);
    }
  }

  private async decide(): Promise<void> {
    const res = await api<{ items: ApprovalDto[] }>(
      this.url,
      'GET',
      '/api/approvals?status=PENDING&limit=200',
      this.admin,
    );
    for (const ap of res.body?.items ?? []) {
      if (ap.agentName !== AGENT_NAME) continue;
      let intent = this.intents.get(ap.id);
      if (!intent)
        this.intents.set(
          ap.id,
          (intent = pick(this.r, ['approve', 'approve', 'approve', 'reject', 'reject', 'leave'] as const)),
        );
      if (intent === 'leave') continue;
      const out = await api(this.url, 'POST', `/api/approvals/${ap.id}/decision`, this.admin, {
        approved: intent === 'approve',
      });
      if (out.status === 200 || out.status === 201) this.accepted.set(ap.id, (this.accepted.get(ap.id) ?? 0) + 1);
    }
  }

  /** Waits for open approvals to settle (expiry included), then reads the database. */
  async ledger(dbUrl: string, settleMs: number): Promise<ButlerLedger> {
    const settled = (s: string) => ['SUCCEEDED', 'FAILED', 'REJECTED', 'EXPIRED', 'TIMED_OUT'].includes(s);
    const until = Date.now() + settleMs;
    let approvals: ApprovalDto[] = [];
    for (;;) {
      const list = await api<{ items: ApprovalDto[] }>(this.url, 'GET', '/api/approvals?limit=200', this.admin).catch(
        () => null,
      );
      approvals = (list?.body?.items ?? []).filter((a) => a.agentName === AGENT_NAME);
      if (approvals.every((a) => settled(a.status)) || Date.now() > until) break;
      await sleep(1000);
    }
    await sleep(1000); // a duplicate run would arrive now
    const c = await createConnection(dbUrl);
    try {
      const ids = this.asked.length ? this.asked : [0];
      const [answers] = (await c.query(
        'SELECT reply_to AS id, COUNT(*) AS n FROM chat_messages WHERE reply_to IN (?) GROUP BY reply_to',
        [ids],
      )) as unknown as [{ id: number; n: number }[]];
      const answeredBy = new Map(answers.map((a) => [Number(a.id), Number(a.n)]));
      const apIds = approvals.length ? approvals.map((a) => a.id) : [0];
      const [rows] = (await c.query(
        'SELECT approval_id AS id, COUNT(*) AS n FROM agent_commands WHERE approval_id IN (?) GROUP BY approval_id HAVING COUNT(*) > 1',
        [apIds],
      )) as unknown as [{ id: number }[]];
      const ranOnce = (a: ApprovalDto) => a.commandId !== null && this.runs.get(a.commandId) === 1;
      const approved = approvals.filter(
        (a) => this.intents.get(a.id) === 'approve' && a.status !== 'REJECTED' && a.status !== 'EXPIRED',
      );
      const notApproved = approvals.filter((a) => a.status === 'REJECTED' || a.status === 'EXPIRED');
      const decided: Record<Intent, number> = { approve: 0, reject: 0, leave: 0 };
      for (const a of approvals) decided[this.intents.get(a.id) ?? 'leave']++;
      return {
        asked: this.asked.length,
        unanswered: this.asked.filter((id) => !answeredBy.has(id)).length,
        answeredTwice: [...answeredBy.values()].filter((n) => n > 1).length,
        decided,
        decidedTwice: [...this.accepted.values()].filter((n) => n > 1).length,
        approvedRanOnce: `${approved.filter(ranOnce).length}/${approved.length}`,
        ranTwice: [...this.runs.values()].filter((n) => n > 1).length,
        notApprovedRan: notApproved.filter((a) => a.commandId !== null && this.runs.has(a.commandId)).length,
        commandRowsTwice: rows.length,
        statuses: approvals.reduce<Record<string, number>>((m, a) => ((m[a.status] = (m[a.status] ?? 0) + 1), m), {}),
      };
    } finally {
      await c.end();
    }
  }
}
