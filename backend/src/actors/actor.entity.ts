import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { ActorKind, AgentCommandCard, HumanRole } from '@echocenter/contracts';

export type ActorType = 'HUMAN' | 'AGENT' | 'BUTLER';

/** Humans, agents and the Butler share one id space (PROTOCOL.md): one table, one sequence. */
@Entity('actors')
export class Actor {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'varchar', length: 16 })
  type: ActorType;

  @Column({ type: 'varchar', length: 16, nullable: true })
  role: HumanRole | null;

  @Column({ type: 'varchar', length: 64 })
  name: string;

  /** Lower-cased name: uniqueness is case-insensitive per actor type. */
  @Column({ name: 'name_key', type: 'varchar', length: 64 })
  nameKey: string;

  @Column({ name: 'password_hash', type: 'varchar', length: 100, nullable: true, select: false })
  passwordHash: string | null;

  @Column({ type: 'boolean', default: false })
  disabled: boolean;

  /** Humans: the version a JWT must carry (`tv`) to be accepted; bumping it ends every session. */
  @Column({ name: 'token_version', type: 'integer', default: 0 })
  tokenVersion: number;

  @Column({ type: 'text', nullable: true })
  description: string | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  version: string | null;

  @Column({ type: 'simple-json', nullable: true })
  commands: AgentCommandCard[] | null;

  @Column({ type: 'boolean', default: false })
  online: boolean;

  @Column({ name: 'last_seen_at', type: 'datetime', nullable: true })
  lastSeenAt: Date | null;

  @Column({ name: 'last_report', type: 'text', nullable: true })
  lastReport: string | null;

  @Column({ name: 'last_report_at', type: 'datetime', nullable: true })
  lastReportAt: Date | null;

  @CreateDateColumn({ name: 'created_at' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at' })
  updatedAt: Date;

  get kind(): ActorKind {
    return this.type === 'HUMAN' ? (this.role ?? 'MEMBER') : this.type;
  }
}
