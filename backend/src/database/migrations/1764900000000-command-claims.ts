import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';

/**
 * Which agent process took a sent command on (`command:claim`): a command whose `command:run` push was lost
 * is handed out again by `command:pending`, and the claim keeps it to one run whatever delivered it.
 */
export class CommandClaims1764900000000 implements MigrationInterface {
  name = 'CommandClaims1764900000000';

  async up(qr: QueryRunner): Promise<void> {
    await qr.addColumn(
      'agent_commands',
      new TableColumn({ name: 'claimed_by', type: 'varchar', length: '64', isNullable: true }),
    );
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropColumn('agent_commands', 'claimed_by');
  }
}
