import { Column, Entity } from 'typeorm';
import type { CommandStatus } from '@echocenter/contracts';
import { AgentDeadlineRow } from '../database/agent-deadline-row';

/** One command sent to an agent; stored before `command:run` leaves, completed by `command:result`. */
@Entity('agent_commands')
export class AgentCommand extends AgentDeadlineRow<CommandStatus> {
  /** The human the Butler acted for; progress is relayed to them. */
  @Column({ name: 'requested_by', type: 'int' })
  requestedBy: number;

  /** The personal access token the request came with (null: a console session); traces a leaked token's requests. */
  @Column({ name: 'requested_via_token_id', type: 'int', nullable: true })
  viaTokenId: number | null;

  @Column({ name: 'approval_id', type: 'int', nullable: true })
  approvalId: number | null;

  /** Who approved it, when someone did: progress is relayed to them too (they may not be the requester). */
  @Column({ name: 'approved_by', type: 'int', nullable: true })
  approvedBy: number | null;

  @Column({ type: 'text' })
  command: string;

  @Column({ type: 'text', nullable: true })
  args: string | null;

  @Column({ type: 'text', nullable: true })
  result: string | null;

  @Column({ type: 'text', nullable: true })
  error: string | null;

  @Column({ name: 'late_result', type: 'text', nullable: true })
  lateResult: string | null;

  /** Set when the command had to wait for its agent to connect (QUEUED); its thread is told how it ended. */
  @Column({ name: 'queued_at', type: 'datetime', nullable: true })
  queuedAt: Date | null;

  /**
   * The agent process (its own random instance id) that took the sent command on (`command:claim`); null
   * while nobody has. A claim-aware agent runs a command only after claiming it, so a re-delivered one
   * (live push and catch-up both) runs once.
   */
  @Column({ name: 'claimed_by', type: 'varchar', length: 64, nullable: true })
  claimedBy: string | null;

  @Column({ name: 'finished_at', type: 'datetime', nullable: true })
  finishedAt: Date | null;
}
