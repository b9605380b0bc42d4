import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, Repository } from 'typeorm';
import type { ChatMessageDto, ConversationDto, Locale, Page } from '@echocenter/contracts';
import type { AuthActor } from '../../auth/auth-actor';
import { notFound } from '../../common/api-error';
import { dbTime } from '../../common/db-time';
import type { ThreadOwnership } from '../../chat/thread-ownership';
import { ThreadMessages } from '../../chat/thread-store/thread-messages';
import { RealtimeService } from '../../gateway/realtime.service';
import { transaction } from '../../database/transaction';
import { Conversation } from './conversation.entity';
import { toConversationDto, type UpdateConversationDto } from './conversation.dto';

export const DEFAULT_TITLE = 'New conversation';
// A thread's row is read on every turn; a few seconds of reuse spares that read in a busy thread. Renames
// and deletes on this node drop the copy at once; owners never change, so a stale copy is harmless.
const CACHE_MS = 5000;
// Activity time is for sorting threads: refreshing it once every few seconds per thread is plenty.
const TOUCH_EVERY_MS = 3000;

/**
 * Butler threads of one operator: CRUD, their messages, and which thread a message belongs to. Every change
 * to a thread (created, renamed, pinned, archived, titled by its first exchange, deleted) is pushed to its
 * owner's sockets, so every tab and device of theirs shows it live.
 */
@Injectable()
export class ConversationsService implements ThreadOwnership {
  private readonly cache = new Map<number, { thread: Conversation; until: number }>();
  // Concurrent lookups of one thread share one query: sends naming it then commit in the order they arrived.
  private readonly loading = new Map<number, Promise<Conversation | null>>();

  constructor(
    private readonly dataSource: DataSource,
    @InjectRepository(Conversation) private readonly conversations: Repository<Conversation>,
    private readonly realtime: RealtimeService,
    private readonly threadMessages: ThreadMessages,
  ) {}

  async list(owner: AuthActor, archived?: boolean): Promise<ConversationDto[]> {
    const qb = this.conversations.createQueryBuilder('c').where('c.ownerId = :owner', { owner: owner.id });
    if (archived !== undefined) qb.andWhere('c.archived = :archived', { archived });
    // Pinned first, then the most recently active; the id breaks ties stably.
    const rows = await qb
      .orderBy('c.pinned', 'DESC')
      .addOrderBy('c.updatedAt', 'DESC')
      .addOrderBy('c.id', 'DESC')
      .take(500)
      .getMany();
    return rows.map(toConversationDto);
  }

  async create(owner: AuthActor, title?: string): Promise<Conversation> {
    // Explicit times: on SQLite TypeORM would write datetime('now'), whole seconds, and a thread created
    // just after another one's activity (stored to the ms) would sort as older than it.
    const now = new Date();
    const thread = await this.conversations.save(
      this.conversations.create({
        ownerId: owner.id,
        title: title?.trim() || DEFAULT_TITLE,
        createdAt: now,
        updatedAt: now,
      }),
    );
    this.pushUpdated(thread);
    return thread;
  }

  async owned(owner: AuthActor, id: number): Promise<Conversation> {
    const c = await this.conversations.findOneBy({ id });
    // Someone else's thread is reported as missing, so ids do not leak whose threads exist.
    if (!c || c.ownerId !== owner.id) throw notFound('Conversation');
    return c;
  }

  findById(id: number): Promise<Conversation | null> {
    return this.conversations.findOneBy({ id });
  }

  async update(owner: AuthActor, id: number, dto: UpdateConversationDto): Promise<ConversationDto> {
    const c = await this.owned(owner, id);
    if (dto.title !== undefined) c.title = dto.title.trim();
    if (dto.pinned !== undefined) c.pinned = dto.pinned;
    if (dto.archived !== undefined) c.archived = dto.archived;
    c.updatedAt = new Date();
    this.cache.delete(id);
    const saved = await this.conversations.save(c);
    this.pushUpdated(saved);
    return toConversationDto(saved);
  }

  /** The thread and its messages go; approvals keep their record (their conversation id dangles on purpose). */
  async remove(owner: AuthActor, id: number): Promise<void> {
    await this.owned(owner, id);
    this.cache.delete(id);
    await transaction(this.dataSource, async (em) => {
      await this.threadMessages.deleteAll(em, id);
      await em.delete(Conversation, { id });
    });
    this.realtime.toActor(owner.id, 'conversation:removed', { id });
  }

  async messages(owner: AuthActor, id: number, q: { before?: number; limit?: number }): Promise<Page<ChatMessageDto>> {
    await this.owned(owner, id);
    return this.threadMessages.page(id, q);
  }

  /** The thread a message to the Butler names, if the sender owns it. */
  async named(sender: AuthActor, id: number): Promise<Conversation | null> {
    const c = await this.cached(id);
    return c && c.ownerId === sender.id ? c : null;
  }

  /** Asked by chat before it stores a message naming a thread; served from the same cache as the turn's lookup. */
  async owns(ownerId: number, id: number): Promise<boolean> {
    return (await this.cached(id))?.ownerId === ownerId;
  }

  /** Files a stored message sent without a thread id into the sender's most recent open thread, else a new one. */
  async file(sender: AuthActor, message: ChatMessageDto): Promise<Conversation> {
    const latest = await this.conversations.findOne({
      where: { ownerId: sender.id, archived: false },
      order: { updatedAt: 'DESC', id: 'DESC' },
    });
    const thread = latest ?? (await this.create(sender));
    await this.threadMessages.file(message.id, thread.id);
    message.conversationId = thread.id;
    return thread;
  }

  /** The language the thread's console said, kept for what the thread hears later with no console asking. */
  async rememberLocale(c: Conversation, locale: Locale): Promise<void> {
    if (c.locale === locale) return;
    c.locale = locale;
    await this.dataSource.query('UPDATE conversations SET locale = ? WHERE id = ?', [locale, c.id]);
  }

  /** Activity bookkeeping after a reply; a default title becomes the operator's first words. */
  async touch(c: Conversation, firstUserText?: string): Promise<void> {
    const now = new Date();
    const title =
      c.title === DEFAULT_TITLE && firstUserText ? firstUserText.replace(/\s+/g, ' ').trim().slice(0, 60) : '';
    if (!title && c.lastMessageAt && now.getTime() - c.lastMessageAt.getTime() < TOUCH_EVERY_MS) return;
    // Fixed-text SQL: TypeORM's SQLite driver would write the id into the text, a new prepared statement per thread.
    const t = dbTime(this.dataSource, now);
    if (!title) {
      await this.dataSource.query('UPDATE conversations SET last_message_at = ?, updated_at = ? WHERE id = ?', [
        t,
        t,
        c.id,
      ]);
      // Activity alone is not pushed: the owner sees it in the chat:message that caused it.
      return void Object.assign(c, { lastMessageAt: now, updatedAt: now });
    }
    // The title replaces only the default one: a rename made meanwhile (another node, a stale copy here) wins.
    await this.dataSource.query(
      'UPDATE conversations SET last_message_at = ?, updated_at = ?, title = CASE WHEN title = ? THEN ? ELSE title END WHERE id = ?',
      [t, t, DEFAULT_TITLE, title, c.id],
    );
    // Pushed as stored, not from this copy, which may be seconds old.
    const stored = await this.conversations.findOneBy({ id: c.id });
    if (!stored) return;
    Object.assign(c, stored);
    this.pushUpdated(stored);
  }

  /** Not async: every caller of one lookup awaits the very same promise, so they resume in arrival order. */
  private cached(id: number): Promise<Conversation | null> {
    const now = Date.now();
    const hit = this.cache.get(id);
    if (hit && hit.until > now) return Promise.resolve(hit.thread);
    let lookup = this.loading.get(id);
    if (!lookup) {
      lookup = this.conversations
        .findOneBy({ id })
        .then((thread) => {
          if (thread) {
            if (this.cache.size > 10_000) this.cache.clear();
            this.cache.set(id, { thread, until: now + CACHE_MS });
          } else this.cache.delete(id);
          return thread;
        })
        .finally(() => this.loading.delete(id));
      this.loading.set(id, lookup);
    }
    return lookup;
  }

  private pushUpdated(c: Conversation): void {
    this.realtime.toActor(c.ownerId, 'conversation:updated', toConversationDto(c));
  }

  async saveSummary(id: number, summary: string, upto: number): Promise<void> {
    await this.conversations.update({ id }, { summary, summaryUpto: upto });
    const hit = this.cache.get(id);
    if (hit) Object.assign(hit.thread, { summary, summaryUpto: upto });
  }
}
