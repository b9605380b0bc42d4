import type { LogDto } from '@echocenter/contracts';
import type { AgentCredentialsRevoked } from '../agents/agent-events';
import type { ApprovalChanged, ApprovalSettled } from '../approvals/approval-events';
import type { AgentToButler, ButlerBound } from '../chat/chat.service';
import type { AgentCommand } from '../commands/agent-command.entity';
import type { OpsNode } from '../ops/ops-node.entity';
import type { SettingsChange } from '../settings/settings.service';
import type { UserSessionsEnded } from '../users/user-events';

/**
 * Every in-process event one feature tells others about, with its payload: the one place to read who
 * talks to whom (docs/architecture.md, "Events between features", lists publisher and subscribers).
 * Delivered by DomainEventBus on the node that emitted it only; what other nodes must hear travels on a
 * node channel (gateway/socket-types.ts, NodeChannels). Names are `<publishing feature>.<what happened>`.
 */
export interface DomainEvents {
  /** A human's message to the Butler, valid and committing (ChatService.send). */
  'chat.toButler': ButlerBound;
  /** A new message an agent sent to the Butler, stored (the answer to an ask_agent question). */
  'chat.agentToButler': AgentToButler;
  /** A command this node ended (it won the conditional update). */
  'commands.finished': AgentCommand;
  /** A command this node queued for an offline agent. */
  'commands.queued': AgentCommand;
  /** An approval was opened (`from` null) or changed status; this node made the change. */
  'approvals.changed': ApprovalChanged;
  /** An approval reached an end its thread must hear about; right after its `approvals.changed`. */
  'approvals.settled': ApprovalSettled;
  /** A log was stored (or a resent one found again). */
  'logs.created': LogDto;
  /** A settings reload changed effective values (on every node, whoever made the change). */
  'settings.changed': SettingsChange;
  /** An agent's `agent:hello` was handled on this node: its card is stored and ruled (what waited for it may go). */
  'agents.ready': { agentId: number };
  /** An agent's token stopped working: rotated, or the agent deleted. */
  'agents.credentialsRevoked': AgentCredentialsRevoked;
  /** Every session of a user ended (role, disabled, deleted, password, sign out everywhere). */
  'users.sessionsEnded': UserSessionsEnded;
  /** A node joined the Ops inventory (added on this hub node). */
  'ops.nodeAdded': OpsNode;
}

export type DomainEventName = keyof DomainEvents;
