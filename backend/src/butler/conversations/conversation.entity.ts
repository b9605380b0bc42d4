import type { Locale } from '@echocenter/contracts';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

/** A Butler thread: its own history (chat messages with this conversation_id) and its own model context. */
@Entity('conversations')
export class Conversation {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ name: 'owner_id', type: 'int' })
  ownerId: number;

  @Column({ type: 'varchar', length: 200 })
  title: string;

  @Column({ type: 'boolean', default: false })
  pinned: boolean;

  @Column({ type: 'boolean', default: false })
  archived: boolean;

  /** Compacted context: a summary of every message of the thread with id <= summaryUpto. */
  @Column({ type: 'text', nullable: true })
  summary: string | null;

  @Column({ name: 'summary_upto', type: 'int', nullable: true })
  summaryUpto: number | null;

  /** The language its operator's console last said; null until one did (then guessed from the text). */
  @Column({ type: 'varchar', length: 8, nullable: true })
  locale: Locale | null;

  @CreateDateColumn({ name: 'created_at' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at' })
  updatedAt: Date;

  @Column({ name: 'last_message_at', type: 'datetime', nullable: true })
  lastMessageAt: Date | null;
}
