import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';
import { timeColumn } from '../migration-helpers';

/** Per-node presence, so a node that dies without saying goodbye can be swept by the others. */
export class GatewayPresence1764300000000 implements MigrationInterface {
  name = 'GatewayPresence1764300000000';

  async up(qr: QueryRunner): Promise<void> {
    await qr.createTable(
      new Table({
        name: 'gateway_nodes',
        columns: [
          { name: 'node_id', type: 'varchar', length: '36', isPrimary: true },
          timeColumn(qr, 'started_at'),
          timeColumn(qr, 'heartbeat_at'),
        ],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'actor_presence',
        columns: [
          { name: 'node_id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'actor_id', type: 'integer', isPrimary: true },
          timeColumn(qr, 'since'),
        ],
        indices: [new TableIndex({ name: 'IDX_actor_presence_actor', columnNames: ['actor_id'] })],
      }),
    );
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropTable('actor_presence');
    await qr.dropTable('gateway_nodes');
  }
}
