// Bounded chat load and the ledger that proves what was acked is stored, once.
import { createConnection } from 'mysql2/promise';
import type { Peer } from './clients';
import { sleep } from './util';

/**
 * Sends numbered messages from one peer, paced, bounded by count and time. A failed send keeps its
 * localId and is retried first (same localId, so the server stores it at most once): that is what a
 * real client does with an unacked message after a reconnect.
 */
export class Sender {
  readonly acked = new Map<string, number>();
  readonly pending: string[] = [];
  readonly errors = new Map<string, number>();
  attempts = 0;
  created = 0;
  /** Ack latencies in ms, for p50/p99. */
  readonly latencies: number[] = [];
  /** When each ack arrived (epoch ms), to measure how long an outage stopped this sender. */
  readonly ackedAt: number[] = [];
  /** Ack time (epoch ms) by stored message id. */
  readonly ackTimeById = new Map<number, number>();
  private n = 0;
  private stopped = false;

  constructor(
    readonly peer: Peer,
    readonly targets: number[],
    readonly textBytes = 40,
  ) {}

  private nextLocalId(): string {
    return `${this.peer.name}-${++this.n}`;
  }

  /** Sends until `untilMs` (epoch) or `max` new messages, at about `rate` per second. */
  async run(untilMs: number, max: number, rate: number): Promise<void> {
    const gap = 1000 / rate;
    let next = Date.now();
    while (!this.stopped && Date.now() < untilMs && (this.created < max || this.pending.length)) {
      const retry = this.pending.length > 0;
      const localId = retry ? this.pending[0] : this.created < max ? this.nextLocalId() : null;
      if (!localId) break;
      if (!retry) {
        this.created++;
        this.pending.push(localId);
      }
      const ok = await this.sendOne(localId);
      if (!ok) await sleep(200);
      next += gap;
      const wait = next - Date.now();
      if (wait > 0) await sleep(wait);
      else if (wait < -1000) next = Date.now();
    }
  }

  /** Retries what is still unacked until `untilMs`. */
  async flush(untilMs: number): Promise<void> {
    while (this.pending.length && Date.now() < untilMs) if (!(await this.sendOne(this.pending[0]))) await sleep(200);
  }

  /** Message n goes to targets[n % targets.length]: each sender spreads evenly over the receivers. */
  targetOf(localId: string): number {
    return this.targets[Number(localId.slice(localId.lastIndexOf('-') + 1)) % this.targets.length];
  }

  stop(): void {
    this.stopped = true;
  }

  private async sendOne(localId: string): Promise<boolean> {
    this.attempts++;
    const target = this.targetOf(localId);
    const started = Date.now();
    const ack = await this.peer.send(
      target,
      `${localId} ${'x'.repeat(Math.max(0, this.textBytes - localId.length - 1))}`,
      localId,
    );
    if (ack.ok) {
      this.latencies.push(Date.now() - started);
      this.ackedAt.push(Date.now());
      this.ackTimeById.set(ack.message.id, Date.now());
      this.acked.set(localId, ack.message.id);
      this.pending.shift();
      return true;
    }
    this.errors.set(ack.error.code, (this.errors.get(ack.error.code) ?? 0) + 1);
    return false;
  }
}

/** Milliseconds from `t` to this sender's first ack after it (NaN if none). */
export function firstAckAfter(senders: Sender[], t: number): number {
  const times = senders.map((s) => s.ackedAt.find((a) => a > t)).filter((a): a is number => a !== undefined);
  return times.length ? Math.max(...times) - t : NaN;
}

export function percentile(values: number[], p: number): number {
  if (!values.length) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

export interface Ledger {
  created: number;
  attempts: number;
  acked: number;
  stored: number;
  /** Acked but not in the database, or stored under another id than the ack said. */
  lost: string[];
  /** localIds stored more than once. */
  duplicates: string[];
  /** Created but never acked (still pending when the drill ended). */
  unacked: number;
  errors: Record<string, number>;
}

/** Compares every sender's acks with the chat_messages table. */
export async function audit(dbUrl: string, senders: Sender[]): Promise<Ledger> {
  // Acks taken before the read: one arriving while the query runs is stored, but not in what it read.
  const ackedNow = senders.map((s) => new Map(s.acked));
  const c = await createConnection(dbUrl);
  try {
    const ids = senders.map((s) => s.peer.id);
    const [rows] = (await c.query(
      'SELECT id, sender_id AS senderId, local_id AS localId FROM chat_messages WHERE sender_id IN (?)',
      [ids],
    )) as unknown as [{ id: number; senderId: number; localId: string | null }[]];
    const byLocal = new Map<string, number[]>();
    for (const r of rows)
      if (r.localId)
        byLocal.set(`${r.senderId}/${r.localId}`, [...(byLocal.get(`${r.senderId}/${r.localId}`) ?? []), r.id]);
    const lost: string[] = [];
    const errors: Record<string, number> = {};
    for (const [i, s] of senders.entries()) {
      for (const [localId, id] of ackedNow[i])
        if (!byLocal.get(`${s.peer.id}/${localId}`)?.includes(id)) lost.push(localId);
      for (const [code, n] of s.errors) errors[code] = (errors[code] ?? 0) + n;
    }
    return {
      created: senders.reduce((n, s) => n + s.created, 0),
      attempts: senders.reduce((n, s) => n + s.attempts, 0),
      acked: senders.reduce((n, s) => n + s.acked.size, 0),
      stored: rows.length,
      lost,
      duplicates: [...byLocal].filter(([, v]) => v.length > 1).map(([k]) => k),
      unacked: senders.reduce((n, s) => n + s.pending.length, 0),
      errors,
    };
  } finally {
    await c.end();
  }
}

/** Every message id addressed to `actorId` (to check what a receiver has against what is stored). */
export async function storedFor(dbUrl: string, actorId: number, senderIds: number[]): Promise<number[]> {
  const c = await createConnection(dbUrl);
  try {
    const [rows] = (await c.query('SELECT id FROM chat_messages WHERE target_id = ? AND sender_id IN (?) ORDER BY id', [
      actorId,
      senderIds,
    ])) as unknown as [{ id: number }[]];
    return rows.map((r) => r.id);
  } finally {
    await c.end();
  }
}
