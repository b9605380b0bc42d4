import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ApprovalsModule } from '../approvals/approvals.module';
import { GatewayModule } from '../gateway/gateway.module';
import { ApprovalLinkController } from './approval-link.controller';
import { ApprovalLink } from './approval-link.entity';
import { ApprovalLinks } from './approval-links.service';
import { LinkSignIn } from './link-sign-in';
import { NotificationAttempt } from './notification-attempt.entity';
import { NotificationChannel } from './notification-channel.entity';
import { NotificationChannels } from './notification-channels.service';
import { NotificationOutbox } from './notification-outbox';
import { NotificationSender } from './notification-sender.service';
import { Notification } from './notification.entity';
import { NotificationsController } from './notifications.controller';

/**
 * Out-of-band approvals: channels (webhook, Slack, Feishu, e-mail), the transactional outbox fed by
 * ApprovalTxHooks, the sender, and the one-time decision links (docs/notifications.md).
 */
@Module({
  imports: [
    TypeOrmModule.forFeature([NotificationChannel, Notification, NotificationAttempt, ApprovalLink]),
    ApprovalsModule,
    GatewayModule,
  ],
  controllers: [NotificationsController, ApprovalLinkController],
  providers: [NotificationOutbox, NotificationSender, NotificationChannels, ApprovalLinks, LinkSignIn],
})
export class NotificationsModule {}
