import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';

/**
 * A human's token version: every JWT carries the version it was issued under (`tv`), and a token whose
 * version is no longer the account's is refused on REST and at the socket handshake. Bumped by a password
 * change, a role change, disabling and "sign out everywhere". Existing rows start at 0, the version that
 * tokens issued before this column existed (no `tv` claim) count as, so nobody is signed out by the upgrade.
 */
export class ActorTokenVersion1764700000000 implements MigrationInterface {
  name = 'ActorTokenVersion1764700000000';

  async up(qr: QueryRunner): Promise<void> {
    await qr.addColumn(
      'actors',
      new TableColumn({ name: 'token_version', type: 'integer', isNullable: false, default: 0 }),
    );
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropColumn('actors', 'token_version');
  }
}
