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
}

export const COLUMNS = ['sender_id', 'sender_name', 'sender_kind', 'target_id', 'conversation_id', 'local_id', 'stream_id', 'text', 'created_at', 'turn_node', 'reply_to'];

export function rowValues(m: NewChatMessage, createdAt: unknown): unknown[] {
  return [m.senderId, m.senderName, m.senderKind, m.targetId, m.conversationId, m.localId, m.streamId, m.text, createdAt, m.turnNode, m.replyTo];
}

export function insertSql(rows: number): string {
  const one = `(${COLUMNS.map(() => '?').join(',')})`;
  return `INSERT INTO chat_messages (${COLUMNS.join(',')}) VALUES ${new Array<string>(rows).fill(one).join(',')}`;
}
