import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** "Always allow": a standing approval for one agent and one command name. */
@Entity('approval_rules')
export class AllowRule {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ name: 'agent_id', type: 'int' })
  agentId: number;

  @Column({ name: 'agent_name', type: 'varchar', length: 64 })
  agentName: string;

  @Column({ name: 'command_name', type: 'varchar', length: 128 })
  commandName: string;

  @Column({ name: 'created_by', type: 'int' })
  createdBy: number;

  @CreateDateColumn({ name: 'created_at' })
  createdAt: Date;
}
