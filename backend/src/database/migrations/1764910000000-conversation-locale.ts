import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';

/**
 * A Butler thread's language: the one its operator's console last said (chat:send `locale`). What the thread
 * hears later without a console asking (an approval rejected or expired, a queued command's end) is said in it.
 * Existing threads start without one and are guessed from their last message, as before.
 */
export class ConversationLocale1764910000000 implements MigrationInterface {
  name = 'ConversationLocale1764910000000';

  async up(qr: QueryRunner): Promise<void> {
    await qr.addColumn(
      'conversations',
      new TableColumn({ name: 'locale', type: 'varchar', length: '8', isNullable: true }),
    );
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropColumn('conversations', 'locale');
  }
}
