import { MigrationInterface, QueryRunner, TableColumn, TableIndex } from 'typeorm';
import { isMysql } from '../migration-helpers';

/**
 * A human's message to the Butler names the node answering it (`turn_node`, cleared once answered) and a
 * Butler reply names the message it answers (`reply_to`), so survivors find and answer what a dead node
 * left unanswered. Only unanswered messages keep a turn_node: SQLite indexes just those; MySQL has no
 * partial indexes, and there the NULL entries are one small key per row.
 */
export class ButlerTurnRecovery1764500000000 implements MigrationInterface {
  name = 'ButlerTurnRecovery1764500000000';

  async up(qr: QueryRunner): Promise<void> {
    await qr.addColumns('chat_messages', [
      new TableColumn({ name: 'turn_node', type: 'varchar', length: '36', isNullable: true }),
      new TableColumn({ name: 'reply_to', type: 'integer', isNullable: true }),
    ]);
    await qr.createIndex(
      'chat_messages',
      new TableIndex({
        name: 'IDX_chat_messages_turn_node',
        columnNames: ['turn_node'],
        where: isMysql(qr) ? undefined : 'turn_node IS NOT NULL',
      }),
    );
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropIndex('chat_messages', 'IDX_chat_messages_turn_node');
    await qr.dropColumn('chat_messages', 'reply_to');
    await qr.dropColumn('chat_messages', 'turn_node');
  }
}
