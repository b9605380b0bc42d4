import { MigrationInterface, QueryRunner, TableColumn, TableIndex } from 'typeorm';

/**
 * An approval that comes to an end names the node telling its thread (`followup_node`, set by the
 * conditional update that ends it, cleared once the thread has been told), so a survivor tells the
 * thread when that node dies first.
 */
export class ApprovalFollowups1764500000001 implements MigrationInterface {
  name = 'ApprovalFollowups1764500000001';

  async up(qr: QueryRunner): Promise<void> {
    await qr.addColumn(
      'approvals',
      new TableColumn({ name: 'followup_node', type: 'varchar', length: '36', isNullable: true }),
    );
    await qr.createIndex(
      'approvals',
      new TableIndex({ name: 'IDX_approvals_followup_node', columnNames: ['followup_node'] }),
    );
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropIndex('approvals', 'IDX_approvals_followup_node');
    await qr.dropColumn('approvals', 'followup_node');
  }
}
