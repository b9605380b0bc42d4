import type { ActorKind } from '@echocenter/contracts';
import type { ChatMessage } from '../chat-message.entity';

/** A message about to be stored; createdAt is set by the server so the stored row needs no read-back. */
export interface NewChatMessage {
  senderId: number;
  senderName: string;
  senderKind: ActorKind;
  targetId: number;
  conversationId: number | null;
  localId: string | null;
  streamId: string | null;
  text: string;
  createdAt: Date;
  turnNode: string | null;
  replyTo: number | null;
}

/** The insert path of the chat group commit; one implementation per database driver. */
export interface ChatStore {
  /**
   * Stores the rows and commits before resolving: per row its new id, or 'duplicate' when its
   * (senderId, localId) already exists (earlier, or earlier in the same batch). The others still land.
   */
  insertMany(rows: NewChatMessage[]): Promise<(number | 'duplicate')[]>;
  findByLocalId(senderId: number, localId: string): Promise<ChatMessage | null>;
  /** Which insert path the store chose and what went each way so far (read-only; tests and diagnostics). */
  stats(): InsertStats;
}

export const INSERT_PATHS = ['multi-row', 'row-by-row'] as const;
export type InsertPath = (typeof INSERT_PATHS)[number];

export interface InsertStats {
  /** The path a batch takes; null until the first batch (MySQL reads the server's settings then). */
  path: InsertPath | null;
  /** Committed batches and rows per path; a multi-row batch redone row by row counts as row-by-row. */
  batches: Record<InsertPath, number>;
  rows: Record<InsertPath, number>;
}

/** Counts committed batches per path for `ChatStore.stats()`. */
export class InsertCounter {
  private readonly batches: Record<InsertPath, number> = { 'multi-row': 0, 'row-by-row': 0 };
  private readonly rows: Record<InsertPath, number> = { 'multi-row': 0, 'row-by-row': 0 };

  count(path: InsertPath, rows: number): void {
    this.batches[path]++;
    this.rows[path] += rows;
  }

  stats(path: InsertPath | null): InsertStats {
    return { path, batches: { ...this.batches }, rows: { ...this.rows } };
  }
}

export const COLUMNS = [
  'sender_id',
  'sender_name',
  'sender_kind',
  'target_id',
  'conversation_id',
  'local_id',
  'stream_id',
  'text',
  'created_at',
  'turn_node',
  'reply_to',
];

export function rowValues(m: NewChatMessage, createdAt: unknown): unknown[] {
  return [
    m.senderId,
    m.senderName,
    m.senderKind,
    m.targetId,
    m.conversationId,
    m.localId,
    m.streamId,
    m.text,
    createdAt,
    m.turnNode,
    m.replyTo,
  ];
}

export function insertSql(rows: number): string {
  const one = `(${COLUMNS.map(() => '?').join(',')})`;
  return `INSERT INTO chat_messages (${COLUMNS.join(',')}) VALUES ${new Array<string>(rows).fill(one).join(',')}`;
}
