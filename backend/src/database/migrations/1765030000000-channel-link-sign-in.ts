import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';

/**
 * Links that require signing in, per channel (issue 22): a Slack or Feishu room, or a webhook's receiver, is read by
 * many people and one message carries a link for every admin, so their links also ask for the admin's password.
 * Existing shared channels are switched on (the safe side); e-mail, one message per admin, stays off.
 * The link keeps what its channel said when it was sent, so deleting the channel does not unlock its links.
 */
export class ChannelLinkSignIn1765030000000 implements MigrationInterface {
  name = 'ChannelLinkSignIn1765030000000';

  async up(qr: QueryRunner): Promise<void> {
    await qr.addColumn(
      'notification_channels',
      new TableColumn({ name: 'links_require_sign_in', type: 'boolean', default: false }),
    );
    // 1: a boolean in both SQLite and MySQL/MariaDB (TINYINT(1)).
    await qr.query(
      `UPDATE notification_channels SET links_require_sign_in = 1 WHERE kind IN ('WEBHOOK', 'SLACK', 'FEISHU')`,
    );
    await qr.addColumn(
      'approval_links',
      new TableColumn({ name: 'requires_sign_in', type: 'boolean', default: false }),
    );
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropColumn('approval_links', 'requires_sign_in');
    await qr.dropColumn('notification_channels', 'links_require_sign_in');
  }
}
