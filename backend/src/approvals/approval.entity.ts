import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { ApprovalStatus, CommandOutcomeKind, CommandPolicy, DecisionChannel } from '@echocenter/contracts';

/** A side-effecting command waiting for (or past) a human decision, with its audit trail. */
@Entity('approvals')
export class Approval {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ name: 'conversation_id', type: 'int', nullable: true })
  conversationId: number | null;

  @Column({ name: 'requested_by', type: 'int' })
  requestedBy: number;

  /** The personal access token the request came with (null: a console session); traces a leaked token's requests. */
  @Column({ name: 'requested_via_token_id', type: 'int', nullable: true })
  viaTokenId: number | null;

  @Column({ name: 'agent_id', type: 'int' })
  agentId: number;

  @Column({ name: 'agent_name', type: 'varchar', length: 64 })
  agentName: string;

  /** The command that will run: the proposal, or the approver's edit of it. */
  @Column({ type: 'text' })
  command: string;

  @Column({ name: 'proposed_command', type: 'text' })
  proposedCommand: string;

  @Column({ name: 'executed_command', type: 'text', nullable: true })
  executedCommand: string | null;

  @Column({ type: 'text' })
  reasoning: string;

  @Column({ type: 'varchar', length: 16 })
  status: ApprovalStatus;

  /** The command's effective policy when it was requested (NEEDS_APPROVAL or DESTRUCTIVE: a rule never decides those). */
  @Column({ type: 'varchar', length: 16, default: 'NEEDS_APPROVAL' })
  policy: CommandPolicy;

  @Column({ name: 'decided_by', type: 'int', nullable: true })
  decidedBy: number | null;

  @Column({ name: 'decided_by_name', type: 'varchar', length: 64, nullable: true })
  decidedByName: string | null;

  @Column({ name: 'decided_at', type: 'datetime', nullable: true })
  decidedAt: Date | null;

  @Column({ name: 'decision_channel', type: 'varchar', length: 8, nullable: true })
  decisionChannel: DecisionChannel | null;

  @Column({ name: 'decision_reason', type: 'text', nullable: true })
  decisionReason: string | null;

  @Column({ name: 'command_id', type: 'int', nullable: true })
  commandId: number | null;

  /** The output, or an English line saying why there is none (for logs, notifications and older readers). */
  @Column({ type: 'text', nullable: true })
  result: string | null;

  /** How its command ended (null until it has); with `outcomeDetail`, what a console words in its reader's language. */
  @Column({ name: 'outcome_kind', type: 'varchar', length: 16, nullable: true })
  outcomeKind: CommandOutcomeKind | null;

  /** The agent's error or the cancel reason, as written. */
  @Column({ name: 'outcome_detail', type: 'text', nullable: true })
  outcomeDetail: string | null;

  /** Set once the pre-expiry warning went out, so only one node sends it. */
  @Column({ type: 'boolean', default: false })
  warned: boolean;

  /**
   * What it covers beyond its text, resolved when it was requested (ApprovalScopes), as a JSON array of
   * names: the ops nodes a `tag:` named then. Null: the command has no such scope.
   */
  @Column({ type: 'text', nullable: true })
  targets: string | null;

  @CreateDateColumn({ name: 'created_at' })
  createdAt: Date;

  @Column({ name: 'expires_at', type: 'datetime' })
  expiresAt: Date;

  /** Once it has ended: the node telling its thread, until that is done (turn recovery takes over otherwise). */
  @Column({ name: 'followup_node', type: 'varchar', length: 36, nullable: true })
  followupNode: string | null;
}

/** The stored targets as names (null: no scope). */
export function storedTargets(a: Pick<Approval, 'targets'>): string[] | null {
  if (a.targets === null) return null;
  const parsed = JSON.parse(a.targets) as unknown;
  return Array.isArray(parsed) ? parsed.filter((n): n is string => typeof n === 'string') : [];
}
