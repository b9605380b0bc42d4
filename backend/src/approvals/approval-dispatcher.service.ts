import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import type { Subscription } from 'rxjs';
import type { ApprovalStatus } from '@echocenter/contracts';
import { ButlerIdentity } from '../butler/butler-identity.service';
import type { AgentCommand } from '../commands/agent-command.entity';
import { commandOutcome, describeOutcome } from '../commands/command.mapper';
import { CommandsService } from '../commands/commands.service';
import { DomainEventBus } from '../events/domain-event-bus';
import { ApprovalTransitions } from './approval-transitions';

const END_OF: Partial<Record<AgentCommand['status'], ApprovalStatus>> = {
  SUCCEEDED: 'SUCCEEDED',
  FAILED: 'FAILED',
  TIMED_OUT: 'TIMED_OUT',
  CANCELLED: 'FAILED',
  // Queued for an offline agent that never came online: nothing ran.
  EXPIRED: 'FAILED',
};

/**
 * Turns an APPROVED approval into exactly one command (ApprovalTransitions.claim), and ends the approval
 * when that command ends.
 */
@Injectable()
export class ApprovalDispatcher implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('ApprovalDispatcher');
  private subscription: Subscription | null = null;

  constructor(
    private readonly commands: CommandsService,
    private readonly transitions: ApprovalTransitions,
    private readonly butler: ButlerIdentity,
    private readonly events: DomainEventBus,
  ) {}

  onModuleInit(): void {
    this.subscription = this.events.on('commands.finished', 'approvals.dispatcher', (cmd) => {
      if (cmd.approvalId !== null)
        this.settle(cmd).catch((err: Error) =>
          this.logger.error(`settling approval ${cmd.approvalId}: ${err.message}`),
        );
    });
  }

  onModuleDestroy(): void {
    this.subscription?.unsubscribe();
  }

  /** Null when another caller already claimed it (or it is not APPROVED). */
  async start(approvalId: number): Promise<AgentCommand | null> {
    const claimed = await this.transitions.claim(approvalId, (em, approval) =>
      this.commands.create(em, {
        agentId: approval.agentId,
        agentName: approval.agentName,
        text: approval.command,
        requestedBy: approval.requestedBy,
        viaTokenId: approval.viaTokenId,
        conversationId: approval.conversationId,
        approvalId,
        approvedBy: approval.decidedBy,
      }),
    );
    if (!claimed) return null;
    await this.commands.dispatch(claimed.command, await this.butler.ref());
    return claimed.command;
  }

  private async settle(cmd: AgentCommand): Promise<void> {
    const status = END_OF[cmd.status];
    const outcome = commandOutcome(cmd);
    // `result` stays English (notifications, MCP, older consoles); a console words `outcome` in its reader's language.
    if (status && outcome)
      await this.transitions.finish(cmd.approvalId!, status, { result: describeOutcome(cmd), outcome }, cmd);
  }
}
