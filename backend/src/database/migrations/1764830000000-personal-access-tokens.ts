import { MigrationInterface, QueryRunner, Table, TableForeignKey, TableIndex } from 'typeorm';
import { idColumn, timeColumn } from '../migration-helpers';

/** Personal access tokens of humans (backend/src/access-tokens): Bearer on REST and on /mcp. */
export class PersonalAccessTokens1764830000000 implements MigrationInterface {
  name = 'PersonalAccessTokens1764830000000';

  async up(qr: QueryRunner): Promise<void> {
    await qr.createTable(
      new Table({
        name: 'personal_access_tokens',
        columns: [
          idColumn(),
          { name: 'owner_id', type: 'integer' },
          { name: 'name', type: 'varchar', length: '64' },
          { name: 'scope', type: 'varchar', length: '16' },
          { name: 'token_hash', type: 'varchar', length: '64' },
          { name: 'token_hint', type: 'varchar', length: '16' },
          timeColumn(qr, 'created_at', { defaultNow: true }),
          timeColumn(qr, 'last_used_at', { nullable: true }),
          timeColumn(qr, 'expires_at', { nullable: true }),
          timeColumn(qr, 'revoked_at', { nullable: true }),
        ],
        // Every request with a token looks it up by its hash.
        indices: [
          new TableIndex({ name: 'UQ_personal_access_tokens_hash', columnNames: ['token_hash'], isUnique: true }),
          new TableIndex({ name: 'IDX_personal_access_tokens_owner', columnNames: ['owner_id'] }),
        ],
        foreignKeys: [
          new TableForeignKey({
            columnNames: ['owner_id'],
            referencedTableName: 'actors',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          }),
        ],
      }),
    );
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropTable('personal_access_tokens');
  }
}
