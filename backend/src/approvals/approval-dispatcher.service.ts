import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Subscription } from 'rxjs';
import { DataSource, Repository } from 'typeorm';
import type { ApprovalStatus } from '@echocenter/contracts';
import { ButlerIdentity } from '../butler/butler-identity.service';
import type { AgentCommand } from '../commands/agent-command.entity';
import { describeOutcome } from '../commands/command.mapper';
import { CommandsService } from '../commands/commands.service';
import { ApprovalNotifier } from './approval-notifier';
import { retryTransient } from '../commands/db-retry';
import { transaction } from '../database/transaction';
import { Approval } from './approval.entity';

const END_OF: Partial<Record<AgentCommand['status'], ApprovalStatus>> = {
  SUCCEEDED: 'SUCCEEDED',
  FAILED: 'FAILED',
  TIMED_OUT: 'TIMED_OUT',
  CANCELLED: 'FAILED',
};

/**
 * Turns an APPROVED approval into exactly one command: the APPROVED → RUNNING claim and the command row
 * commit together, so two clicks, two nodes or a recovery sweep can never run it twice.
 */
@Injectable()
export class ApprovalDispatcher implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('ApprovalDispatcher');
  private subscription: Subscription | null = null;

  constructor(
    private readonly dataSource: DataSource,
    @InjectRepository(Approval) private readonly approvals: Repository<Approval>,
    private readonly commands: CommandsService,
    private readonly notifier: ApprovalNotifier,
    private readonly butler: ButlerIdentity,
  ) {}

  onModuleInit(): void {
    this.subscription = this.commands.finished$.subscribe((cmd) => {
      if (cmd.approvalId !== null) this.settle(cmd).catch((err: Error) => this.logger.error(`settling approval ${cmd.approvalId}: ${err.message}`));
    });
  }

  onModuleDestroy(): void {
    this.subscription?.unsubscribe();
  }

  /** Null when another caller already claimed it (or it is not APPROVED). */
  async start(approvalId: number): Promise<AgentCommand | null> {
    const claimed = await retryTransient(() => this.claim(approvalId));
    if (!claimed) return null;
    this.notifier.updated(claimed.approval);
    await this.commands.dispatch(claimed.command, await this.butler.ref());
    return claimed.command;
  }

  private claim(approvalId: number): Promise<{ approval: Approval; command: AgentCommand } | null> {
    return transaction(this.dataSource, async (em) => {
      const res = await em
        .createQueryBuilder()
        .update(Approval)
        .set({ status: 'RUNNING' })
        .where('id = :id AND status = :s', { id: approvalId, s: 'APPROVED' })
        .execute();
      if (!res.affected) return null;
      const approval = (await em.findOneBy(Approval, { id: approvalId }))!;
      const command = await this.commands.create(em, {
        agentId: approval.agentId,
        agentName: approval.agentName,
        text: approval.command,
        requestedBy: approval.requestedBy,
        conversationId: approval.conversationId,
        approvalId,
      });
      approval.commandId = command.id;
      approval.executedCommand = approval.command;
      await em.update(Approval, { id: approvalId }, { commandId: command.id, executedCommand: approval.command });
      return { approval, command };
    });
  }

  private async settle(cmd: AgentCommand): Promise<void> {
    const status = END_OF[cmd.status];
    if (!status) return;
    const result = describeOutcome(cmd);
    const res = await this.approvals
      .createQueryBuilder()
      .update(Approval)
      .set({ status, result, followupNode: this.notifier.followupNode })
      .where('id = :id AND status = :s', { id: cmd.approvalId, s: 'RUNNING' })
      .execute();
    if (!res.affected) return;
    const approval = (await this.approvals.findOneBy({ id: cmd.approvalId! }))!;
    this.notifier.updated(approval);
    this.notifier.settled$.next({ approval, command: cmd });
  }
}
