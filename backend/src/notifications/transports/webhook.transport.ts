import { createHmac } from 'node:crypto';
import { webhookPayload } from '../notification-message';
import { postJson, type Transport } from './transport';

/**
 * The generic webhook signature (docs/notifications.md): HMAC-SHA256 with the channel's secret over
 * `<unix seconds>.<raw body>`, hex, sent as `X-EchoCenter-Signature: v1=<hex>` beside
 * `X-EchoCenter-Timestamp`, so a receiver can check both the sender and the freshness.
 */
export function signWebhook(secret: string, timestamp: number, body: string): string {
  return 'v1=' + createHmac('sha256', secret).update(`${timestamp}.${body}`, 'utf8').digest('hex');
}

export const sendWebhook: Transport = async ({ channel, secret, message, timeoutMs }) => {
  const body = JSON.stringify(webhookPayload(message));
  const timestamp = Math.floor(message.now.getTime() / 1000);
  const headers: Record<string, string> = {
    'idempotency-key': message.idempotencyKey,
    'x-echocenter-event': message.event,
    'x-echocenter-timestamp': String(timestamp),
  };
  if (secret) headers['x-echocenter-signature'] = signWebhook(secret, timestamp, body);
  return postJson(channel.url!, body, headers, timeoutMs);
};
