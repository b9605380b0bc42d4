// Agents reporting logs under chaos, and the ledger that proves every acked log is stored, once.
import { createConnection } from 'mysql2/promise';
import type { LogDto } from '@echocenter/contracts';
import type { Peer } from './clients';
import { sleep } from './util';

/** One agent's log:report loop: a failed report keeps its localId and is retried first (stored once). */
export class LogReporter {
  readonly acked = new Map<string, number>();
  readonly pending: string[] = [];
  readonly errors = new Map<string, number>();
  created = 0;
  private stopped = false;

  constructor(readonly peer: Peer) {}

  async run(untilMs: number, perSecond: number): Promise<void> {
    while (!this.stopped && Date.now() < untilMs) {
      if (!this.pending.length) this.pending.push(`${this.peer.name}-log-${++this.created}`);
      if (!(await this.reportOne(this.pending[0]))) await sleep(200);
      await sleep(1000 / perSecond);
    }
  }

  async flush(untilMs: number): Promise<void> {
    while (this.pending.length && Date.now() < untilMs) if (!(await this.reportOne(this.pending[0]))) await sleep(200);
  }

  stop(): void {
    this.stopped = true;
  }

  private async reportOne(localId: string): Promise<boolean> {
    const s = this.peer.socket;
    const fail = (code: string) => (this.errors.set(code, (this.errors.get(code) ?? 0) + 1), false);
    if (!s?.connected) return fail('DISCONNECTED');
    try {
      const ack = (await s.timeout(5000).emitWithAck('log:report', { level: 'INFO', content: localId, localId })) as
        { ok: true; log: LogDto } | { ok: false; error: { code: string } };
      if (!ack.ok) return fail(ack.error.code);
      this.acked.set(localId, ack.log.id);
      this.pending.shift();
      return true;
    } catch {
      return fail('NO_ACK');
    }
  }
}

/** Acked logs not stored, and logs stored more than once (same reporter and localId). */
export async function auditLogs(
  dbUrl: string,
  reporters: LogReporter[],
): Promise<{ acked: number; stored: number; lost: string[]; duplicates: number }> {
  // Acks taken before the read: one arriving while the query runs is stored, but not in what it read.
  const ackedNow = reporters.map((r) => new Map(r.acked));
  const c = await createConnection(dbUrl);
  try {
    const ids = reporters.map((r) => r.peer.id);
    const [rows] = (await c.query('SELECT id, content FROM system_logs WHERE agent_id IN (?)', [ids])) as unknown as [
      { id: number; content: string }[],
    ];
    const byContent = new Map<string, number[]>();
    for (const r of rows) byContent.set(r.content, [...(byContent.get(r.content) ?? []), Number(r.id)]);
    const lost: string[] = [];
    for (const acked of ackedNow)
      for (const [localId, id] of acked) if (!byContent.get(localId)?.includes(id)) lost.push(localId);
    return {
      acked: ackedNow.reduce((n, a) => n + a.size, 0),
      stored: rows.length,
      lost,
      duplicates: [...byContent.values()].filter((v) => v.length > 1).length,
    };
  } finally {
    await c.end();
  }
}

/** The newest log id now. */
export async function logMark(dbUrl: string): Promise<number> {
  const c = await createConnection(dbUrl);
  try {
    const [rows] = (await c.query('SELECT COALESCE(MAX(id), 0) AS mark FROM system_logs')) as unknown as [
      { mark: number }[],
    ];
    return Number(rows[0].mark);
  } finally {
    await c.end();
  }
}

/** Stored logs in (since, mark] that an operator following logs lacks (`examples`: `<operator>:<log id>`). */
export async function logsMissing(
  dbUrl: string,
  operators: Peer[],
  since: number,
  mark: number,
): Promise<{ missing: number; examples: string[] }> {
  const c = await createConnection(dbUrl);
  try {
    const [rows] = (await c.query('SELECT id FROM system_logs WHERE id > ? AND id <= ?', [since, mark])) as unknown as [
      { id: number }[],
    ];
    const lacking = operators.flatMap((op) =>
      rows.filter((r) => !op.logsSeen.has(Number(r.id))).map((r) => `${op.name}:${r.id}`),
    );
    return { missing: lacking.length, examples: lacking.slice(0, 5) };
  } finally {
    await c.end();
  }
}
