import { timingSafeEqual } from 'node:crypto';
import type { SmtpSettings } from '@echocenter/contracts';
import type { NotificationChannelRequestDto } from './dto/channel.dto';
import type { NotificationChannel } from './notification-channel.entity';

/**
 * Why an update must bring the channel's secret again, or null. A stored secret belongs to the destination it was
 * entered for: kept across a move, the SMTP password would be sent to the new server in its AUTH exchange, and a
 * Feishu signature (over the timestamp only) could be replayed to the real bot from the new URL. Like the Butler's
 * model key when its origin changes (docs/security.md). A Slack URL is itself the credential and is entered whole.
 */
export function secretNeededAgain(
  current: NotificationChannel,
  body: NotificationChannelRequestDto,
  storedSecret: () => string | null,
): string | null {
  if (current.secret === null) return null;
  switch (body.kind) {
    case 'EMAIL':
      if (!body.smtp || !current.smtp || !smtpMoved(current.smtp, body.smtp) || body.secret !== undefined) return null;
      return 'enter the SMTP password again: the server, port, login or TLS changed';
    case 'FEISHU':
      if (!urlMoved(current, body) || body.secret !== undefined) return null;
      return 'enter the bot secret again (or null to drop it): the URL changed';
    case 'WEBHOOK': {
      if (!urlMoved(current, body) || body.rotateSecret) return null;
      if (typeof body.secret === 'string' && sameText(body.secret, storedSecret())) return null;
      return 'the URL changed: rotate the signing secret, or send the current one';
    }
    case 'SLACK':
      return null;
  }
}

function urlMoved(current: NotificationChannel, body: NotificationChannelRequestDto): boolean {
  return body.url !== undefined && body.url !== null && body.url !== current.url;
}

function smtpMoved(before: SmtpSettings, after: SmtpSettings): boolean {
  return (
    before.host !== after.host ||
    before.port !== after.port ||
    (before.username ?? null) !== (after.username ?? null) ||
    (before.secure && !after.secure) ||
    (!before.allowPlaintext && !!after.allowPlaintext)
  );
}

/** Constant-time: the stored secret is compared, never echoed. */
export function sameText(a: string, b: string | null): boolean {
  if (b === null) return false;
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
