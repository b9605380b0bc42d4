import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';
import { timeColumn } from '../migration-helpers';

/**
 * Commands to an offline agent wait as QUEUED (status is a varchar: no change there); `queued_at` marks a
 * command that waited, so whoever ends it tells its thread (no turn is waiting on it any more).
 */
export class QueuedCommands1764730000000 implements MigrationInterface {
  name = 'QueuedCommands1764730000000';

  async up(qr: QueryRunner): Promise<void> {
    await qr.addColumn('agent_commands', new TableColumn(timeColumn(qr, 'queued_at', { nullable: true })));
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropColumn('agent_commands', 'queued_at');
  }
}
