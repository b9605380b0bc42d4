import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';
import { idColumn, textColumn, timeColumn } from '../migration-helpers';

/** Butler threads, durable approvals with their allow-rules, agent commands and the monitor transcript. */
export class ButlerApprovalsCommands1764200000000 implements MigrationInterface {
  name = 'ButlerApprovalsCommands1764200000000';

  async up(qr: QueryRunner): Promise<void> {
    await qr.createTable(
      new Table({
        name: 'conversations',
        columns: [
          idColumn(),
          { name: 'owner_id', type: 'integer' },
          { name: 'title', type: 'varchar', length: '200' },
          { name: 'pinned', type: 'boolean', default: false },
          { name: 'archived', type: 'boolean', default: false },
          // The compacted part of the thread: a summary of every message with id <= summary_upto.
          textColumn(qr, 'summary', true),
          { name: 'summary_upto', type: 'integer', isNullable: true },
          timeColumn(qr, 'created_at', { defaultNow: true }),
          timeColumn(qr, 'updated_at', { defaultNow: true }),
          timeColumn(qr, 'last_message_at', { nullable: true }),
        ],
        indices: [new TableIndex({ name: 'IDX_conversations_owner', columnNames: ['owner_id', 'archived', 'id'] })],
      }),
    );

    await qr.createTable(
      new Table({
        name: 'agent_commands',
        columns: [
          idColumn(),
          { name: 'agent_id', type: 'integer' },
          { name: 'agent_name', type: 'varchar', length: '64' },
          { name: 'requested_by', type: 'integer' },
          { name: 'conversation_id', type: 'integer', isNullable: true },
          { name: 'approval_id', type: 'integer', isNullable: true },
          textColumn(qr, 'command'),
          textColumn(qr, 'args', true),
          { name: 'status', type: 'varchar', length: '16' },
          textColumn(qr, 'result', true),
          textColumn(qr, 'error', true),
          // A result that came after the deadline: kept for the record, the status stays TIMED_OUT.
          textColumn(qr, 'late_result', true),
          timeColumn(qr, 'deadline'),
          timeColumn(qr, 'created_at', { defaultNow: true }),
          timeColumn(qr, 'finished_at', { nullable: true }),
        ],
        indices: [
          new TableIndex({ name: 'IDX_agent_commands_status_deadline', columnNames: ['status', 'deadline'] }),
          new TableIndex({ name: 'IDX_agent_commands_agent', columnNames: ['agent_id', 'id'] }),
        ],
      }),
    );

    await qr.createTable(
      new Table({
        name: 'approvals',
        columns: [
          idColumn(),
          { name: 'conversation_id', type: 'integer', isNullable: true },
          { name: 'requested_by', type: 'integer' },
          { name: 'agent_id', type: 'integer' },
          { name: 'agent_name', type: 'varchar', length: '64' },
          textColumn(qr, 'command'),
          textColumn(qr, 'proposed_command'),
          textColumn(qr, 'executed_command', true),
          textColumn(qr, 'reasoning'),
          { name: 'status', type: 'varchar', length: '16' },
          { name: 'decided_by', type: 'integer', isNullable: true },
          { name: 'decided_by_name', type: 'varchar', length: '64', isNullable: true },
          timeColumn(qr, 'decided_at', { nullable: true }),
          { name: 'decision_channel', type: 'varchar', length: '8', isNullable: true },
          textColumn(qr, 'decision_reason', true),
          { name: 'command_id', type: 'integer', isNullable: true },
          textColumn(qr, 'result', true),
          { name: 'warned', type: 'boolean', default: false },
          timeColumn(qr, 'created_at', { defaultNow: true }),
          timeColumn(qr, 'expires_at'),
        ],
        indices: [
          new TableIndex({ name: 'IDX_approvals_status_expires', columnNames: ['status', 'expires_at'] }),
          new TableIndex({ name: 'IDX_approvals_requester', columnNames: ['requested_by', 'id'] }),
          new TableIndex({ name: 'UQ_approvals_command', columnNames: ['command_id'], isUnique: true }),
        ],
      }),
    );

    await qr.createTable(
      new Table({
        name: 'approval_rules',
        columns: [
          idColumn(),
          { name: 'agent_id', type: 'integer' },
          { name: 'agent_name', type: 'varchar', length: '64' },
          { name: 'command_name', type: 'varchar', length: '128' },
          { name: 'created_by', type: 'integer' },
          timeColumn(qr, 'created_at', { defaultNow: true }),
        ],
        indices: [
          new TableIndex({
            name: 'UQ_approval_rules_agent_command',
            columnNames: ['agent_id', 'command_name'],
            isUnique: true,
          }),
        ],
      }),
    );

    await qr.createTable(
      new Table({
        name: 'monitor_events',
        columns: [
          idColumn(),
          { name: 'agent_id', type: 'integer' },
          { name: 'direction', type: 'varchar', length: '10' },
          { name: 'command_id', type: 'integer', isNullable: true },
          textColumn(qr, 'text'),
          timeColumn(qr, 'created_at', { defaultNow: true }),
        ],
        indices: [new TableIndex({ name: 'IDX_monitor_events_agent', columnNames: ['agent_id', 'id'] })],
      }),
    );
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropTable('monitor_events');
    await qr.dropTable('approval_rules');
    await qr.dropTable('approvals');
    await qr.dropTable('agent_commands');
    await qr.dropTable('conversations');
  }
}
