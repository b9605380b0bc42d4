import { MigrationInterface, QueryRunner, Table, TableForeignKey, TableIndex } from 'typeorm';
import { idColumn, textColumn, timeColumn } from '../migration-helpers';

export class InitialSchema1764100000000 implements MigrationInterface {
  name = 'InitialSchema1764100000000';

  async up(qr: QueryRunner): Promise<void> {
    await qr.createTable(
      new Table({
        name: 'actors',
        columns: [
          idColumn(),
          { name: 'type', type: 'varchar', length: '16' },
          { name: 'role', type: 'varchar', length: '16', isNullable: true },
          { name: 'name', type: 'varchar', length: '64' },
          { name: 'name_key', type: 'varchar', length: '64' },
          { name: 'password_hash', type: 'varchar', length: '100', isNullable: true },
          { name: 'disabled', type: 'boolean', default: false },
          textColumn(qr, 'description', true),
          { name: 'version', type: 'varchar', length: '64', isNullable: true },
          textColumn(qr, 'commands', true),
          { name: 'online', type: 'boolean', default: false },
          timeColumn(qr, 'last_seen_at', { nullable: true }),
          textColumn(qr, 'last_report', true),
          timeColumn(qr, 'last_report_at', { nullable: true }),
          timeColumn(qr, 'created_at', { defaultNow: true }),
          timeColumn(qr, 'updated_at', { defaultNow: true }),
        ],
        indices: [
          new TableIndex({ name: 'UQ_actors_type_name_key', columnNames: ['type', 'name_key'], isUnique: true }),
          new TableIndex({ name: 'IDX_actors_type_role', columnNames: ['type', 'role'] }),
        ],
      }),
    );

    await qr.createTable(
      new Table({
        name: 'agent_credentials',
        columns: [
          idColumn(),
          { name: 'agent_id', type: 'integer' },
          { name: 'token_hash', type: 'varchar', length: '64' },
          { name: 'token_hint', type: 'varchar', length: '16' },
          timeColumn(qr, 'rotated_at', { nullable: true }),
          timeColumn(qr, 'created_at', { defaultNow: true }),
        ],
        indices: [
          new TableIndex({ name: 'UQ_agent_credentials_agent', columnNames: ['agent_id'], isUnique: true }),
          new TableIndex({ name: 'UQ_agent_credentials_hash', columnNames: ['token_hash'], isUnique: true }),
        ],
        foreignKeys: [
          new TableForeignKey({
            columnNames: ['agent_id'],
            referencedTableName: 'actors',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          }),
        ],
      }),
    );

    await qr.createTable(
      new Table({
        name: 'system_logs',
        columns: [
          idColumn(),
          { name: 'agent_id', type: 'integer', isNullable: true },
          { name: 'agent_name', type: 'varchar', length: '64', isNullable: true },
          { name: 'level', type: 'varchar', length: '8' },
          textColumn(qr, 'content'),
          timeColumn(qr, 'created_at', { defaultNow: true }),
        ],
        indices: [
          new TableIndex({ name: 'IDX_system_logs_agent_id', columnNames: ['agent_id', 'id'] }),
          new TableIndex({ name: 'IDX_system_logs_level_id', columnNames: ['level', 'id'] }),
          new TableIndex({ name: 'IDX_system_logs_created_at', columnNames: ['created_at'] }),
        ],
      }),
    );

    await qr.createTable(
      new Table({
        name: 'chat_messages',
        columns: [
          idColumn(),
          { name: 'sender_id', type: 'integer' },
          { name: 'sender_name', type: 'varchar', length: '64' },
          { name: 'sender_kind', type: 'varchar', length: '16' },
          { name: 'target_id', type: 'integer' },
          { name: 'conversation_id', type: 'integer', isNullable: true },
          { name: 'local_id', type: 'varchar', length: '64', isNullable: true },
          { name: 'stream_id', type: 'varchar', length: '64', isNullable: true },
          textColumn(qr, 'text'),
          timeColumn(qr, 'created_at', { defaultNow: true }),
        ],
        indices: [
          new TableIndex({
            name: 'UQ_chat_messages_sender_local',
            columnNames: ['sender_id', 'local_id'],
            isUnique: true,
          }),
          new TableIndex({ name: 'IDX_chat_messages_pair', columnNames: ['sender_id', 'target_id', 'id'] }),
          new TableIndex({ name: 'IDX_chat_messages_target', columnNames: ['target_id', 'sender_id', 'id'] }),
          new TableIndex({ name: 'IDX_chat_messages_conversation', columnNames: ['conversation_id', 'id'] }),
        ],
      }),
    );
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropTable('chat_messages');
    await qr.dropTable('system_logs');
    await qr.dropTable('agent_credentials');
    await qr.dropTable('actors');
  }
}
