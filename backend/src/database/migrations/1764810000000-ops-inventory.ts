import { MigrationInterface, QueryRunner, Table, TableForeignKey, TableUnique } from 'typeorm';
import { idColumn, textColumn, timeColumn } from '../migration-helpers';

/**
 * The ops inventory (backend/src/ops): SSH keys (private half sealed with the settings key), nodes that
 * use them with a pinned host key, and one row per credential released to an agent (so it happens once).
 */
export class OpsInventory1764810000000 implements MigrationInterface {
  name = 'OpsInventory1764810000000';

  async up(qr: QueryRunner): Promise<void> {
    await qr.createTable(
      new Table({
        name: 'ssh_keys',
        columns: [
          idColumn(),
          { name: 'name', type: 'varchar', length: '64' },
          { name: 'key_type', type: 'varchar', length: '40' },
          textColumn(qr, 'public_key'),
          { name: 'fingerprint', type: 'varchar', length: '80' },
          textColumn(qr, 'sealed_private_key'),
          { name: 'created_by', type: 'integer', isNullable: true },
          { name: 'created_by_name', type: 'varchar', length: '64' },
          timeColumn(qr, 'created_at', { defaultNow: true }),
        ],
        uniques: [new TableUnique({ name: 'UQ_ssh_keys_name', columnNames: ['name'] })],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'ops_nodes',
        columns: [
          idColumn(),
          { name: 'name', type: 'varchar', length: '64' },
          { name: 'host', type: 'varchar', length: '255' },
          { name: 'port', type: 'integer' },
          { name: 'username', type: 'varchar', length: '64' },
          { name: 'key_id', type: 'integer' },
          { name: 'tags', type: 'varchar', length: '400', default: "''" },
          { name: 'description', type: 'varchar', length: '500', isNullable: true },
          { name: 'host_key_fingerprint', type: 'varchar', length: '80', isNullable: true },
          { name: 'host_key_confirmed_by_name', type: 'varchar', length: '64', isNullable: true },
          timeColumn(qr, 'host_key_confirmed_at', { nullable: true }),
          timeColumn(qr, 'created_at', { defaultNow: true }),
        ],
        uniques: [new TableUnique({ name: 'UQ_ops_nodes_name', columnNames: ['name'] })],
        // RESTRICT: the service answers 409 naming the nodes first; the key stays if that check is raced.
        foreignKeys: [
          new TableForeignKey({
            columnNames: ['key_id'],
            referencedTableName: 'ssh_keys',
            referencedColumnNames: ['id'],
            onDelete: 'RESTRICT',
          }),
        ],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'ops_key_releases',
        columns: [
          idColumn(),
          { name: 'command_id', type: 'integer' },
          { name: 'node_id', type: 'integer' },
          { name: 'agent_id', type: 'integer' },
          timeColumn(qr, 'released_at', { defaultNow: true }),
        ],
        // The unique pair is what makes a release happen once, whichever node answers.
        uniques: [
          new TableUnique({ name: 'UQ_ops_key_releases_command_node', columnNames: ['command_id', 'node_id'] }),
        ],
        foreignKeys: [
          new TableForeignKey({
            columnNames: ['command_id'],
            referencedTableName: 'agent_commands',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          }),
          new TableForeignKey({
            columnNames: ['node_id'],
            referencedTableName: 'ops_nodes',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          }),
        ],
      }),
    );
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropTable('ops_key_releases');
    await qr.dropTable('ops_nodes');
    await qr.dropTable('ssh_keys');
  }
}
