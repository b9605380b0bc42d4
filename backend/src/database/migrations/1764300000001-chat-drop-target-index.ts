import { MigrationInterface, QueryRunner, TableIndex } from 'typeorm';

/**
 * History reads both directions of a conversation through IDX_chat_messages_pair (sender, target, id);
 * nothing reads (target, sender, id). Every chat insert paid for it: one more randomly placed B-tree page
 * per message, about a quarter of SQLite's write cost per message.
 */
export class ChatDropTargetIndex1764300000001 implements MigrationInterface {
  name = 'ChatDropTargetIndex1764300000001';

  async up(qr: QueryRunner): Promise<void> {
    await qr.dropIndex('chat_messages', 'IDX_chat_messages_target');
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.createIndex(
      'chat_messages',
      new TableIndex({ name: 'IDX_chat_messages_target', columnNames: ['target_id', 'sender_id', 'id'] }),
    );
  }
}
