import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';

/**
 * Who approved a command (the approval's decider), so its live progress reaches them as well as the
 * requester: an admin approving a member's ops run from the inbox sees its output as it comes.
 */
export class CommandApprovedBy1765050000001 implements MigrationInterface {
  name = 'CommandApprovedBy1765050000001';

  async up(qr: QueryRunner): Promise<void> {
    await qr.addColumn('agent_commands', new TableColumn({ name: 'approved_by', type: 'integer', isNullable: true }));
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropColumn('agent_commands', 'approved_by');
  }
}
