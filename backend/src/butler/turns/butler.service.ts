import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import type { Context } from '@opentelemetry/api';
import { Subscription } from 'rxjs';
import type { ChatMessageDto, Locale } from '@echocenter/contracts';
import { ActorsService } from '../../actors/actors.service';
import type { AuthActor } from '../../auth/auth-actor';
import type { AgentCommand } from '../../commands/agent-command.entity';
import { describeOutcome } from '../../commands/command.mapper';
import { joinCommand } from '../../commands/command-text';
import type { ApprovalSettled } from '../../approvals/approval-events';
import { ChatService, type ButlerBound } from '../../chat/chat.service';
import type { AppConfig } from '../../config/config';
import { APP_CONFIG } from '../../config/config.module';
import { DomainEventBus } from '../../events/domain-event-bus';
import { BRAIN, type Brain, type BrainNotice } from '../brain/brain';
import { ButlerMeter, type TurnOutcome } from '../../observability/butler-meter';
import { endSpan, HubTracer } from '../../observability/hub-tracer';
import { lastUserText } from '../brain/offline-intents';
import { inWords, localeOf } from '../brain/offline-text';
import { ButlerIdentity } from '../butler-identity.service';
import type { Conversation } from '../conversations/conversation.entity';
import { ConversationsService } from '../conversations/conversations.service';
import { ButlerTools } from '../tools/butler-tools';
import { ButlerToolDeps } from '../tools/butler-tool-deps';
import { settledNotice } from './approval-notices';
import { NOTICE_TEXT } from './notice-text';
import { KeyedQueue } from './keyed-queue';
import { ReplyStream } from './reply-stream';
import { chars, ThreadContextService } from './thread-context.service';
import type { OrphanedTurn } from './turn-ledger';
import { TurnLedger } from './turn-ledger';
import { TurnTrace } from './turn-trace';
import { TurnBudget } from '../usage/turn-budget';
import { TurnUsage } from '../usage/turn-usage';
import { UsageService } from '../usage/usage.service';

// On shutdown, running turns get this long to store their replies.
const DRAIN_MS = 5000;

/**
 * The Butler's loop: every message to the Butler and every settled approval becomes a turn in its
 * thread. Turns of one thread run in order; threads run concurrently.
 */
@Injectable()
export class ButlerService implements OnModuleInit, OnModuleDestroy, BeforeApplicationShutdown {
  private readonly logger = new Logger('Butler');
  private readonly queue = new KeyedQueue();
  private readonly intake = new KeyedQueue();
  private readonly subscriptions: Subscription[] = [];
  private closing = false;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(BRAIN) private readonly brain: Brain,
    private readonly chat: ChatService,
    private readonly conversations: ConversationsService,
    private readonly context: ThreadContextService,
    private readonly identity: ButlerIdentity,
    private readonly actors: ActorsService,
    private readonly events: DomainEventBus,
    private readonly toolDeps: ButlerToolDeps,
    private readonly ledger: TurnLedger,
    private readonly budget: TurnBudget,
    private readonly usage: UsageService,
    private readonly meter: ButlerMeter,
    private readonly tracer: HubTracer,
  ) {}

  onModuleInit(): void {
    this.subscriptions.push(
      this.events.on(
        'chat.toButler',
        'butler.turns',
        (m) =>
          void this.onMessage(m).catch((err: Error) => this.logger.error(`turn failed: ${err.stack ?? err.message}`)),
      ),
      this.events.on(
        'approvals.settled',
        'butler.followUps',
        (s) =>
          void this.onSettled(s).catch((err: Error) =>
            this.logger.error(`approval follow-up failed: ${err.stack ?? err.message}`),
          ),
      ),
      // A command that waited for its agent: the turn that asked has ended, so the thread is told here.
      this.events.on('commands.queued', 'butler.queuedNotices', (cmd) => {
        if (cmd.approvalId !== null)
          void this.onApprovedQueued(cmd).catch((err: Error) =>
            this.logger.error(`queued command notice failed: ${err.stack ?? err.message}`),
          );
      }),
      this.events.on('commands.finished', 'butler.queuedFollowUps', (cmd) => {
        if (cmd.queuedAt && cmd.approvalId === null)
          void this.onQueuedFinished(cmd).catch((err: Error) =>
            this.logger.error(`queued command follow-up failed: ${err.stack ?? err.message}`),
          );
      }),
    );
  }

  onModuleDestroy(): void {
    for (const s of this.subscriptions) s.unsubscribe();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.closing = true;
    await Promise.race([this.queue.idle(), new Promise((r) => setTimeout(r, DRAIN_MS).unref())]);
  }

  /** Only humans' messages reach here (ChatService): agents and the Butler never start a turn, so machines cannot loop. */
  private async onMessage({ sender, conversationId, stored, locale }: ButlerBound): Promise<void> {
    let turn: Promise<void> = Promise.resolve();
    // Finding the thread takes a query; doing it in arrival order per operator means a thread's turns are
    // queued in the order they were sent, not in the order their lookups happened to finish.
    await this.intake.run(sender.id, async () => {
      let thread: Conversation | null;
      // A named thread is found while the message commits; filing an unnamed one needs the stored row.
      if (conversationId) thread = await this.conversations.named(sender, conversationId);
      else {
        const message = await stored;
        thread = message && (await this.conversations.file(sender, message));
      }
      // The thread keeps its console's language for what it hears later with no console asking.
      if (thread && locale) await this.conversations.rememberLocale(thread, locale);
      if (thread) turn = this.queue.run(thread.id, () => this.turn(thread, sender, { message: stored, locale }));
      else if (await stored)
        await this.chat.send(await this.identity.ref(), {
          targetId: sender.id,
          text: NOTICE_TEXT[locale ?? 'en'].threadMissing(conversationId),
        });
    });
    await turn;
    // A turn that failed keeps its mark: once this node is gone, a survivor answers the message.
    const message = await stored;
    if (message) this.ledger.settled(message.id);
  }

  /** A message a node that is gone still owed an answer; this node has claimed it (TurnRecovery). */
  async recover(orphan: OrphanedTurn): Promise<void> {
    const [message, owner] = await Promise.all([this.chat.findById(orphan.id), this.actors.ref(orphan.senderId)]);
    const thread =
      message &&
      owner &&
      (orphan.conversationId === null
        ? await this.conversations.file(owner, message)
        : await this.conversations.named(owner, orphan.conversationId));
    // No message, sender or thread of theirs any more: nothing to answer, only the mark to clear.
    if (message && owner && thread)
      await this.queue.run(thread.id, () => this.turn(thread, owner, { message: Promise.resolve(message) }));
    this.ledger.settled(orphan.id);
  }

  /** Tells the approval's thread how it ended; also for approvals a node that is gone left untold (TurnRecovery). */
  async onSettled({ approval, command }: ApprovalSettled): Promise<void> {
    // Clearing the mark is conditional: once a survivor has taken the follow-up over, this node must not store it.
    const done = () => this.ledger.followupDone(approval.id);
    // A rule-approved command was awaited by the tool inside its own turn; nothing to follow up.
    // (Unless it had to wait for its agent: then that turn ended saying so, and the result is told here.)
    if ((approval.decisionChannel === 'RULE' && !command?.queuedAt) || approval.conversationId === null)
      return void (await done());
    const thread = await this.conversations.findById(approval.conversationId);
    const owner = thread ? await this.actors.ref(thread.ownerId) : null;
    if (!thread || !owner) return void (await done());
    const notice = settledNotice(approval, command, thread.locale ?? 'en');
    await this.queue.run(thread.id, async () => {
      // Rejections and expiries need no model: the thread simply says so. Results get the Butler's answer.
      if (command)
        await this.turn(thread, owner, { notice, keep: done, parent: this.tracer.approvalContext(approval.id) });
      else await this.note(thread, notice.text, done);
    });
    await done();
  }

  /**
   * An approved command whose agent is offline waits: its thread hears so now (a rule-approved one was
   * started inside the turn, whose tool answer already said it).
   */
  private async onApprovedQueued(cmd: AgentCommand): Promise<void> {
    if (cmd.conversationId === null || cmd.approvalId === null) return;
    const thread = await this.conversations.findById(cmd.conversationId);
    const owner = thread ? await this.actors.ref(thread.ownerId) : null;
    if (!thread || !owner) return;
    const approval = await this.toolDeps.approvals.get(owner, cmd.approvalId).catch(() => null);
    if (!approval || approval.decisionChannel === 'RULE') return;
    const locale = thread.locale ?? 'en';
    const text = NOTICE_TEXT[locale].approvedButOffline(
      approval.id,
      joinCommand(cmd.command, cmd.args),
      cmd.agentName,
      inWords(cmd.deadline, locale),
    );
    await this.queue.run(thread.id, () => this.note(thread, text, async () => true));
  }

  /** How a command that waited for its agent (QUEUED, no approval) ended, said in its thread. */
  private async onQueuedFinished(cmd: AgentCommand): Promise<void> {
    if (cmd.conversationId === null) return;
    const thread = await this.conversations.findById(cmd.conversationId);
    if (!thread) return;
    const locale = thread.locale ?? 'en';
    const say = NOTICE_TEXT[locale];
    const command = joinCommand(cmd.command, cmd.args);
    const text =
      cmd.status === 'EXPIRED'
        ? say.queuedExpired(command, cmd.agentName)
        : cmd.status === 'CANCELLED'
          ? say.queuedCancelled(command, cmd.agentName, cmd.error)
          : say.queuedRan(command, cmd.agentName, describeOutcome(cmd, locale));
    await this.queue.run(thread.id, () => this.note(thread, text, async () => true));
  }

  /**
   * `message`: the operator message this turn answers, still committing; a turn about a notice has none.
   * `keep`: while shutting down, settles the follow-up and says whether this node may still store it.
   */
  private async turn(
    thread: Conversation,
    operator: AuthActor,
    opts: {
      notice?: BrainNotice;
      message?: Promise<ChatMessageDto | null>;
      keep?: () => Promise<boolean>;
      parent?: Context;
      locale?: Locale;
    },
  ): Promise<void> {
    this.brain.prefetch?.();
    const startedAt = performance.now();
    const brainName = this.brain.name;
    const trace = new TurnTrace(
      this.tracer,
      this.tracer.start('butler.turn', {
        parent: opts.parent,
        attributes: {
          'echocenter.conversation.id': thread.id,
          'echocenter.brain': brainName,
          'echocenter.turn.kind': opts.notice ? 'notice' : 'message',
        },
      }),
    );
    const loading = trace.child('butler.context_load');
    const context = await this.context.load(thread, opts.message).catch((err: Error) => err);
    endSpan(loading, context instanceof Error ? context : undefined);
    // Nothing is said about a message that did not commit (or repeats an earlier one).
    if (context === null) return endSpan(trace.span?.setAttribute('echocenter.turn.outcome', 'skipped'));
    let outcome: TurnOutcome = 'ok';
    const usage = new TurnUsage();
    const answering = context instanceof Error ? (await opts.message)?.id : context.messageId;
    const reply = new ReplyStream(
      this.chat,
      await this.identity.ref(),
      operator.id,
      thread.id,
      this.config.limits.textChars,
      answering ?? null,
    );
    let size: number | undefined;
    try {
      if (context instanceof Error) throw context;
      const { summary, history } = context;
      size = context.size;
      // A recovered turn, a notice or an older client has no console to ask: Chinese words are answered in
      // Chinese, anything else in the language the thread's console last said.
      const guessed = localeOf(lastUserText(history));
      const locale = opts.locale ?? (guessed === 'zh-CN' ? guessed : (thread.locale ?? guessed));
      const refusal = brainName === 'offline' ? null : await this.budget.refusal(operator.id, opts.notice);
      if (refusal) {
        outcome = 'over_budget';
        reply.write(refusal);
      } else {
        const tools = new ButlerTools(
          this.toolDeps,
          operator,
          thread.id,
          (agent, text) => reply.line(`[${agent}] ${text}`),
          trace,
          locale,
        );
        await this.brain.reply(
          { operator, conversationId: thread.id, summary, history, notice: opts.notice, usage, trace, locale },
          tools,
          reply,
        );
      }
    } catch (err) {
      outcome = 'error';
      this.logger.error(`turn in thread ${thread.id} failed: ${(err as Error).stack ?? (err as Error).message}`);
      reply.write(`\n\n${NOTICE_TEXT[opts.locale ?? thread.locale ?? 'en'].turnFailed}`);
    }
    // Shutting down, this node's turns are up for grabs: answer only if no survivor has taken this one over.
    const keep = answering === undefined ? opts.keep : () => this.ledger.settleNow(answering);
    if (this.closing && keep && !(await keep().catch(() => true))) {
      endSpan(trace.span?.setAttribute('echocenter.turn.outcome', 'handed_over'));
      return reply.abandon();
    }
    // The activity update goes beside the reply's commit: the thread's next turn waits for this one to end.
    const [stored, , usageRow] = await Promise.all([
      reply.finish(),
      this.conversations.touch(thread, (await opts.message)?.text),
      // What the model spent is stored even when the turn failed half-way: the tokens were spent.
      this.usage
        .record(usage, operator.id, thread.id)
        .catch((err: Error) => void this.logger.error(`storing usage of thread ${thread.id} failed: ${err.message}`)),
    ]);
    this.meter.turn(brainName, outcome, (performance.now() - startedAt) / 1000);
    trace.span?.setAttributes({
      'echocenter.turn.outcome': outcome,
      'gen_ai.usage.input_tokens': usage.promptTokens,
      'gen_ai.usage.output_tokens': usage.completionTokens,
    });
    endSpan(trace.span, outcome === 'error' ? 'turn failed' : undefined);
    // The summary a compaction asks for is this turn's spending too (added to its row, not a turn of its own).
    const compaction = new TurnUsage();
    await this.context.compactIfNeeded(
      thread,
      this.brain,
      size === undefined ? undefined : size + chars(stored.text),
      compaction,
    );
    await this.usage
      .addToTurn(usageRow ?? null, compaction, operator.id, thread.id)
      .catch((err: Error) =>
        this.logger.error(`storing compaction usage of thread ${thread.id} failed: ${err.message}`),
      );
  }

  private async note(thread: Conversation, text: string, keep: () => Promise<boolean>): Promise<void> {
    if (this.closing && !(await keep().catch(() => true))) return;
    const reply = new ReplyStream(
      this.chat,
      await this.identity.ref(),
      thread.ownerId,
      thread.id,
      this.config.limits.textChars,
    );
    reply.write(text);
    await reply.finish();
    await this.conversations.touch(thread);
  }
}
