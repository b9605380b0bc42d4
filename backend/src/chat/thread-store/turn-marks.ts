import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { SqlRunner } from '../../database/sql-runner';

/** A human's message to the Butler whose mark names a node that owes it an answer. */
export interface MarkedTurn {
  id: number;
  conversationId: number | null;
  senderId: number;
  turnNode: string;
}

/** Ids one clearing statement takes at most: well inside every driver's parameter limit. */
export const MAX_CLEAR_IDS = 500;

// No ORDER BY: ordering by id could make MySQL walk the primary key instead of the small turn_node index.
// `turn_node IS NOT NULL` keeps SQLite on its partial index (only marked rows).
const markedOutsideSql = (nodes: number) =>
  'SELECT id, conversation_id, sender_id, turn_node FROM chat_messages WHERE turn_node IS NOT NULL ' +
  `AND turn_node NOT IN (${placeholders(nodes)}) LIMIT ?`;

/**
 * The turn marks on chat messages: `turn_node` names the node answering a human's message to the Butler
 * (written by ChatService with the message itself), `reply_to` the message a stored answer replies to.
 * Chat owns the table; the Butler's turn bookkeeping (TurnLedger) reads and moves marks only through here.
 * Every move is one conditional update, so exactly one caller wins it.
 */
@Injectable()
export class TurnMarks {
  private readonly sql: SqlRunner;

  constructor(dataSource: DataSource) {
    this.sql = new SqlRunner(dataSource);
  }

  /** Unmarks these messages (at most MAX_CLEAR_IDS) where `node` still holds them. */
  async clear(node: string, ids: number[]): Promise<void> {
    await this.sql.affected(
      `UPDATE chat_messages SET turn_node = NULL WHERE turn_node = ? AND id IN (${placeholders(ids.length)})`,
      [node, ...ids],
    );
  }

  /** Marked messages whose node is none of `nodes`, in no particular order. */
  async markedOutside(nodes: string[], limit: number): Promise<MarkedTurn[]> {
    const rows = await this.sql.rows<{
      id: number | string;
      conversation_id: number | string | null;
      sender_id: number | string;
      turn_node: string;
    }>(markedOutsideSql(nodes.length), [...nodes, limit]);
    return rows.map((r) => ({
      id: Number(r.id),
      conversationId: r.conversation_id === null ? null : Number(r.conversation_id),
      senderId: Number(r.sender_id),
      turnNode: r.turn_node,
    }));
  }

  /** Whether a reply to this message is stored in its thread. The thread's index narrows the scan to later messages. */
  async hasReply(conversationId: number, messageId: number): Promise<boolean> {
    const rows = await this.sql.rows(
      'SELECT 1 AS yes FROM chat_messages WHERE conversation_id = ? AND id > ? AND reply_to = ? LIMIT 1',
      [conversationId, messageId, messageId],
    );
    return rows.length > 0;
  }

  /** Hands the message's mark from `from` to `to` (null: unmarked) only while `from` still holds it; true when it did. */
  async move(messageId: number, from: string, to: string | null): Promise<boolean> {
    return (
      (await this.sql.affected('UPDATE chat_messages SET turn_node = ? WHERE id = ? AND turn_node = ?', [
        to,
        messageId,
        from,
      ])) === 1
    );
  }
}

function placeholders(n: number): string {
  return Array.from({ length: n }, () => '?').join(',');
}
