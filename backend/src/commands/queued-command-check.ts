import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { ActorsService } from '../actors/actors.service';
import { PoliciesService } from '../policies/policies.service';
import { SettingsService } from '../settings/settings.service';
import { AgentCommand } from './agent-command.entity';

/**
 * How many commands one person may have waiting (QUEUED) for offline agents without an approval. A
 * read-only command needs nobody's approval, so without a cap one member could pile up thousands, all
 * sent the moment the agent reconnects.
 */
export const MAX_QUEUED_PER_REQUESTER = 20;

/**
 * A command queued with no approval ran no approval because it was READ_ONLY when it was asked for. By
 * the time its agent connects an admin may have tightened the policy, switched approvals to `always`,
 * or the agent may have come back with a card that undoes the confirmation: the ruling is read again
 * right before it is sent, so waiting never becomes a way around approvals.
 */
@Injectable()
export class QueuedCommandCheck {
  constructor(
    private readonly policies: PoliciesService,
    private readonly settings: SettingsService,
    private readonly actors: ActorsService,
    @InjectRepository(AgentCommand) private readonly commands: Repository<AgentCommand>,
  ) {}

  /** Why this unapproved command may not be queued (its requester has too many waiting), or null. */
  async overCap(cmd: AgentCommand): Promise<string | null> {
    // An approved command was allowed by a human; it is counted for the requester but never refused here.
    if (cmd.approvalId !== null) return null;
    const waiting = await this.commands.countBy({ requestedBy: cmd.requestedBy, status: 'QUEUED' });
    if (waiting < MAX_QUEUED_PER_REQUESTER) return null;
    return (
      `not queued: ${cmd.agentName} is offline and you already have ${waiting} commands waiting for offline ` +
      `agents (at most ${MAX_QUEUED_PER_REQUESTER}); cancel some or wait for them`
    );
  }

  /** Why the queued command may not be sent now (it ends CANCELLED with this), or null when it may. */
  async refusal(cmd: AgentCommand): Promise<string | null> {
    // A human approved this very command: the approval is its permission, whatever the policy says now.
    if (cmd.approvalId !== null) return null;
    if (this.settings.approvals().policy === 'always')
      return 'not run: every command now needs approval (APPROVAL_POLICY=always); ask again to request it';
    const agent = await this.actors.findAgent(cmd.agentId);
    const card = agent?.commands?.find((c) => c.name === cmd.command);
    const policy = await this.policies.effective(cmd.agentId, cmd.command, card);
    if (policy === 'READ_ONLY') return null;
    const now = policy === 'DESTRUCTIVE' ? 'destructive' : 'needs approval';
    return `not run: its policy changed while it waited (now ${now}); ask again to request approval`;
  }
}
