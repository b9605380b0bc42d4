import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { ChannelKind, ChannelRecipient, NotificationEvent, SmtpSettings } from '@echocenter/contracts';

/** Where approval notifications go: a webhook, a Slack or Feishu bot, or an SMTP server. */
@Entity('notification_channels')
export class NotificationChannel {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'varchar', length: 64 })
  name: string;

  @Column({ type: 'varchar', length: 16 })
  kind: ChannelKind;

  @Column({ type: 'boolean', default: true })
  enabled: boolean;

  @Column({ type: 'varchar', length: 2048, nullable: true })
  url: string | null;

  @Column({ type: 'simple-json', nullable: true })
  smtp: SmtpSettings | null;

  @Column({ type: 'simple-json' })
  events: NotificationEvent[];

  /** Null: every admin. */
  @Column({ type: 'simple-json', nullable: true })
  recipients: ChannelRecipient[] | null;

  /** Its links also ask for the admin's password (shared rooms: one message carries every admin's link). */
  @Column({ name: 'links_require_sign_in', type: 'boolean', default: false })
  linksRequireSignIn: boolean;

  /** JSON of a SealedSecret (AES-GCM with the settings key, bound to this channel's id); never returned. */
  @Column({ type: 'text', nullable: true })
  secret: string | null;

  @CreateDateColumn({ name: 'created_at' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at' })
  updatedAt: Date;
}
