import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { LogLevel } from '@echocenter/contracts';

@Entity('system_logs')
export class SystemLog {
  @PrimaryGeneratedColumn()
  id: number;

  /** Null for logs posted by a human admin; kept (not cascaded) when the agent is deleted. */
  @Column({ name: 'agent_id', type: 'int', nullable: true })
  agentId: number | null;

  /** Snapshot of the reporter's name so the log stays readable after the agent is gone. */
  @Column({ name: 'agent_name', type: 'varchar', length: 64, nullable: true })
  agentName: string | null;

  @Column({ type: 'varchar', length: 8 })
  level: LogLevel;

  @Column({ type: 'text' })
  content: string;

  /** "<reporter id>:<localId>" when the reporter gave one; unique, so a resent report is stored once. */
  @Column({ name: 'report_key', type: 'varchar', length: 80, nullable: true, select: false })
  reportKey: string | null;

  @CreateDateColumn({ name: 'created_at' })
  createdAt: Date;
}
