import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import type { InboxPage } from '@echocenter/contracts';
import type { AuthActor } from '../auth/auth-actor';
import { ChatMessage } from './chat-message.entity';
import { toChatMessageDto } from './chat-message.mapper';

/** Ids scanned per request. Catch-up reads a few seconds of traffic, so one window almost always does. */
export const INBOX_WINDOW = 20_000;

/**
 * What a receiver catches up from after a `sync:hint` or a reconnect: the messages addressed to it above
 * its cursor, whoever sent them. No index on the target alone (it would cost every chat insert, see the
 * ChatDropTargetIndex migration): the primary key is walked over a bounded window of ids above the cursor,
 * which is exactly the recent traffic a catch-up is about; a cursor far behind pages on window by window.
 */
@Injectable()
export class ChatInbox {
  constructor(@InjectRepository(ChatMessage) private readonly messages: Repository<ChatMessage>) {}

  async read(caller: AuthActor, after: number | undefined, limit = 100): Promise<InboxPage> {
    const mark = await this.newestId();
    if (after === undefined || after >= mark) return { items: [], nextCursor: null, mark };
    const until = Math.min(mark, after + INBOX_WINDOW);
    const rows = await this.messages
      .createQueryBuilder('m')
      .where('m.id > :after AND m.id <= :until AND m.targetId = :me', { after, until, me: caller.id })
      .orderBy('m.id', 'ASC')
      .limit(limit + 1)
      .getMany();
    const items = rows.slice(0, limit).map(toChatMessageDto);
    // A full page resumes after its last item; an exhausted window short of the mark resumes after it.
    const nextCursor = rows.length > limit ? items[items.length - 1].id : until < mark ? until : null;
    return { items, nextCursor, mark };
  }

  private async newestId(): Promise<number> {
    const row = await this.messages
      .createQueryBuilder('m')
      .select('MAX(m.id)', 'max')
      .getRawOne<{ max: number | string | null }>();
    return Number(row?.max ?? 0);
  }
}
