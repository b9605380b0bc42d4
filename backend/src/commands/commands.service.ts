import { Inject, Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Subscription } from 'rxjs';
import { DataSource, EntityManager, MoreThan, Repository } from 'typeorm';
import type { ActorRef, CommandProgressPayload, CommandResultPayload, CommandStatus } from '@echocenter/contracts';
import type { AuthActor } from '../auth/auth-actor';
import { retryTransient } from '../database/db-errors';
import { ButlerIdentity } from '../butler/butler-identity.service';
import { MonitorService } from '../butler/monitor/monitor.service';
import { notFound } from '../common/api-error';
import { dbTime } from '../common/db-time';
import type { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import { DomainEventBus } from '../events/domain-event-bus';
import { RealtimeService } from '../gateway/realtime.service';
import { SettingsService } from '../settings/settings.service';
import { AgentCommand } from './agent-command.entity';
import { joinCommand, splitCommand } from './command-text';
import { OPEN, runEvent } from './command-run';
import { CommandWaiters } from './command-waiters';
import type { CommandSpec } from './command-spec';
import { QueuedCommandCheck } from './queued-command-check';

export type { CommandSpec } from './command-spec';

// Not ended yet: what a result, cancel or deadline may still end.
const UNENDED: CommandStatus[] = ['PENDING', 'RUNNING', 'QUEUED'];
// Queued commands are read and sent in pages of this many.
const QUEUE_PAGE = 100;

/**
 * Agent commands: stored, then sent to the agent's room; completed by exactly one conditional update
 * (result, deadline or cancel), whichever node it happens on.
 */
@Injectable()
export class CommandsService implements OnModuleInit, OnModuleDestroy {
  private agentsReady: Subscription | null = null;

  constructor(
    private readonly settings: SettingsService,
    private readonly dataSource: DataSource,
    @InjectRepository(AgentCommand) private readonly commands: Repository<AgentCommand>,
    private readonly realtime: RealtimeService,
    private readonly monitor: MonitorService,
    private readonly waiters: CommandWaiters,
    private readonly butler: ButlerIdentity,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly events: DomainEventBus,
    private readonly queueCheck: QueuedCommandCheck,
  ) {}

  onModuleDestroy(): void {
    this.agentsReady?.unsubscribe();
  }

  onModuleInit(): void {
    // An agent's hello handled on this node (its card known and ruled): send what waited for it (the sweep
    // is the fallback). Not on the bare connect: a changed card must be able to stop a queued command.
    this.agentsReady = this.events.on(
      'agents.ready',
      'commands.queueStarter',
      ({ agentId }) => void this.startQueued(agentId).catch(() => undefined),
    );
    // Cross-node wake-up for whoever waits on a command; the row in the database is the truth.
    this.realtime.onServerSide('command:finished', (payload: unknown) => {
      const id = (payload as { commandId?: unknown })?.commandId;
      if (typeof id === 'number') void this.wake(id);
    });
    // Progress lines for the node whose turn waits on the command, so they stream into that thread.
    this.realtime.onServerSide('command:progressed', (payload: unknown) => {
      const p = payload as { commandId?: unknown; text?: unknown } | null;
      if (typeof p?.commandId === 'number' && typeof p.text === 'string') this.waiters.progress(p.commandId, p.text);
    });
  }

  get(id: number): Promise<AgentCommand | null> {
    return this.commands.findOneBy({ id });
  }

  /** Inserts the row (inside the caller's transaction when given one); `dispatch` sends it after commit. */
  create(em: EntityManager, spec: CommandSpec): Promise<AgentCommand> {
    const { name, args } = splitCommand(spec.text);
    const deadline = new Date(Date.now() + this.settings.agentCommandTimeoutMs());
    return em.save(
      em.create(AgentCommand, {
        agentId: spec.agentId,
        agentName: spec.agentName,
        requestedBy: spec.requestedBy,
        viaTokenId: spec.viaTokenId ?? null,
        conversationId: spec.conversationId,
        approvalId: spec.approvalId,
        approvedBy: spec.approvedBy ?? null,
        command: name,
        args,
        status: 'RUNNING',
        deadline,
      }),
    );
  }

  async dispatch(cmd: AgentCommand, from: ActorRef): Promise<void> {
    const text = joinCommand(cmd.command, cmd.args);
    await this.monitor.record(cmd.agentId, 'TO_AGENT', cmd.id, `run: ${text}`);
    if (!(await this.realtime.isOnline(cmd.agentId))) {
      await this.enqueue(cmd);
      return;
    }
    this.send(cmd, from);
  }

  /** RUNNING (not sent yet) → QUEUED with the queue's deadline; sent once the agent connects. */
  private async enqueue(cmd: AgentCommand): Promise<void> {
    const full = await this.queueCheck.overCap(cmd);
    if (full) {
      await this.finish(cmd, { status: 'FAILED', error: full }, `refused: ${full}`, ['RUNNING']);
      return;
    }
    const queuedAt = new Date();
    const deadline = new Date(queuedAt.getTime() + this.config.agentCommandQueueTtlMs);
    const res = await retryTransient(() =>
      this.commands
        .createQueryBuilder()
        .update(AgentCommand)
        .set({ status: 'QUEUED', deadline, queuedAt })
        .where('id = :id AND status = :s', { id: cmd.id, s: 'RUNNING' })
        .execute(),
    );
    if (!res.affected) return;
    Object.assign(cmd, { status: 'QUEUED', deadline, queuedAt });
    await this.monitor.record(
      cmd.agentId,
      'TO_AGENT',
      cmd.id,
      `queued: waiting for ${cmd.agentName} to come online (until ${deadline.toISOString()})`,
    );
    // It may have said hello while we queued: its ready signal could have missed this row.
    if (await this.realtime.isReady(cmd.agentId)) await this.startQueued(cmd.agentId);
    else this.events.emit('commands.queued', cmd);
  }

  /**
   * Sends the agent's QUEUED commands, each claimed by one conditional update QUEUED → RUNNING, so
   * however many nodes see the agent say hello (or sweep), it runs once. Call it only once the agent's
   * hello was handled: an unapproved command is checked against the ruling of the card it runs with now.
   */
  async startQueued(agentId: number): Promise<void> {
    for (let after = 0; ;) {
      const queued = await this.commands.find({
        where: { agentId, status: 'QUEUED', id: MoreThan(after) },
        order: { id: 'ASC' },
        take: QUEUE_PAGE,
      });
      for (const cmd of queued) await this.startOne(cmd);
      if (queued.length < QUEUE_PAGE) return;
      after = queued[queued.length - 1]!.id;
    }
  }

  private async startOne(cmd: AgentCommand): Promise<void> {
    if (cmd.deadline.getTime() <= Date.now()) return this.expire(cmd.id);
    const refusal = await this.queueCheck.refusal(cmd);
    if (refusal) {
      // Ended, never sent; the thread is told why (butler.queuedFollowUps) and may ask again.
      await this.finish(cmd, { status: 'CANCELLED', error: refusal }, `cancelled: ${refusal}`, ['QUEUED']);
      return;
    }
    const deadline = new Date(Date.now() + this.settings.agentCommandTimeoutMs());
    const res = await retryTransient(() =>
      this.commands
        .createQueryBuilder()
        .update(AgentCommand)
        .set({ status: 'RUNNING', deadline })
        .where('id = :id AND status = :s', { id: cmd.id, s: 'QUEUED' })
        .execute(),
    );
    if (!res.affected) return;
    Object.assign(cmd, { status: 'RUNNING', deadline });
    await this.monitor.record(
      cmd.agentId,
      'TO_AGENT',
      cmd.id,
      `run: ${joinCommand(cmd.command, cmd.args)} (${cmd.agentName} came online)`,
    );
    this.send(cmd, await this.butler.ref());
  }

  private send(cmd: AgentCommand, from: ActorRef): void {
    this.realtime.toActor(cmd.agentId, 'command:run', runEvent(cmd, from));
  }

  async run(spec: CommandSpec, from: ActorRef): Promise<AgentCommand> {
    const cmd = await this.create(this.commands.manager, spec);
    await this.dispatch(cmd, from);
    return cmd;
  }

  /** Resolves with the finished row: by result, cancel or deadline, whichever node saw it. */
  waitFor(cmd: AgentCommand, onProgress?: (text: string) => void): Promise<AgentCommand> {
    const delay = Math.max(0, cmd.deadline.getTime() - Date.now()) + 50;
    const done = this.waiters.wait(
      cmd.id,
      delay,
      async () => {
        // The local deadline timer: time it out here unless another node (or the result) was first.
        await this.timeOut(cmd.id);
        await this.wake(cmd.id);
      },
      onProgress,
    );
    // The result may have landed before we started waiting.
    void this.wake(cmd.id);
    return done;
  }

  /**
   * Progress lines in flight per command on this node (an agent's socket is on one node). Lines are relayed
   * in order, and the command's result waits for them: handled concurrently, a result sent right after the
   * last line (an MCP tool's final progress) could end the command first and the line would be dropped.
   */
  private readonly relaying = new Map<number, Promise<void>>();

  progress(agent: AuthActor, p: CommandProgressPayload): Promise<void> {
    const before = this.relaying.get(p.commandId) ?? Promise.resolve();
    const relay = before.then(() => this.relayProgress(agent, p));
    const settled = relay.catch(() => undefined);
    this.relaying.set(p.commandId, settled);
    void settled.then(() => {
      if (this.relaying.get(p.commandId) === settled) this.relaying.delete(p.commandId);
    });
    return relay;
  }

  private async relayProgress(agent: AuthActor, p: CommandProgressPayload): Promise<void> {
    const cmd = await this.owned(agent, p.commandId);
    if (!OPEN.includes(cmd.status)) return;
    // Relayed before the transcript write: on MySQL the agent's result (sent right after) is handled on
    // another pooled connection, and its waiter must not close before this progress reached it.
    const progress = { commandId: cmd.id, text: p.text, agentId: cmd.agentId };
    this.realtime.toActor(cmd.requestedBy, 'command:progress', progress);
    // An admin who approved a member's run from the inbox watches it too.
    if (cmd.approvedBy !== null && cmd.approvedBy !== cmd.requestedBy)
      this.realtime.toActor(cmd.approvedBy, 'command:progress', progress);
    this.realtime.serverSideEmit('command:progressed', { commandId: cmd.id, text: p.text });
    await this.monitor.record(cmd.agentId, 'FROM_AGENT', cmd.id, `progress: ${p.text}`);
  }

  /** Acked by the caller whatever happens here: a duplicate is ignored, a late one kept for the record. */
  async result(agent: AuthActor, p: CommandResultPayload): Promise<void> {
    await this.relaying.get(p.commandId);
    const cmd = await this.owned(agent, p.commandId);
    const text = p.ok ? (p.result ?? '') : (p.error ?? 'failed');
    if (OPEN.includes(cmd.status) && Date.now() > cmd.deadline.getTime()) await this.timeOut(cmd.id);
    else if (OPEN.includes(cmd.status)) {
      const status = p.ok ? 'SUCCEEDED' : 'FAILED';
      if (
        await this.finish(
          cmd,
          { status, result: p.ok ? text : null, error: p.ok ? null : text },
          `${p.ok ? 'result' : 'error'}: ${text}`,
        )
      )
        return;
    }
    await this.keepLate(cmd.id, text);
  }

  /**
   * The commands of one thread still waiting for their offline agent, oldest first, that the caller may
   * cancel: their own (an admin: all). The console offers Cancel on each.
   */
  waitingIn(actor: AuthActor, conversationId: number): Promise<AgentCommand[]> {
    const qb = this.commands
      .createQueryBuilder('c')
      .where('c.conversationId = :conversationId AND c.status = :q', { conversationId, q: 'QUEUED' })
      .orderBy('c.id', 'ASC')
      .take(50);
    if (actor.kind !== 'ADMIN') qb.andWhere('c.requestedBy = :me', { me: actor.id });
    return qb.getMany();
  }

  async cancel(actor: AuthActor, id: number, reason: string): Promise<AgentCommand> {
    const cmd = await this.commands.findOneBy({ id });
    // Someone else's command is "not found", as a missing one: its id says nothing about whether it exists.
    if (!cmd || (actor.kind !== 'ADMIN' && actor.id !== cmd.requestedBy)) throw notFound('Command');
    // A queued one never runs: the claim QUEUED → RUNNING finds it CANCELLED. (The agent is told either way,
    // in case it was sent meanwhile.)
    if (await this.finish(cmd, { status: 'CANCELLED', error: reason }, undefined, UNENDED))
      this.sendCancel(cmd, reason);
    return (await this.commands.findOneBy({ id }))!;
  }

  /** Times out every overdue command; safe on every node at once (conditional updates). */
  async sweep(): Promise<void> {
    const overdue = await this.commands
      .createQueryBuilder('c')
      .select(['c.id'])
      .where('c.status IN (:...open)', { open: OPEN })
      .andWhere('c.deadline < :now', { now: dbTime(this.dataSource, new Date()) })
      .take(100)
      .getMany();
    for (const { id } of overdue) await this.timeOut(id);
    const now = dbTime(this.dataSource, new Date());
    const expired = await this.commands
      .createQueryBuilder('c')
      .select(['c.id'])
      .where('c.status = :q AND c.deadline <= :now', { q: 'QUEUED', now })
      .take(100)
      .getMany();
    for (const { id } of expired) await this.expire(id);
    // A ready signal can be missed (the agent said hello while its command was being queued, or on a node
    // that crashed). One row per agent, however many commands wait: startQueued pages through them.
    const waiting = await this.commands
      .createQueryBuilder('c')
      .select('c.agentId', 'agentId')
      .distinct(true)
      .where('c.status = :q AND c.deadline > :now', { q: 'QUEUED', now })
      .getRawMany<{ agentId: number | string }>();
    for (const agentId of waiting.map((r) => Number(r.agentId))) {
      if (await this.realtime.isReady(agentId)) await this.startQueued(agentId);
    }
  }

  /** QUEUED → EXPIRED: the agent did not connect before the queue's deadline; it never ran. */
  private async expire(id: number): Promise<void> {
    const cmd = await this.commands.findOneBy({ id });
    if (!cmd || cmd.status !== 'QUEUED') return;
    await this.finish(
      cmd,
      { status: 'EXPIRED', error: `${cmd.agentName} did not come online in time` },
      `expired: ${cmd.agentName} did not come online in time`,
      ['QUEUED'],
    );
  }

  private async timeOut(id: number): Promise<void> {
    const cmd = await this.commands.findOneBy({ id });
    if (!cmd || !OPEN.includes(cmd.status)) return;
    if (await this.finish(cmd, { status: 'TIMED_OUT', error: 'deadline passed' }))
      this.sendCancel(cmd, 'deadline passed');
  }

  private sendCancel(cmd: AgentCommand, reason: string): void {
    this.realtime.toActor(cmd.agentId, 'command:cancel', { commandId: cmd.id, reason });
    void this.monitor.record(cmd.agentId, 'TO_AGENT', cmd.id, `cancel: ${reason}`);
  }

  /** The one conditional update that ends a command; false when someone else ended it first. */
  private async finish(
    cmd: AgentCommand,
    end: { status: CommandStatus; result?: string | null; error?: string | null },
    transcript?: string,
    from: CommandStatus[] = OPEN,
  ): Promise<boolean> {
    const finishedAt = new Date();
    const res = await retryTransient(() =>
      this.commands
        .createQueryBuilder()
        .update(AgentCommand)
        .set({ status: end.status, result: end.result ?? null, error: end.error ?? null, finishedAt })
        .where('id = :id', { id: cmd.id })
        .andWhere('status IN (:...open)', { open: from })
        .execute(),
    );
    if (!res.affected) return false;
    if (transcript) await this.monitor.record(cmd.agentId, 'FROM_AGENT', cmd.id, transcript);
    Object.assign(cmd, { status: end.status, result: end.result ?? null, error: end.error ?? null, finishedAt });
    this.events.emit('commands.finished', cmd);
    this.realtime.serverSideEmit('command:finished', { commandId: cmd.id });
    return true;
  }

  private async keepLate(id: number, text: string): Promise<void> {
    const res = await this.commands
      .createQueryBuilder()
      .update(AgentCommand)
      .set({ lateResult: text })
      .where('id = :id AND status = :s AND late_result IS NULL', { id, s: 'TIMED_OUT' })
      .execute();
    const cmd = res.affected ? await this.commands.findOneBy({ id }) : null;
    if (cmd) await this.monitor.record(cmd.agentId, 'FROM_AGENT', id, `late result (after the deadline): ${text}`);
  }

  private async owned(agent: AuthActor, id: number): Promise<AgentCommand> {
    const cmd = await this.commands.findOneBy({ id });
    if (!cmd || cmd.agentId !== agent.id) throw notFound('Command');
    return cmd;
  }

  private async wake(id: number): Promise<void> {
    if (!this.waiters.has(id)) return;
    const cmd = await this.commands.findOneBy({ id });
    if (cmd && !UNENDED.includes(cmd.status)) this.waiters.resolve(id, cmd);
  }
}
