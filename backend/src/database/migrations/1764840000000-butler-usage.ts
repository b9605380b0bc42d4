import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';
import { idColumn, timeColumn } from '../migration-helpers';

/** Model tokens per Butler turn (backend/src/butler/usage): per-thread usage, the admin report, daily budgets. */
export class ButlerUsage1764840000000 implements MigrationInterface {
  name = 'ButlerUsage1764840000000';

  async up(qr: QueryRunner): Promise<void> {
    await qr.createTable(
      new Table({
        name: 'butler_usage',
        columns: [
          idColumn(),
          { name: 'user_id', type: 'integer' },
          { name: 'conversation_id', type: 'integer', isNullable: true },
          { name: 'model', type: 'varchar', length: '200' },
          { name: 'prompt_tokens', type: 'integer' },
          { name: 'completion_tokens', type: 'integer' },
          { name: 'model_calls', type: 'integer' },
          { name: 'day', type: 'varchar', length: '10' },
          timeColumn(qr, 'created_at', { defaultNow: true }),
        ],
        indices: [
          new TableIndex({ name: 'IDX_butler_usage_user_day', columnNames: ['user_id', 'day'] }),
          new TableIndex({ name: 'IDX_butler_usage_conversation', columnNames: ['conversation_id'] }),
          new TableIndex({ name: 'IDX_butler_usage_day', columnNames: ['day'] }),
        ],
      }),
    );
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropTable('butler_usage');
  }
}
