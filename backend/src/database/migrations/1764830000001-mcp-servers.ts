import { MigrationInterface, QueryRunner, Table, TableForeignKey, TableIndex } from 'typeorm';
import { idColumn, textColumn, timeColumn } from '../migration-helpers';

/** MCP servers bridged as agents (backend/src/mcp-servers); secrets sealed with the settings key. */
export class McpServers1764830000001 implements MigrationInterface {
  name = 'McpServers1764830000001';

  async up(qr: QueryRunner): Promise<void> {
    await qr.createTable(
      new Table({
        name: 'mcp_servers',
        columns: [
          idColumn(),
          { name: 'agent_id', type: 'integer' },
          { name: 'transport', type: 'varchar', length: '8' },
          { name: 'description', type: 'varchar', length: '1000', isNullable: true },
          { name: 'command', type: 'varchar', length: '500', isNullable: true },
          textColumn(qr, 'args', true),
          { name: 'cwd', type: 'varchar', length: '500', isNullable: true },
          { name: 'url', type: 'varchar', length: '2000', isNullable: true },
          textColumn(qr, 'env_names', true),
          textColumn(qr, 'header_names', true),
          textColumn(qr, 'secrets'),
          { name: 'created_by', type: 'integer', isNullable: true },
          timeColumn(qr, 'created_at', { defaultNow: true }),
        ],
        indices: [new TableIndex({ name: 'UQ_mcp_servers_agent', columnNames: ['agent_id'], isUnique: true })],
        foreignKeys: [
          new TableForeignKey({
            columnNames: ['agent_id'],
            referencedTableName: 'actors',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          }),
        ],
      }),
    );
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropTable('mcp_servers');
  }
}
