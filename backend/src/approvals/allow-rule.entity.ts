import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/**
 * "Always allow": a standing approval for one agent and one command name, narrowed by a pattern over the
 * whole command text (allow-rule-pattern.ts), optionally to one requester, until it expires.
 */
@Entity('approval_rules')
export class AllowRule {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ name: 'agent_id', type: 'int' })
  agentId: number;

  @Column({ name: 'agent_name', type: 'varchar', length: 64 })
  agentName: string;

  @Column({ name: 'command_name', type: 'varchar', length: 128 })
  commandName: string;

  /** What the command text must match; its first token is the command name itself. */
  @Column({ type: 'varchar', length: 2000 })
  pattern: string;

  /** Only when this user asks; null: anyone. */
  @Column({ name: 'requester_id', type: 'int', nullable: true })
  requesterId: number | null;

  @Column({ name: 'requester_name', type: 'varchar', length: 64, nullable: true })
  requesterName: string | null;

  @Column({ name: 'created_by', type: 'int' })
  createdBy: number;

  @Column({ name: 'created_by_name', type: 'varchar', length: 64, default: '' })
  createdByName: string;

  /** The approval it was made from (null for rules from before scoping). */
  @Column({ name: 'approval_id', type: 'int', nullable: true })
  approvalId: number | null;

  @CreateDateColumn({ name: 'created_at' })
  createdAt: Date;

  /** After this it never fires again; null: never expires (rules from before scoping only). */
  @Column({ name: 'expires_at', type: 'datetime', nullable: true })
  expiresAt: Date | null;

  @Column({ type: 'int', default: 0 })
  hits: number;

  @Column({ name: 'last_used_at', type: 'datetime', nullable: true })
  lastUsedAt: Date | null;
}
