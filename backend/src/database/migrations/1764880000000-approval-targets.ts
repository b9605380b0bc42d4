import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';
import { textColumn } from '../migration-helpers';

/** What an approval covers beyond its text (the ops nodes a `tag:` named when it was requested). */
export class ApprovalTargets1764880000000 implements MigrationInterface {
  name = 'ApprovalTargets1764880000000';

  async up(qr: QueryRunner): Promise<void> {
    await qr.addColumn('approvals', new TableColumn(textColumn(qr, 'targets', true)));
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropColumn('approvals', 'targets');
  }
}
