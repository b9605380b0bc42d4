import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, Repository } from 'typeorm';
import type { ActorRef, ChatMessageDto, ChatSendPayload, Locale, Page } from '@echocenter/contracts';
import { isHuman, type AuthActor } from '../auth/auth-actor';
import { badRequest, notFound } from '../common/api-error';
import { toPage } from '../common/pagination';
import type { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import { DomainEventBus } from '../events/domain-event-bus';
import { PresenceService } from '../gateway/presence.service';
import { RealtimeService } from '../gateway/realtime.service';
import { ChatCommitMeter } from '../observability/work-meters';
import { ActorDirectory } from './actor-directory';
import { ChatMessage } from './chat-message.entity';
import { toChatMessageDto } from './chat-message.mapper';
import { parseChatChunk, parseChatEnd, parseChatSend } from './chat.payloads';
import { ChatWriter, type BatchPacing } from './chat-writer';
import type { InsertStats } from './store/chat-store';
import { MysqlChatStore } from './store/mysql-chat-store';
import { SqliteChatStore } from './store/sqlite-chat-store';
import { THREAD_OWNERSHIP, type ThreadOwnership } from './thread-ownership';

/**
 * A few ms of latency buy SQLite several-fold fewer commits under load; waiting pays off from two arrivals
 * per window. MySQL waits for the loop's next round once busy: at 20 Butler operators (~50 arrivals/s) a
 * message starts at once, at 200 (~500/s) batches carry company. See ChatWriter.
 */
const SQLITE_PACING: BatchPacing = { windowMs: 2, busyPerSecond: 1000 };
const MYSQL_PACING: BatchPacing = { windowMs: 0, busyPerSecond: 200 };

export interface HistoryQuery {
  before?: number;
  after?: number;
  limit?: number;
  conversationId?: number;
}

/**
 * A human's message to the Butler ('chat.toButler', on the node that stores it), handed over as soon as it is valid so a turn can read its thread while
 * the message commits. `stored` resolves to the stored message, or null when it did not commit or
 * repeats an earlier localId: nothing may be said about it before `stored` resolves.
 */
export interface ButlerBound {
  sender: AuthActor;
  conversationId: number | null;
  stored: Promise<ChatMessageDto | null>;
  /** The language the sender's console is in, when it said (chat:send `locale`). */
  locale?: Locale;
}

/** An agent's new message to the Butler ('chat.agentToButler'), once stored: the answer to a question the Butler asked it (ask_agent). */
export interface AgentToButler {
  sender: AuthActor;
  message: ChatMessageDto;
  /** The question's message id, when the agent named it. */
  replyTo: number | null;
}

export interface SendOptions {
  /** The sending socket: a human's other sockets get the echo, this one gets the ack instead. */
  socketId?: string;
}

/** Chat between any two actors: stored first, then delivered through the adapter to any node. */
@Injectable()
export class ChatService implements OnApplicationShutdown {
  private readonly writer: ChatWriter;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    dataSource: DataSource,
    @InjectRepository(ChatMessage) private readonly messages: Repository<ChatMessage>,
    private readonly directory: ActorDirectory,
    private readonly realtime: RealtimeService,
    private readonly presence: PresenceService,
    @Inject(THREAD_OWNERSHIP) private readonly threads: ThreadOwnership,
    commits: ChatCommitMeter,
    private readonly events: DomainEventBus,
  ) {
    this.writer =
      config.db.driver === 'mysql'
        ? new ChatWriter(new MysqlChatStore(dataSource, messages), MYSQL_PACING, commits)
        : new ChatWriter(new SqliteChatStore(dataSource, messages), SQLITE_PACING, commits);
  }

  /**
   * Validates, commits, then delivers `chat:message` to the target and, for a human sender, to its other
   * sockets (agents and the Butler never get their own messages back). A repeated localId returns the
   * stored row, stores nothing and delivers that row again. A thread id is checked before anything is stored.
   * The payload is untrusted and validated here (chat.payloads.ts), the one way in for sockets, MCP and the Butler.
   */
  async send(sender: AuthActor, payload: unknown, opts: SendOptions = {}): Promise<ChatMessageDto> {
    const p = parseChatSend(payload, this.config.limits);
    const target = await this.requireTarget(sender, p.targetId);
    if (p.conversationId !== undefined) await this.requireThread(sender, target, p.conversationId);
    const toButler = target.kind === 'BUTLER' && isHuman(sender);
    // The row names this node as the one answering it: if the node dies first, a survivor answers (TurnRecovery).
    // Only an agent's replyTo is kept (the answer to a Butler question): a human's would let a later message
    // pass for the Butler's reply to an earlier one (TurnLedger reads reply_to), so it is dropped.
    const replyTo = sender.kind === 'AGENT' ? (p.replyTo ?? null) : null;
    const written = this.commit(sender, target, p, { turnNode: toButler ? this.presence.nodeId : null, replyTo });
    if (toButler) {
      const stored = written.then(
        ({ message, created }) => (created ? message : null),
        () => null,
      );
      this.events.emit('chat.toButler', { sender, conversationId: p.conversationId ?? null, stored, locale: p.locale });
    }
    const { message, created } = await written;
    // Only agents answer the Butler's questions; humans talking to the Butler start turns instead.
    if (created && target.kind === 'BUTLER' && sender.kind === 'AGENT')
      this.events.emit('chat.agentToButler', { sender, message, replyTo });
    // A repeated localId is delivered again: the node that stored it may have died before pushing it, and a
    // receiver that stayed connected would never see it live. Receivers drop ids they already have.
    this.deliver(sender, target.id, message, opts);
    return message;
  }

  /**
   * Closes a streamed reply: commits its final message, then emits its last piece (held back until now),
   * `chat:message` and `chat:end` in one go, so they leave as one socket write (gateway/batched-writes.ts)
   * and wake the reader once. `chat:end` goes out even when the commit fails: nobody waits forever.
   */
  async finishStream(
    sender: AuthActor,
    payload: ChatSendPayload & { streamId: string },
    lastPiece: string,
    replyTo: number | null = null,
  ): Promise<ChatMessageDto> {
    const target = await this.requireTarget(sender, payload.targetId);
    const ids = {
      targetId: target.id,
      streamId: payload.streamId,
      ...(payload.conversationId === undefined ? {} : { conversationId: payload.conversationId }),
    };
    const from = { senderId: sender.id, senderKind: sender.kind };
    let stored: { message: ChatMessageDto; created: boolean } | undefined;
    try {
      stored = await this.commit(sender, target, parseChatSend(payload, this.config.limits), { replyTo });
      return stored.message;
    } finally {
      if (lastPiece)
        this.realtime.toActor(target.id, 'chat:chunk', {
          ...ids,
          text: lastPiece.slice(0, this.config.limits.textChars),
          ...from,
        });
      if (stored?.created) this.deliver(sender, target.id, stored.message, {});
      this.realtime.toActor(target.id, 'chat:end', { ...ids, ...from });
    }
  }

  /** A live piece of a streamed reply: relayed to the target, never stored. */
  async relayChunk(sender: AuthActor, payload: unknown): Promise<void> {
    const p = parseChatChunk(payload, this.config.limits);
    await this.requireTarget(sender, p.targetId);
    requireThreadSender(sender, p.conversationId);
    this.realtime.toActor(p.targetId, 'chat:chunk', { ...p, senderId: sender.id, senderKind: sender.kind });
  }

  async relayEnd(sender: AuthActor, payload: unknown): Promise<void> {
    const p = parseChatEnd(payload);
    await this.requireTarget(sender, p.targetId);
    requireThreadSender(sender, p.conversationId);
    this.realtime.toActor(p.targetId, 'chat:end', { ...p, senderId: sender.id, senderKind: sender.kind });
  }

  /**
   * The caller's conversation with one peer. `before` (or nothing) walks back newest first; `after`
   * walks forward oldest first, which is how a reconnecting client catches up on what it missed.
   */
  async history(caller: AuthActor, peerId: number, q: HistoryQuery = {}): Promise<Page<ChatMessageDto>> {
    if (q.before !== undefined && q.after !== undefined)
      throw badRequest('Use either before or after, not both', [
        { field: 'after', message: 'cannot be combined with before' },
      ]);
    const limit = q.limit ?? 50;
    const ascending = q.after !== undefined;
    // Two index range scans (one per direction of the pair) merged here beat one OR over both indexes.
    const [sent, received] = await Promise.all([
      this.side(caller.id, peerId, q, limit, ascending),
      this.side(peerId, caller.id, q, limit, ascending),
    ]);
    const rows = [...sent, ...received].sort((a, b) => (ascending ? a.id - b.id : b.id - a.id)).slice(0, limit + 1);
    return toPage(rows.map(toChatMessageDto), limit);
  }

  async findById(id: number): Promise<ChatMessageDto | null> {
    const row = await this.messages.findOneBy({ id });
    return row && toChatMessageDto(row);
  }

  /** The stored reply to a message in a thread (the Butler's answer names the message it answers), if any yet. */
  async replyTo(conversationId: number, messageId: number): Promise<ChatMessageDto | null> {
    // The thread's index narrows the scan to the messages after the question.
    const row = await this.messages
      .createQueryBuilder('m')
      .where('m.conversationId = :c AND m.id > :id AND m.replyTo = :id', { c: conversationId, id: messageId })
      .orderBy('m.id', 'ASC')
      .getOne();
    return row && toChatMessageDto(row);
  }

  /** Which insert path this node's chat writer takes and what went each way (read-only; tests, diagnostics). */
  insertStats(): InsertStats {
    return this.writer.stats();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.writer.idle();
  }

  private side(
    senderId: number,
    targetId: number,
    q: HistoryQuery,
    limit: number,
    ascending: boolean,
  ): Promise<ChatMessage[]> {
    const qb = this.messages
      .createQueryBuilder('m')
      .where('m.senderId = :senderId AND m.targetId = :targetId', { senderId, targetId });
    if (q.conversationId !== undefined)
      qb.andWhere('m.conversationId = :conversationId', { conversationId: q.conversationId });
    if (q.after !== undefined) qb.andWhere('m.id > :after', { after: q.after });
    if (q.before !== undefined) qb.andWhere('m.id < :before', { before: q.before });
    return qb
      .orderBy('m.id', ascending ? 'ASC' : 'DESC')
      .limit(limit + 1)
      .getMany();
  }

  private commit(
    sender: AuthActor,
    target: ActorRef,
    p: ChatSendPayload,
    links: { turnNode?: string | null; replyTo?: number | null } = {},
  ): Promise<{ message: ChatMessageDto; created: boolean }> {
    return this.writer
      .write({
        senderId: sender.id,
        senderName: sender.name,
        senderKind: sender.kind,
        targetId: target.id,
        conversationId: p.conversationId ?? null,
        localId: p.localId ?? null,
        streamId: p.streamId ?? null,
        text: p.text,
        createdAt: new Date(),
        turnNode: links.turnNode ?? null,
        replyTo: links.replyTo ?? null,
      })
      .then(({ row, created }) => ({ message: toChatMessageDto(row), created }));
  }

  /** To the target and, for a human sender, its other sockets (agents and the Butler never get their own messages back). */
  private deliver(sender: AuthActor, targetId: number, message: ChatMessageDto, opts: SendOptions): void {
    const echo = isHuman(sender) ? [sender.id] : [];
    this.realtime.emit({ actors: [targetId, ...echo], exceptSocketId: opts.socketId }, 'chat:message', message);
  }

  /**
   * A thread is its owner's talk with the Butler: a message names one only between the two, and only when
   * the human side owns it. Anything else is reported missing, like someone else's thread (ids do not leak),
   * so nobody can put words into another operator's thread and so into their Butler's context.
   */
  private async requireThread(sender: ActorRef, target: ActorRef, conversationId: number): Promise<void> {
    const owner = target.kind === 'BUTLER' ? sender : sender.kind === 'BUTLER' ? target : null;
    if (!owner || !isHuman(owner) || !(await this.threads.owns(owner.id, conversationId)))
      throw notFound('Conversation');
  }

  private async requireTarget(sender: AuthActor, targetId: number): Promise<ActorRef> {
    if (targetId === sender.id)
      throw badRequest('You cannot message yourself', [{ field: 'targetId', message: 'must not be your own id' }]);
    const target = await this.directory.get(targetId);
    if (!target) throw notFound('Target actor');
    return target;
  }
}

/** Live pieces are never stored: only the Butler streams into a thread (its replies), so no lookup is needed. */
function requireThreadSender(sender: AuthActor, conversationId: number | undefined): void {
  if (conversationId !== undefined && sender.kind !== 'BUTLER') throw notFound('Conversation');
}
