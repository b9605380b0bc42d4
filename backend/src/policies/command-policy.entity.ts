import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, Unique, UpdateDateColumn } from 'typeorm';

/**
 * What the hub decided about one command of one agent. The agent's card only proposes read-only; a row
 * with `readOnly` holds an admin's confirmation of that claim for the args it was made with
 * (`confirmedArgs`), so a card that changes them no longer runs at once. No row: needs approval.
 */
@Entity('command_policies')
@Unique('UQ_command_policies_agent_command', ['agentId', 'command'])
export class CommandPolicy {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ name: 'agent_id', type: 'int' })
  agentId: number;

  @Column({ type: 'varchar', length: 64 })
  command: string;

  /** An admin (or the hub, for its demo fleet) confirmed the card's read-only claim. */
  @Column({ name: 'read_only', type: 'boolean', default: false })
  readOnly: boolean;

  /** The card's args when read-only was confirmed; null = none. */
  @Column({ name: 'confirmed_args', type: 'varchar', length: 200, nullable: true })
  confirmedArgs: string | null;

  @Column({ type: 'boolean', default: false })
  destructive: boolean;

  /** A card change undid the confirmation; cleared by the next admin decision. */
  @Column({ name: 'needs_review', type: 'boolean', default: false })
  needsReview: boolean;

  @Column({ name: 'review_reason', type: 'varchar', length: 300, nullable: true })
  reviewReason: string | null;

  /** Null when the hub decided (demo fleet) or nobody has yet. */
  @Column({ name: 'decided_by', type: 'int', nullable: true })
  decidedBy: number | null;

  @Column({ name: 'decided_by_name', type: 'varchar', length: 64, nullable: true })
  decidedByName: string | null;

  @Column({ name: 'decided_at', type: 'datetime', nullable: true })
  decidedAt: Date | null;

  @CreateDateColumn({ name: 'created_at' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at' })
  updatedAt: Date;
}
