import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';
import { idColumn, textColumn, timeColumn } from '../migration-helpers';

/**
 * Questions the Butler asks agents in words (its ask_agent tool): the deadline lives here so any node can
 * time one out, and one conditional update ASKED → ANSWERED | TIMED_OUT ends it, whichever node sees it.
 */
export class AgentQuestions1764800000000 implements MigrationInterface {
  name = 'AgentQuestions1764800000000';

  async up(qr: QueryRunner): Promise<void> {
    await qr.createTable(
      new Table({
        name: 'agent_questions',
        columns: [
          idColumn(),
          { name: 'agent_id', type: 'integer' },
          { name: 'agent_name', type: 'varchar', length: '64' },
          { name: 'asked_by', type: 'integer' },
          { name: 'conversation_id', type: 'integer', isNullable: true },
          { name: 'token', type: 'varchar', length: '64' },
          { name: 'message_id', type: 'integer', isNullable: true },
          textColumn(qr, 'question'),
          { name: 'status', type: 'varchar', length: '16' },
          textColumn(qr, 'answer', true),
          timeColumn(qr, 'deadline'),
          timeColumn(qr, 'created_at', { defaultNow: true }),
          timeColumn(qr, 'answered_at', { nullable: true }),
        ],
        indices: [
          new TableIndex({ name: 'IDX_agent_questions_token', columnNames: ['token'], isUnique: true }),
          new TableIndex({ name: 'IDX_agent_questions_agent_status', columnNames: ['agent_id', 'status', 'id'] }),
          new TableIndex({ name: 'IDX_agent_questions_status_deadline', columnNames: ['status', 'deadline'] }),
        ],
      }),
    );
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropTable('agent_questions');
  }
}
