import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';
import { idColumn, textColumn, timeColumn } from '../migration-helpers';

/** Out-of-band approvals (backend/src/notifications): channels, the outbox, its delivery log, one-time links. */
export class Notifications1764820000000 implements MigrationInterface {
  name = 'Notifications1764820000000';

  async up(qr: QueryRunner): Promise<void> {
    await qr.createTable(
      new Table({
        name: 'notification_channels',
        columns: [
          idColumn(),
          { name: 'name', type: 'varchar', length: '64' },
          { name: 'kind', type: 'varchar', length: '16' },
          { name: 'enabled', type: 'boolean', default: true },
          { name: 'url', type: 'varchar', length: '2048', isNullable: true },
          textColumn(qr, 'smtp', true),
          textColumn(qr, 'events'),
          textColumn(qr, 'recipients', true),
          textColumn(qr, 'secret', true),
          timeColumn(qr, 'created_at', { defaultNow: true }),
          timeColumn(qr, 'updated_at', { defaultNow: true }),
        ],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'notifications',
        columns: [
          idColumn(),
          { name: 'channel_id', type: 'integer' },
          { name: 'event', type: 'varchar', length: '32' },
          { name: 'approval_id', type: 'integer', isNullable: true },
          { name: 'recipient_id', type: 'integer', isNullable: true },
          { name: 'recipient_address', type: 'varchar', length: '254', isNullable: true },
          { name: 'idempotency_key', type: 'varchar', length: '128' },
          { name: 'status', type: 'varchar', length: '8' },
          { name: 'attempts', type: 'integer', default: 0 },
          timeColumn(qr, 'next_attempt_at'),
          { name: 'claimed_by', type: 'varchar', length: '36', isNullable: true },
          timeColumn(qr, 'claimed_until', { nullable: true }),
          { name: 'last_status_code', type: 'integer', isNullable: true },
          { name: 'last_error', type: 'varchar', length: '500', isNullable: true },
          timeColumn(qr, 'created_at', { defaultNow: true }),
          timeColumn(qr, 'sent_at', { nullable: true }),
        ],
        indices: [
          new TableIndex({ name: 'UQ_notifications_idempotency', columnNames: ['idempotency_key'], isUnique: true }),
          new TableIndex({ name: 'IDX_notifications_due', columnNames: ['status', 'next_attempt_at'] }),
          new TableIndex({ name: 'IDX_notifications_channel', columnNames: ['channel_id', 'id'] }),
        ],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'notification_attempts',
        columns: [
          idColumn(),
          { name: 'notification_id', type: 'integer' },
          { name: 'channel_id', type: 'integer' },
          { name: 'event', type: 'varchar', length: '32' },
          { name: 'attempt', type: 'integer' },
          { name: 'ok', type: 'boolean' },
          { name: 'status_code', type: 'integer', isNullable: true },
          { name: 'error', type: 'varchar', length: '500', isNullable: true },
          { name: 'duration_ms', type: 'integer' },
          { name: 'node_id', type: 'varchar', length: '36' },
          timeColumn(qr, 'created_at', { defaultNow: true }),
        ],
        indices: [new TableIndex({ name: 'IDX_notification_attempts_channel', columnNames: ['channel_id', 'id'] })],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'approval_links',
        columns: [
          idColumn(),
          { name: 'token_hash', type: 'varchar', length: '64' },
          { name: 'approval_id', type: 'integer' },
          { name: 'actor_id', type: 'integer' },
          { name: 'notification_id', type: 'integer', isNullable: true },
          timeColumn(qr, 'expires_at'),
          timeColumn(qr, 'used_at', { nullable: true }),
          { name: 'failures', type: 'integer', default: 0 },
          timeColumn(qr, 'created_at', { defaultNow: true }),
        ],
        indices: [
          new TableIndex({ name: 'UQ_approval_links_token', columnNames: ['token_hash'], isUnique: true }),
          new TableIndex({ name: 'IDX_approval_links_approval', columnNames: ['approval_id'] }),
        ],
      }),
    );
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropTable('approval_links');
    await qr.dropTable('notification_attempts');
    await qr.dropTable('notifications');
    await qr.dropTable('notification_channels');
  }
}
