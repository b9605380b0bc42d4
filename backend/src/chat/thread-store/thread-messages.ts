import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, EntityManager, Repository } from 'typeorm';
import type { ActorKind, ChatMessageDto, Page } from '@echocenter/contracts';
import { toPage } from '../../common/pagination';
import { sqliteHandle, type SqliteHandle, type SqliteStatement } from '../../database/sqlite-handle';
import { ChatMessage } from '../chat-message.entity';
import { toChatMessageDto } from '../chat-message.mapper';

/** One message of a thread's talk, as a turn's model context reads it. */
export interface ThreadLine {
  id: number;
  senderKind: ActorKind;
  text: string;
}

/** Which part of a thread's talk to read: between `ownerId` and `butlerId`, after `afterId`, the newest `cap`. */
export interface RecentQuery {
  conversationId: number;
  afterId: number;
  ownerId: number;
  butlerId: number;
  cap: number;
}

// Only the owner's talk with the Butler, both ways: a row anyone else managed to file under the thread (a hub
// before the check in ChatService.send, a bug) must never read as the owner's words. Same index range scan.
const RECENT_SQL =
  'SELECT id, sender_kind, text FROM chat_messages WHERE conversation_id = ? AND id > ? ' +
  'AND ((sender_id = ? AND target_id = ?) OR (sender_id = ? AND target_id = ?)) ORDER BY id DESC LIMIT ?';

/**
 * A Butler thread's messages, as chat (which owns the table) stores them: the recent talk a turn reads,
 * the thread's pages, filing a message into a thread and deleting a thread's messages. The threads
 * themselves are the Butler's (ConversationsService), which reads and changes their messages only here.
 */
@Injectable()
export class ThreadMessages {
  private readonly sqlite: SqliteHandle | null;
  private recentStatement: SqliteStatement | null = null;

  constructor(
    private readonly dataSource: DataSource,
    @InjectRepository(ChatMessage) private readonly messages: Repository<ChatMessage>,
  ) {
    this.sqlite = sqliteHandle(dataSource);
  }

  /**
   * The newest `cap` messages of the owner's talk with the Butler after `afterId`, oldest first. The
   * hottest read of a Butler turn (before every model request), so plain SQL: no query building or entity
   * hydration; on SQLite one prepared statement on the connection itself.
   */
  async recent(q: RecentQuery): Promise<ThreadLine[]> {
    const params = [q.conversationId, q.afterId, q.ownerId, q.butlerId, q.butlerId, q.ownerId, q.cap];
    const rows = (
      this.sqlite
        ? (this.recentStatement ??= this.sqlite.prepare(RECENT_SQL)).all(...params)
        : await this.dataSource.query(RECENT_SQL, params)
    ) as { id: number | string; sender_kind: ActorKind; text: string }[];
    return rows.reverse().map((r) => ({ id: Number(r.id), senderKind: r.sender_kind, text: r.text }));
  }

  /** One page of the thread's messages, newest first, before `before` when given. */
  async page(conversationId: number, q: { before?: number; limit?: number }): Promise<Page<ChatMessageDto>> {
    const limit = q.limit ?? 50;
    const qb = this.messages
      .createQueryBuilder('m')
      .where('m.conversationId = :id', { id: conversationId })
      .orderBy('m.id', 'DESC')
      .take(limit + 1);
    if (q.before !== undefined) qb.andWhere('m.id < :before', { before: q.before });
    return toPage((await qb.getMany()).map(toChatMessageDto), limit);
  }

  /** Files a stored message (sent without a thread id) into the thread. */
  async file(messageId: number, conversationId: number): Promise<void> {
    await this.messages.update({ id: messageId }, { conversationId });
  }

  /** Deletes the thread's messages inside the caller's transaction (the thread's own row goes in it too). */
  async deleteAll(em: EntityManager, conversationId: number): Promise<void> {
    await em.delete(ChatMessage, { conversationId });
  }
}
