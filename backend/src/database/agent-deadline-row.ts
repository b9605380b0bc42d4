import { Column, CreateDateColumn, PrimaryGeneratedColumn } from 'typeorm';

/**
 * The columns every row shares that stands for something sent to an agent and waited on until a deadline
 * (a command, a Butler question): each table still declares its own (see its migration); this only keeps
 * the shared columns spelled one way. `S` is the table's status word.
 */
export abstract class AgentDeadlineRow<S extends string> {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ name: 'agent_id', type: 'int' })
  agentId: number;

  @Column({ name: 'agent_name', type: 'varchar', length: 64 })
  agentName: string;

  @Column({ name: 'conversation_id', type: 'int', nullable: true })
  conversationId: number | null;

  /** Open until one conditional update ends the row, so a node that loses the race does nothing. */
  @Column({ type: 'varchar', length: 16 })
  status: S;

  /** Lives in the database so any node can end the row when it passes. */
  @Column({ type: 'datetime' })
  deadline: Date;

  @CreateDateColumn({ name: 'created_at' })
  createdAt: Date;
}
