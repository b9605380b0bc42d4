import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { McpTransport } from '@echocenter/contracts';

/**
 * An MCP server an admin added as an agent. Everything secret (header and environment values, the bridge's
 * agent token) is one AES-GCM sealed JSON (settings crypto), bound to the row's id.
 */
@Entity('mcp_servers')
export class McpServer {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ name: 'agent_id', type: 'int' })
  agentId: number;

  @Column({ type: 'varchar', length: 8 })
  transport: McpTransport;

  /** The admin's description: the card's, instead of the server's name and version. */
  @Column({ type: 'varchar', length: 1000, nullable: true })
  description: string | null;

  @Column({ type: 'varchar', length: 500, nullable: true })
  command: string | null;

  @Column({ type: 'simple-json', nullable: true })
  args: string[] | null;

  @Column({ type: 'varchar', length: 500, nullable: true })
  cwd: string | null;

  @Column({ type: 'varchar', length: 2000, nullable: true })
  url: string | null;

  /** Names only, for the console; the values are in `secrets`. */
  @Column({ name: 'env_names', type: 'simple-json', nullable: true })
  envNames: string[] | null;

  @Column({ name: 'header_names', type: 'simple-json', nullable: true })
  headerNames: string[] | null;

  /** A SealedSecret (JSON) of { env, headers, token }. */
  @Column({ type: 'text' })
  secrets: string;

  @Column({ name: 'created_by', type: 'int', nullable: true })
  createdBy: number | null;

  @CreateDateColumn({ name: 'created_at' })
  createdAt: Date;
}
