import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { NotificationEvent } from '@echocenter/contracts';

/** The delivery log: one row per attempt, with the receiver's status code. */
@Entity('notification_attempts')
export class NotificationAttempt {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ name: 'notification_id', type: 'int' })
  notificationId: number;

  @Column({ name: 'channel_id', type: 'int' })
  channelId: number;

  @Column({ type: 'varchar', length: 32 })
  event: NotificationEvent | 'test';

  @Column({ type: 'int' })
  attempt: number;

  @Column({ type: 'boolean' })
  ok: boolean;

  @Column({ name: 'status_code', type: 'int', nullable: true })
  statusCode: number | null;

  @Column({ type: 'varchar', length: 500, nullable: true })
  error: string | null;

  @Column({ name: 'duration_ms', type: 'int' })
  durationMs: number;

  @Column({ name: 'node_id', type: 'varchar', length: 36 })
  nodeId: string;

  @CreateDateColumn({ name: 'created_at' })
  createdAt: Date;
}
