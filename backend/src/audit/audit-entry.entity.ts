import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * One admin action, append-only: who did what to which thing. Names are snapshots, so an entry stays
 * readable after its actor or target is gone. `details` is JSON and never holds a secret.
 */
@Entity('audit_log')
@Index('IDX_audit_log_target', ['targetType', 'targetId'])
export class AuditEntry {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ name: 'actor_id', type: 'int', nullable: true })
  actorId: number | null;

  @Column({ name: 'actor_name', type: 'varchar', length: 64 })
  actorName: string;

  /** Dotted verb, e.g. `user.updated`, `rule.created`, `policy.confirmed`. */
  @Column({ type: 'varchar', length: 48 })
  action: string;

  @Column({ name: 'target_type', type: 'varchar', length: 24 })
  targetType: string;

  @Column({ name: 'target_id', type: 'int', nullable: true })
  targetId: number | null;

  @Column({ name: 'target_name', type: 'varchar', length: 160, nullable: true })
  targetName: string | null;

  @Column({ type: 'text', nullable: true })
  details: string | null;

  @CreateDateColumn({ name: 'created_at' })
  createdAt: Date;
}
