import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';

/**
 * Which personal access token asked for an approval or a command (null: a console session or the Butler's
 * own thread). After a token leaks, an admin can tell the token's requests from its owner's.
 */
export class RequestedViaToken1765040000000 implements MigrationInterface {
  name = 'RequestedViaToken1765040000000';

  async up(qr: QueryRunner): Promise<void> {
    for (const table of ['approvals', 'agent_commands'])
      await qr.addColumn(table, new TableColumn({ name: 'requested_via_token_id', type: 'int', isNullable: true }));
  }

  async down(qr: QueryRunner): Promise<void> {
    for (const table of ['approvals', 'agent_commands']) await qr.dropColumn(table, 'requested_via_token_id');
  }
}
