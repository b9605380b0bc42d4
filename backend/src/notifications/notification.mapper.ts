import type { NotificationAttemptDto, NotificationChannelDto, NotificationDto } from '@echocenter/contracts';
import { iso } from '../common/dates';
import type { NotificationAttempt } from './notification-attempt.entity';
import type { NotificationChannel } from './notification-channel.entity';
import type { Notification } from './notification.entity';

/**
 * Slack and Feishu webhook URLs carry their credential in the path, and a generic webhook's often a receiver token
 * in its path or query: admins see the origin and the last 4 characters (an edit leaving it as shown keeps it).
 */
export function displayUrl(c: NotificationChannel): string | null {
  if (!c.url) return c.url;
  const u = new URL(c.url);
  return `${u.origin}/…${c.url.slice(-4)}`;
}

export function toChannelDto(c: NotificationChannel): NotificationChannelDto {
  return {
    id: c.id,
    name: c.name,
    kind: c.kind,
    enabled: c.enabled,
    url: displayUrl(c),
    smtp: c.smtp,
    events: c.events,
    recipients: c.recipients,
    hasSecret: c.secret !== null,
    linksRequireSignIn: c.linksRequireSignIn,
    createdAt: iso(c.createdAt)!,
    updatedAt: iso(c.updatedAt)!,
  };
}

export function toNotificationDto(n: Notification): NotificationDto {
  return {
    id: n.id,
    channelId: n.channelId,
    event: n.event,
    approvalId: n.approvalId,
    recipient: n.recipientAddress,
    status: n.status,
    attempts: n.attempts,
    nextAttemptAt: n.status === 'PENDING' ? iso(n.nextAttemptAt) : null,
    lastStatusCode: n.lastStatusCode,
    lastError: n.lastError,
    idempotencyKey: n.idempotencyKey,
    createdAt: iso(n.createdAt)!,
    sentAt: iso(n.sentAt),
  };
}

export function toAttemptDto(a: NotificationAttempt): NotificationAttemptDto {
  return {
    id: a.id,
    notificationId: a.notificationId,
    channelId: a.channelId,
    event: a.event,
    attempt: a.attempt,
    ok: a.ok,
    statusCode: a.statusCode,
    error: a.error,
    durationMs: a.durationMs,
    createdAt: iso(a.createdAt)!,
  };
}
