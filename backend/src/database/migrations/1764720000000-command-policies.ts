import { MigrationInterface, QueryRunner, Table, TableForeignKey, TableUnique } from 'typeorm';
import { idColumn, timeColumn } from '../migration-helpers';

/** What the hub decided per agent and command (backend/src/policies): read-only confirmed, destructive. */
export class CommandPolicies1764720000000 implements MigrationInterface {
  name = 'CommandPolicies1764720000000';

  async up(qr: QueryRunner): Promise<void> {
    await qr.createTable(
      new Table({
        name: 'command_policies',
        columns: [
          idColumn(),
          { name: 'agent_id', type: 'integer' },
          { name: 'command', type: 'varchar', length: '64' },
          { name: 'read_only', type: 'boolean', default: false },
          { name: 'confirmed_args', type: 'varchar', length: '200', isNullable: true },
          { name: 'destructive', type: 'boolean', default: false },
          { name: 'needs_review', type: 'boolean', default: false },
          { name: 'review_reason', type: 'varchar', length: '300', isNullable: true },
          { name: 'decided_by', type: 'integer', isNullable: true },
          { name: 'decided_by_name', type: 'varchar', length: '64', isNullable: true },
          timeColumn(qr, 'decided_at', { nullable: true }),
          timeColumn(qr, 'created_at', { defaultNow: true }),
          timeColumn(qr, 'updated_at', { defaultNow: true }),
        ],
        // The unique index also serves every lookup: by agent, and by agent and command.
        uniques: [new TableUnique({ name: 'UQ_command_policies_agent_command', columnNames: ['agent_id', 'command'] })],
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
    await qr.dropTable('command_policies');
  }
}
