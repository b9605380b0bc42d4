import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';
import { textColumn } from '../migration-helpers';

/**
 * How an approval's command ended, as data (kind + the agent's own words), so a console words it in its
 * reader's language; `result` keeps the English line for older readers. Approvals that already ended take it
 * from their command row.
 */
export class ApprovalOutcome1765000000000 implements MigrationInterface {
  name = 'ApprovalOutcome1765000000000';

  async up(qr: QueryRunner): Promise<void> {
    await qr.addColumn(
      'approvals',
      new TableColumn({ name: 'outcome_kind', type: 'varchar', length: '16', isNullable: true }),
    );
    await qr.addColumn('approvals', new TableColumn(textColumn(qr, 'outcome_detail', true)));
    // Correlated subqueries on another table: the same SQL runs on SQLite and MySQL.
    const ended = "command_id IS NOT NULL AND status IN ('SUCCEEDED', 'FAILED', 'TIMED_OUT')";
    await qr.query(
      `UPDATE approvals SET
         outcome_kind = (SELECT CASE c.status
             WHEN 'SUCCEEDED' THEN CASE WHEN c.result IS NULL OR c.result = '' THEN 'no_output' ELSE 'output' END
             WHEN 'FAILED' THEN 'failed'
             WHEN 'TIMED_OUT' THEN 'timed_out'
             WHEN 'CANCELLED' THEN 'cancelled'
             WHEN 'EXPIRED' THEN 'expired'
           END FROM agent_commands c WHERE c.id = approvals.command_id),
         outcome_detail = (SELECT CASE WHEN c.status IN ('FAILED', 'CANCELLED') THEN c.error END
           FROM agent_commands c WHERE c.id = approvals.command_id)
       WHERE ${ended}`,
    );
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropColumn('approvals', 'outcome_detail');
    await qr.dropColumn('approvals', 'outcome_kind');
  }
}
