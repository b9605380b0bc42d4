import { MigrationInterface, QueryRunner, TableColumn, TableIndex } from 'typeorm';
import { isMysql, timeColumn } from '../migration-helpers';

/**
 * Scoped allow-rules (issue 19): a rule carries a pattern over the command text, an optional requester,
 * who made it from which approval, an expiry and how often it fired; an approval stores its command's
 * policy. Rules made before this keep what they did: every run of their command name (pattern
 * "<name> …", which only this migration writes) with no expiry, until an admin revokes them.
 * Several rules per agent and command name are now allowed, so the unique index becomes a plain one.
 */
export class ScopedAllowRules1764710000000 implements MigrationInterface {
  name = 'ScopedAllowRules1764710000000';

  async up(qr: QueryRunner): Promise<void> {
    await qr.addColumn(
      'approvals',
      new TableColumn({ name: 'policy', type: 'varchar', length: '16', default: "'NEEDS_APPROVAL'" }),
    );

    await qr.dropIndex('approval_rules', 'UQ_approval_rules_agent_command');
    await qr.addColumns('approval_rules', [
      new TableColumn({ name: 'pattern', type: 'varchar', length: '2000', default: "''" }),
      new TableColumn({ name: 'requester_id', type: 'integer', isNullable: true }),
      new TableColumn({ name: 'requester_name', type: 'varchar', length: '64', isNullable: true }),
      new TableColumn({ name: 'created_by_name', type: 'varchar', length: '64', default: "''" }),
      new TableColumn({ name: 'approval_id', type: 'integer', isNullable: true }),
      new TableColumn(timeColumn(qr, 'expires_at', { nullable: true })),
      new TableColumn({ name: 'hits', type: 'integer', default: 0 }),
      new TableColumn(timeColumn(qr, 'last_used_at', { nullable: true })),
    ]);
    await qr.createIndex(
      'approval_rules',
      new TableIndex({ name: 'IDX_approval_rules_agent_command', columnNames: ['agent_id', 'command_name'] }),
    );

    const legacyPattern = isMysql(qr) ? "CONCAT(command_name, ' …')" : "command_name || ' …'";
    await qr.query(
      `UPDATE approval_rules SET pattern = ${legacyPattern}, created_by_name = COALESCE((SELECT name FROM actors WHERE actors.id = approval_rules.created_by), '') WHERE pattern = ''`,
    );
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropIndex('approval_rules', 'IDX_approval_rules_agent_command');
    // Narrow rules cannot be told apart in the old shape: they go, rather than come back wider.
    await qr.query("DELETE FROM approval_rules WHERE pattern NOT LIKE '% …'");
    await qr.query(
      'DELETE FROM approval_rules WHERE id NOT IN (SELECT id FROM (SELECT MIN(id) AS id FROM approval_rules GROUP BY agent_id, command_name) AS keep)',
    );
    for (const c of [
      'last_used_at',
      'hits',
      'expires_at',
      'approval_id',
      'created_by_name',
      'requester_name',
      'requester_id',
      'pattern',
    ]) {
      await qr.dropColumn('approval_rules', c);
    }
    await qr.createIndex(
      'approval_rules',
      new TableIndex({
        name: 'UQ_approval_rules_agent_command',
        columnNames: ['agent_id', 'command_name'],
        isUnique: true,
      }),
    );
    await qr.dropColumn('approvals', 'policy');
  }
}
