import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Subscription } from 'rxjs';
import { DataSource, Repository } from 'typeorm';
import { ChatService, type AgentToButler } from '../../chat/chat.service';
import { retryTransient } from '../../database/db-errors';
import { dbTime } from '../../common/db-time';
import type { AppConfig } from '../../config/config';
import { APP_CONFIG } from '../../config/config.module';
import { DomainEventBus } from '../../events/domain-event-bus';
import { RealtimeService } from '../../gateway/realtime.service';
import { ButlerIdentity } from '../butler-identity.service';
import { MonitorService } from '../monitor/monitor.service';
import { AgentQuestion, type QuestionStatus } from './agent-question.entity';

export interface QuestionSpec {
  agentId: number;
  agentName: string;
  askedBy: number;
  conversationId: number | null;
  question: string;
}

/** How a question ended, for the tool: the answer is the agent's words (untrusted). */
export type QuestionOutcome =
  | { status: 'ANSWERED'; questionId: number; answer: string }
  | { status: 'TIMED_OUT'; questionId: number }
  | { status: 'AGENT_OFFLINE' };

interface Waiter {
  resolve: (q: AgentQuestion) => void;
  timer: NodeJS.Timeout;
}

/**
 * The Butler's questions to agents: sent as a chat message from the Butler, answered by the agent's next
 * message naming it (`replyTo`), ended by one conditional update ASKED → ANSWERED | TIMED_OUT on whichever
 * node sees the answer or the deadline first. Every node sweeps overdue questions (QuestionSweeper).
 */
@Injectable()
export class AgentQuestionsService implements OnModuleInit, OnModuleDestroy, OnApplicationShutdown {
  private readonly logger = new Logger('AgentQuestions');
  private readonly waiting = new Map<number, Waiter>();
  private subscription: Subscription | null = null;
  private unlisten: (() => void) | null = null;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly dataSource: DataSource,
    @InjectRepository(AgentQuestion) private readonly questions: Repository<AgentQuestion>,
    private readonly chat: ChatService,
    private readonly realtime: RealtimeService,
    private readonly monitor: MonitorService,
    private readonly butler: ButlerIdentity,
    private readonly events: DomainEventBus,
  ) {}

  onModuleInit(): void {
    this.subscription = this.events.on(
      'chat.agentToButler',
      'butler.questions',
      (m) => void this.onAgentMessage(m).catch((err: Error) => this.logger.warn(`answer not matched: ${err.message}`)),
    );
    this.unlisten = this.realtime.onServerSide('question:settled', (payload: unknown) => {
      const id = (payload as { questionId?: unknown } | null)?.questionId;
      if (typeof id === 'number') void this.wake(id);
    });
  }

  onModuleDestroy(): void {
    this.subscription?.unsubscribe();
    this.unlisten?.();
  }

  /** After the Butler's drain (as CommandWaiters): a turn cut off here is redone by a survivor. */
  onApplicationShutdown(): void {
    for (const w of this.waiting.values()) clearTimeout(w.timer);
    this.waiting.clear();
  }

  /** Sends the question and resolves once it is answered or its deadline passes; never hangs. */
  async ask(spec: QuestionSpec): Promise<QuestionOutcome> {
    const question = spec.question.slice(0, this.config.limits.textChars);
    if (!(await this.realtime.isOnline(spec.agentId))) {
      await this.monitor.record(
        spec.agentId,
        'TO_AGENT',
        null,
        `ask (not sent: ${spec.agentName} is offline): ${question}`,
      );
      return { status: 'AGENT_OFFLINE' };
    }
    const q = await this.questions.save(
      this.questions.create({
        agentId: spec.agentId,
        agentName: spec.agentName,
        askedBy: spec.askedBy,
        conversationId: spec.conversationId,
        token: randomUUID(),
        messageId: null,
        question,
        status: 'ASKED',
        answer: null,
        deadline: new Date(Date.now() + this.config.agentQuestionTimeoutMs),
        answeredAt: null,
      }),
    );
    // Waiting before sending: an answer can come back faster than the next line runs.
    const settled = this.wait(q);
    await this.monitor.record(q.agentId, 'TO_AGENT', null, `ask #${q.id}: ${question}`);
    try {
      const message = await this.chat.send(await this.butler.ref(), {
        targetId: q.agentId,
        text: question,
        localId: q.token,
      });
      await this.questions.update({ id: q.id }, { messageId: message.id });
    } catch (err) {
      await this.end(q, 'TIMED_OUT', null, `not sent: ${(err as Error).message}`);
      throw err;
    }
    const done = await settled;
    return done.status === 'ANSWERED'
      ? { status: 'ANSWERED', questionId: done.id, answer: done.answer ?? '' }
      : { status: 'TIMED_OUT', questionId: done.id };
  }

  /** Times out every overdue question; safe on every node at once (conditional updates). */
  async sweep(): Promise<void> {
    const overdue = await this.questions
      .createQueryBuilder('q')
      .where('q.status = :s', { s: 'ASKED' })
      .andWhere('q.deadline < :now', { now: dbTime(this.dataSource, new Date()) })
      .take(100)
      .getMany();
    for (const q of overdue) await this.end(q, 'TIMED_OUT', null, `no answer to #${q.id}: the deadline passed`);
  }

  /**
   * An agent's message to the Butler: the answer to the question it names (`replyTo`), or without one to
   * its oldest open question. Anything else (a late answer, a stray message) stays in the chat history only.
   */
  private async onAgentMessage({ sender, message, replyTo }: AgentToButler): Promise<void> {
    const q =
      replyTo === null
        ? await this.questions.findOne({ where: { agentId: sender.id, status: 'ASKED' }, order: { id: 'ASC' } })
        : await this.named(sender.id, replyTo);
    if (!q) return;
    if (q.status === 'TIMED_OUT') {
      await this.monitor.record(
        q.agentId,
        'FROM_AGENT',
        null,
        `late answer to #${q.id} (after the deadline): ${message.text}`,
      );
      return;
    }
    if (q.status !== 'ASKED') return;
    await this.end(q, 'ANSWERED', message.text, `answer to #${q.id}: ${message.text}`);
  }

  /** The question whose message `replyTo` is, if the Butler sent it to this agent. */
  private async named(agentId: number, replyTo: number): Promise<AgentQuestion | null> {
    const asked = await this.chat.findById(replyTo);
    if (!asked || asked.senderKind !== 'BUTLER' || asked.targetId !== agentId || !asked.localId) return null;
    return this.questions.findOneBy({ token: asked.localId, agentId });
  }

  /** The one conditional update that ends a question; false when someone else ended it first. */
  private async end(
    q: AgentQuestion,
    status: Exclude<QuestionStatus, 'ASKED'>,
    answer: string | null,
    transcript: string,
  ): Promise<boolean> {
    const res = await retryTransient(() =>
      this.questions
        .createQueryBuilder()
        .update(AgentQuestion)
        .set({ status, answer, answeredAt: new Date() })
        .where('id = :id AND status = :s', { id: q.id, s: 'ASKED' })
        .execute(),
    );
    if (!res.affected) return false;
    await this.monitor.record(q.agentId, 'FROM_AGENT', null, transcript);
    this.realtime.serverSideEmit('question:settled', { questionId: q.id });
    return true;
  }

  private wait(q: AgentQuestion): Promise<AgentQuestion> {
    return new Promise((resolve) => {
      const delay = Math.max(0, q.deadline.getTime() - Date.now()) + 50;
      // The local deadline: time it out here unless the answer (or another node) was first. If even the
      // database fails, the turn still gets "no answer" rather than hanging.
      const timer = setTimeout(() => {
        void this.end(q, 'TIMED_OUT', null, `no answer to #${q.id}: the deadline passed`)
          .then(() => this.wake(q.id))
          .catch(() => this.release(q.id, { ...q, status: 'TIMED_OUT' }));
      }, delay);
      this.waiting.set(q.id, { resolve, timer });
    });
  }

  private async wake(id: number): Promise<void> {
    if (!this.waiting.has(id)) return;
    const q = await this.questions.findOneBy({ id });
    if (q && q.status !== 'ASKED') this.release(id, q);
  }

  private release(id: number, q: AgentQuestion): void {
    const w = this.waiting.get(id);
    if (!w) return;
    this.waiting.delete(id);
    clearTimeout(w.timer);
    w.resolve(q);
  }
}
