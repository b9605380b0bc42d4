import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/**
 * A one-time decision link `/a/<token>`: bound to one approval and one admin, stored as the token's
 * SHA-256 (the token itself exists only in the message sent), used once, dead when the approval expires.
 */
@Entity('approval_links')
export class ApprovalLink {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ name: 'token_hash', type: 'varchar', length: 64 })
  tokenHash: string;

  @Column({ name: 'approval_id', type: 'int' })
  approvalId: number;

  @Column({ name: 'actor_id', type: 'int' })
  actorId: number;

  @Column({ name: 'notification_id', type: 'int', nullable: true })
  notificationId: number | null;

  @Column({ name: 'expires_at', type: 'datetime' })
  expiresAt: Date;

  @Column({ name: 'used_at', type: 'datetime', nullable: true })
  usedAt: Date | null;

  /** Its channel's "links require sign-in" when it was sent: kept, so deleting the channel unlocks nothing. */
  @Column({ name: 'requires_sign_in', type: 'boolean', default: false })
  requiresSignIn: boolean;

  /** Wrong passwords given on its page (sign-in required); the link dies at MAX_LOGIN_FAILURES. */
  @Column({ type: 'int', default: 0 })
  failures: number;

  @CreateDateColumn({ name: 'created_at' })
  createdAt: Date;
}
