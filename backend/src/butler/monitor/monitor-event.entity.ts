import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** One line of the Butler↔agent transcript. */
@Entity('monitor_events')
export class MonitorEvent {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ name: 'agent_id', type: 'int' })
  agentId: number;

  @Column({ type: 'varchar', length: 10 })
  direction: 'TO_AGENT' | 'FROM_AGENT';

  @Column({ name: 'command_id', type: 'int', nullable: true })
  commandId: number | null;

  @Column({ type: 'text' })
  text: string;

  @CreateDateColumn({ name: 'created_at' })
  createdAt: Date;
}
