import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';
import { idColumn, textColumn, timeColumn } from '../migration-helpers';

/** Runtime settings (key → JSON) and their audit trail (backend/src/settings). */
export class RuntimeSettings1764450000000 implements MigrationInterface {
  name = 'RuntimeSettings1764450000000';

  async up(qr: QueryRunner): Promise<void> {
    await qr.createTable(
      new Table({
        name: 'settings',
        columns: [
          { name: 'name', type: 'varchar', length: '64', isPrimary: true },
          textColumn(qr, 'value'),
          timeColumn(qr, 'updated_at', { defaultNow: true }),
          { name: 'updated_by', type: 'varchar', length: '64', isNullable: true },
        ],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'settings_audit',
        columns: [
          idColumn(),
          { name: 'name', type: 'varchar', length: '64' },
          textColumn(qr, 'old_value', true),
          textColumn(qr, 'new_value', true),
          { name: 'action', type: 'varchar', length: '8' },
          { name: 'actor_id', type: 'integer', isNullable: true },
          { name: 'actor_name', type: 'varchar', length: '64' },
          timeColumn(qr, 'created_at', { defaultNow: true }),
        ],
        indices: [new TableIndex({ name: 'IDX_settings_audit_name_id', columnNames: ['name', 'id'] })],
      }),
    );
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropTable('settings_audit');
    await qr.dropTable('settings');
  }
}
