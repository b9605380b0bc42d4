import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, EntityManager, Repository } from 'typeorm';
import type { ApprovalStatus, CommandOutcome, DecisionChannel } from '@echocenter/contracts';
import type { AgentCommand } from '../commands/agent-command.entity';
import { retryTransient } from '../database/db-errors';
import { dbTime } from '../common/db-time';
import { transaction } from '../database/transaction';
import { DomainEventBus } from '../events/domain-event-bus';
import { PresenceService } from '../gateway/presence.service';
import { Approval } from './approval.entity';
import { ApprovalTxHooks, type ApprovalMoment } from './approval-tx-hooks';

/** The fields of a new approval; `status` says whether a human decides (PENDING) or a rule did (APPROVED). */
export type ApprovalOpening = Pick<
  Approval,
  | 'conversationId'
  | 'requestedBy'
  | 'viaTokenId'
  | 'agentId'
  | 'agentName'
  | 'command'
  | 'proposedCommand'
  | 'reasoning'
  | 'policy'
  | 'targets'
  | 'expiresAt'
> &
  (
    | { status: 'PENDING' }
    | ({ status: 'APPROVED' } & Pick<
        Approval,
        'decidedBy' | 'decidedByName' | 'decidedAt' | 'decisionChannel' | 'decisionReason'
      >)
  );

export interface HumanDecision {
  approved: boolean;
  /** The command as it will run (the proposal or the approver's edit). */
  command: string;
  decidedBy: number;
  decidedByName: string;
  channel: DecisionChannel;
  reason: string | null;
}

/**
 * Every status change of an approval, each one conditional update on the status it leaves (so it
 * happens once, whichever node or channel races for it), followed by its domain event ('approvals.changed').
 * An end the thread must hear about stores this node as the one that owes the follow-up
 * (`followup_node`) in the same update. Each change runs ApprovalTxHooks in its transaction, so what a
 * listener records (a notification owed) exists exactly when the change does.
 */
@Injectable()
export class ApprovalTransitions {
  constructor(
    private readonly dataSource: DataSource,
    @InjectRepository(Approval) private readonly approvals: Repository<Approval>,
    private readonly events: DomainEventBus,
    private readonly presence: PresenceService,
    private readonly hooks: ApprovalTxHooks,
  ) {}

  async open(fields: ApprovalOpening): Promise<Approval> {
    // insert, not save: save opens a nested transaction.
    const approval = await transaction(this.dataSource, async (em) => {
      const { identifiers } = await em.insert(Approval, fields);
      const opened = (await em.findOneBy(Approval, { id: identifiers[0].id as number }))!;
      if (opened.status === 'PENDING') await this.hooks.run(em, { moment: 'requested', approval: opened });
      return opened;
    });
    this.events.emit('approvals.changed', { approval, from: null });
    return approval;
  }

  /** PENDING → APPROVED | REJECTED, only while not expired; null when another decision or the expiry won. */
  async decide(id: number, d: HumanDecision): Promise<Approval | null> {
    const status = d.approved ? 'APPROVED' : 'REJECTED';
    const decided = await retryTransient(() =>
      this.inTransaction(
        'decided',
        (em) =>
          em
            .createQueryBuilder()
            .update(Approval)
            .set({
              status,
              command: d.command,
              decidedBy: d.decidedBy,
              decidedByName: d.decidedByName,
              decidedAt: new Date(),
              decisionChannel: d.channel,
              decisionReason: d.reason,
              // Only a rejection ends it here; an approval ends when its command does (finish).
              followupNode: d.approved ? null : this.presence.nodeId,
            })
            .where('id = :id AND status = :s AND expires_at > :now', {
              id,
              s: 'PENDING',
              now: dbTime(this.dataSource, new Date()),
            })
            .execute(),
        id,
      ),
    );
    if (!decided) return null;
    return this.changed(id, 'PENDING', !d.approved);
  }

  /** PENDING → EXPIRED (the sweep); null when a decision came first. */
  async expire(id: number): Promise<Approval | null> {
    const expired = await this.inTransaction(
      'decided',
      (em) =>
        em
          .createQueryBuilder()
          .update(Approval)
          .set({ status: 'EXPIRED', followupNode: this.presence.nodeId })
          .where('id = :id AND status = :s', { id, s: 'PENDING' })
          .execute(),
      id,
    );
    if (!expired) return null;
    return this.changed(id, 'PENDING', true);
  }

  /**
   * APPROVED → RUNNING together with its command row (one transaction), so two clicks, two nodes or a
   * recovery sweep never create two commands. Null when another caller claimed it first.
   */
  async claim(
    id: number,
    createCommand: (em: EntityManager, approval: Approval) => Promise<AgentCommand>,
  ): Promise<{ approval: Approval; command: AgentCommand } | null> {
    const claimed = await retryTransient(() =>
      transaction(this.dataSource, async (em) => {
        const res = await em
          .createQueryBuilder()
          .update(Approval)
          .set({ status: 'RUNNING' })
          .where('id = :id AND status = :s', { id, s: 'APPROVED' })
          .execute();
        if (!res.affected) return null;
        const approval = (await em.findOneBy(Approval, { id }))!;
        const command = await createCommand(em, approval);
        approval.commandId = command.id;
        approval.executedCommand = approval.command;
        await em.update(Approval, { id }, { commandId: command.id, executedCommand: approval.command });
        return { approval, command };
      }),
    );
    // Told only once committed: a listener reading the row sees what the event says.
    if (claimed) this.events.emit('approvals.changed', { approval: claimed.approval, from: 'APPROVED' });
    return claimed;
  }

  /**
   * RUNNING → the end of its command, with how it ended (`outcome`) and the line older readers show (`result`);
   * null when it was not RUNNING (already ended elsewhere).
   */
  async finish(
    approvalId: number,
    status: ApprovalStatus,
    end: { result: string; outcome: CommandOutcome },
    command: AgentCommand,
  ): Promise<Approval | null> {
    const finished = await this.inTransaction(
      'finished',
      (em) =>
        em
          .createQueryBuilder()
          .update(Approval)
          .set({
            status,
            result: end.result,
            outcomeKind: end.outcome.kind,
            outcomeDetail: end.outcome.detail,
            followupNode: this.presence.nodeId,
          })
          .where('id = :id AND status = :s', { id: approvalId, s: 'RUNNING' })
          .execute(),
      approvalId,
    );
    if (!finished) return null;
    return this.changed(approvalId, 'RUNNING', true, command);
  }

  /** Sends the warning once: marks it warned and lets the hooks record it, together; false when another node did. */
  async warn(id: number): Promise<boolean> {
    const warned = await this.inTransaction(
      'expiring',
      (em) =>
        em
          .createQueryBuilder()
          .update(Approval)
          .set({ warned: true })
          .where('id = :id AND warned = :f AND status = :s', { id, f: false, s: 'PENDING' })
          .execute(),
      id,
    );
    return warned !== null;
  }

  /** One conditional update and, when it changed the row, the hooks, in one transaction. */
  private inTransaction(
    moment: ApprovalMoment,
    update: (em: EntityManager) => Promise<{ affected?: number | null }>,
    id: number,
  ): Promise<Approval | null> {
    return transaction(this.dataSource, async (em) => {
      const res = await update(em);
      if (!res.affected) return null;
      const approval = (await em.findOneBy(Approval, { id }))!;
      await this.hooks.run(em, { moment, approval });
      return approval;
    });
  }

  private async changed(
    id: number,
    from: ApprovalStatus,
    settles: boolean,
    command: AgentCommand | null = null,
  ): Promise<Approval> {
    const approval = (await this.approvals.findOneBy({ id }))!;
    this.events.emit('approvals.changed', { approval, from });
    if (settles) this.events.emit('approvals.settled', { approval, command });
    return approval;
  }
}
