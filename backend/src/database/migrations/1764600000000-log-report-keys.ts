import { MigrationInterface, QueryRunner, TableColumn, TableIndex } from 'typeorm';
import { isMysql } from '../migration-helpers';

/**
 * A log sent with a `localId` is stored with `report_key` = "<reporter id>:<localId>", unique, so a report
 * resent after a lost ack is stored once. Most logs have no key: SQLite indexes only the keyed ones; MySQL
 * has no partial indexes, and there a unique index allows any number of NULLs.
 */
export class LogReportKeys1764600000000 implements MigrationInterface {
  name = 'LogReportKeys1764600000000';

  async up(qr: QueryRunner): Promise<void> {
    await qr.addColumn(
      'system_logs',
      new TableColumn({ name: 'report_key', type: 'varchar', length: '80', isNullable: true }),
    );
    await qr.createIndex(
      'system_logs',
      new TableIndex({
        name: 'UQ_system_logs_report_key',
        columnNames: ['report_key'],
        isUnique: true,
        where: isMysql(qr) ? undefined : 'report_key IS NOT NULL',
      }),
    );
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropIndex('system_logs', 'UQ_system_logs_report_key');
    await qr.dropColumn('system_logs', 'report_key');
  }
}
