import { CreateDateColumn, Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A node credential handed to the agent running a command; unique per (command, node): once. */
@Entity('ops_key_releases')
export class KeyRelease {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ name: 'command_id', type: 'int' })
  commandId: number;

  @Column({ name: 'node_id', type: 'int' })
  nodeId: number;

  @Column({ name: 'agent_id', type: 'int' })
  agentId: number;

  @CreateDateColumn({ name: 'released_at' })
  releasedAt: Date;
}
