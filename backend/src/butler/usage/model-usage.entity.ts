import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * What one Butler turn spent on the model: one row per turn that called it, summed over its calls
 * (tool rounds included). Kept when its thread is deleted, so deleting threads never resets a budget.
 */
@Entity('butler_usage')
@Index('IDX_butler_usage_user_day', ['userId', 'day'])
@Index('IDX_butler_usage_conversation', ['conversationId'])
@Index('IDX_butler_usage_day', ['day'])
export class ModelUsage {
  @PrimaryGeneratedColumn()
  id: number;

  /** The operator the turn answered (whose budget it counts against). */
  @Column({ name: 'user_id', type: 'int' })
  userId: number;

  @Column({ name: 'conversation_id', type: 'int', nullable: true })
  conversationId: number | null;

  @Column({ type: 'varchar', length: 200 })
  model: string;

  @Column({ name: 'prompt_tokens', type: 'int' })
  promptTokens: number;

  @Column({ name: 'completion_tokens', type: 'int' })
  completionTokens: number;

  @Column({ name: 'model_calls', type: 'int' })
  modelCalls: number;

  /** The UTC day (YYYY-MM-DD) budgets and the report group by. */
  @Column({ type: 'varchar', length: 10 })
  day: string;

  @CreateDateColumn({ name: 'created_at' })
  createdAt: Date;
}
