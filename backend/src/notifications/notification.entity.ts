import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { NotificationEvent, NotificationStatus } from '@echocenter/contracts';

/**
 * The outbox: one message owed to one channel (and, for e-mail, one recipient), written in the same
 * transaction as the approval change that causes it. Senders on any node claim a row with a conditional
 * update (status + attempts), deliver it, and mark it SENT, back to PENDING with a later `next_attempt_at`,
 * or DEAD after the last try.
 */
@Entity('notifications')
export class Notification {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ name: 'channel_id', type: 'int' })
  channelId: number;

  @Column({ type: 'varchar', length: 32 })
  event: NotificationEvent | 'test';

  @Column({ name: 'approval_id', type: 'int', nullable: true })
  approvalId: number | null;

  /** EMAIL: the one admin this row is for. */
  @Column({ name: 'recipient_id', type: 'int', nullable: true })
  recipientId: number | null;

  @Column({ name: 'recipient_address', type: 'varchar', length: 254, nullable: true })
  recipientAddress: string | null;

  /** Unique: the same event never owes the same channel two messages; sent to receivers as Idempotency-Key. */
  @Column({ name: 'idempotency_key', type: 'varchar', length: 128 })
  idempotencyKey: string;

  @Column({ type: 'varchar', length: 8 })
  status: NotificationStatus;

  @Column({ type: 'int', default: 0 })
  attempts: number;

  @Column({ name: 'next_attempt_at', type: 'datetime' })
  nextAttemptAt: Date;

  /** While SENDING: the node delivering it, and when its claim lapses (the node died) so another may retry. */
  @Column({ name: 'claimed_by', type: 'varchar', length: 36, nullable: true })
  claimedBy: string | null;

  @Column({ name: 'claimed_until', type: 'datetime', nullable: true })
  claimedUntil: Date | null;

  @Column({ name: 'last_status_code', type: 'int', nullable: true })
  lastStatusCode: number | null;

  @Column({ name: 'last_error', type: 'varchar', length: 500, nullable: true })
  lastError: string | null;

  @CreateDateColumn({ name: 'created_at' })
  createdAt: Date;

  @Column({ name: 'sent_at', type: 'datetime', nullable: true })
  sentAt: Date | null;
}
