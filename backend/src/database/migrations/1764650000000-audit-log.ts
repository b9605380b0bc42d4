import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';
import { idColumn, textColumn, timeColumn } from '../migration-helpers';

/** The admin audit trail (backend/src/audit): actions on users, agents, rules and policies. */
export class AuditLog1764650000000 implements MigrationInterface {
  name = 'AuditLog1764650000000';

  async up(qr: QueryRunner): Promise<void> {
    await qr.createTable(
      new Table({
        name: 'audit_log',
        columns: [
          idColumn(),
          { name: 'actor_id', type: 'integer', isNullable: true },
          { name: 'actor_name', type: 'varchar', length: '64' },
          { name: 'action', type: 'varchar', length: '48' },
          { name: 'target_type', type: 'varchar', length: '24' },
          { name: 'target_id', type: 'integer', isNullable: true },
          { name: 'target_name', type: 'varchar', length: '160', isNullable: true },
          textColumn(qr, 'details', true),
          timeColumn(qr, 'created_at', { defaultNow: true }),
        ],
        indices: [new TableIndex({ name: 'IDX_audit_log_target', columnNames: ['target_type', 'target_id'] })],
      }),
    );
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropTable('audit_log');
  }
}
