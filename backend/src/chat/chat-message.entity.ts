import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { ActorKind } from '@echocenter/contracts';

/** One stored chat message; the auto-increment id is the global order. */
@Entity('chat_messages')
export class ChatMessage {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ name: 'sender_id', type: 'int' })
  senderId: number;

  /** Snapshots: history stays readable without a join and after an actor is deleted. */
  @Column({ name: 'sender_name', type: 'varchar', length: 64 })
  senderName: string;

  @Column({ name: 'sender_kind', type: 'varchar', length: 16 })
  senderKind: ActorKind;

  @Column({ name: 'target_id', type: 'int' })
  targetId: number;

  @Column({ name: 'conversation_id', type: 'int', nullable: true })
  conversationId: number | null;

  /** Client-chosen id; unique per sender so a resend returns the stored row. */
  @Column({ name: 'local_id', type: 'varchar', length: 64, nullable: true })
  localId: string | null;

  @Column({ name: 'stream_id', type: 'varchar', length: 64, nullable: true })
  streamId: string | null;

  @Column({ type: 'text' })
  text: string;

  /** A human's message to the Butler: the node whose turn answers it; cleared once answered (TurnLedger). */
  @Column({ name: 'turn_node', type: 'varchar', length: 36, nullable: true })
  turnNode: string | null;

  /** A Butler reply: the message it answers. */
  @Column({ name: 'reply_to', type: 'int', nullable: true })
  replyTo: number | null;

  @CreateDateColumn({ name: 'created_at' })
  createdAt: Date;
}
