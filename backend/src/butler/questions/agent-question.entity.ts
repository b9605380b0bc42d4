import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** ASKED until one conditional update ends it: the agent's answer, or its deadline passing. */
export type QuestionStatus = 'ASKED' | 'ANSWERED' | 'TIMED_OUT';

/** A question the Butler put to an agent in words (ask_agent), waiting for the agent's reply in chat. */
@Entity('agent_questions')
export class AgentQuestion {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ name: 'agent_id', type: 'int' })
  agentId: number;

  @Column({ name: 'agent_name', type: 'varchar', length: 64 })
  agentName: string;

  /** The human the Butler asked for. */
  @Column({ name: 'asked_by', type: 'int' })
  askedBy: number;

  @Column({ name: 'conversation_id', type: 'int', nullable: true })
  conversationId: number | null;

  /**
   * The question message's localId, chosen before it is sent: an answer naming that message (`replyTo`)
   * finds its question even if it arrives before `messageId` is written.
   */
  @Column({ type: 'varchar', length: 64 })
  token: string;

  @Column({ name: 'message_id', type: 'int', nullable: true })
  messageId: number | null;

  @Column({ type: 'text' })
  question: string;

  @Column({ type: 'varchar', length: 16 })
  status: QuestionStatus;

  /** The agent's words: untrusted, handed to the model only as quoted data. */
  @Column({ type: 'text', nullable: true })
  answer: string | null;

  /** Lives in the database so any node can time the question out. */
  @Column({ type: 'datetime' })
  deadline: Date;

  @CreateDateColumn({ name: 'created_at' })
  createdAt: Date;

  @Column({ name: 'answered_at', type: 'datetime', nullable: true })
  answeredAt: Date | null;
}
