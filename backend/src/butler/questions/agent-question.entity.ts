import { Column, Entity } from 'typeorm';
import { AgentDeadlineRow } from '../../database/agent-deadline-row';

/** ASKED until one conditional update ends it: the agent's answer, or its deadline passing. */
export type QuestionStatus = 'ASKED' | 'ANSWERED' | 'TIMED_OUT';

/** A question the Butler put to an agent in words (ask_agent), waiting for the agent's reply in chat. */
@Entity('agent_questions')
export class AgentQuestion extends AgentDeadlineRow<QuestionStatus> {
  /** The human the Butler asked for. */
  @Column({ name: 'asked_by', type: 'int' })
  askedBy: number;

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

  /** The agent's words: untrusted, handed to the model only as quoted data. */
  @Column({ type: 'text', nullable: true })
  answer: string | null;

  @Column({ name: 'answered_at', type: 'datetime', nullable: true })
  answeredAt: Date | null;
}
