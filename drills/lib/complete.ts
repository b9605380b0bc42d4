// "Every receiver complete 3 s after a fault ends", measured directly: what the database held when the
// fault ended must be on every receiver (pushed live or caught up by itself) 3 s later.
import { createConnection } from 'mysql2/promise';
import type { Peer } from './clients';
import { sleep } from './util';

/** How long after a fault ends a receiver may take to hold everything stored by then. */
export const COMPLETE_WITHIN_MS = 3000;

export interface Completeness {
  /** Stored messages (addressed to a receiver, id ≤ the mark at the fault's end) a receiver lacked 3 s later. */
  missing: number;
  /** A few of them, as `<receiver>:<id>`. */
  examples: string[];
  /** How many were checked. */
  checked: number;
  /** Every one lacked (receiver and id), to say later when it arrived and why it was late. */
  lacking: { receiver: Peer; id: number; createdAt: number }[];
}

/** The newest chat message id now (take it the moment a fault ends). */
export async function chatMark(dbUrl: string): Promise<number> {
  const c = await createConnection(dbUrl);
  try {
    const [rows] = (await c.query('SELECT COALESCE(MAX(id), 0) AS mark FROM chat_messages')) as unknown as [
      { mark: number }[],
    ];
    return Number(rows[0].mark);
  } finally {
    await c.end();
  }
}

/**
 * Waits until `endedAt + COMPLETE_WITHIN_MS`, then checks that every receiver holds every message
 * addressed to it with an id ≤ `mark` (read when the fault ended) and above `since`. Receivers that are
 * not connected at the check are counted too: they were meant to be back by then.
 */
export async function checkComplete(
  dbUrl: string,
  receivers: Peer[],
  since: number,
  mark: number,
  endedAt: number,
): Promise<Completeness> {
  const wait = endedAt + COMPLETE_WITHIN_MS - Date.now();
  if (wait > 0) await sleep(wait);
  const have = new Map(receivers.map((r) => [r.id, r]));
  const c = await createConnection(dbUrl);
  try {
    const [rows] = (await c.query(
      'SELECT id, target_id AS targetId, created_at AS createdAt FROM chat_messages WHERE id > ? AND id <= ? AND target_id IN (?)',
      [since, mark, [...have.keys()]],
    )) as unknown as [{ id: number; targetId: number; createdAt: Date }[]];
    const lacking = rows.filter((r) => !have.get(Number(r.targetId))!.has(Number(r.id)));
    return {
      missing: lacking.length,
      examples: lacking.slice(0, 5).map((r) => `${have.get(Number(r.targetId))!.name}:${r.id}`),
      checked: rows.length,
      lacking: lacking.map((r) => ({
        receiver: have.get(Number(r.targetId))!,
        id: Number(r.id),
        createdAt: new Date(r.createdAt).getTime(),
      })),
    };
  } finally {
    await c.end();
  }
}
