import type { NotificationChannel } from '../notification-channel.entity';
import type { NotificationMessage } from '../notification-message';

export interface DeliveryResult {
  ok: boolean;
  /** HTTP status or SMTP reply code; null when no answer came (refused, timed out). */
  statusCode: number | null;
  /** Short and secret-free (never the URL, which may carry a token, nor the body). */
  error: string | null;
  /** No later try can succeed (the channel is gone or disabled, the approval deleted): a dead letter at once. */
  final?: boolean;
}

export interface Delivery {
  channel: NotificationChannel;
  /** The channel's secret, opened for this send only (null when none is stored). */
  secret: string | null;
  message: NotificationMessage;
  /** E-mail: the one address this row is for. */
  to: string | null;
  timeoutMs: number;
}

export type Transport = (d: Delivery) => Promise<DeliveryResult>;

/** POSTs JSON; any 2xx is delivered. The answer's body is read (at most 2 KiB) only to let `check` look at it. */
export async function postJson(
  url: string,
  body: string,
  headers: Record<string, string>,
  timeoutMs: number,
  check?: (text: string) => string | null,
): Promise<DeliveryResult> {
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json; charset=utf-8',
        'user-agent': 'EchoCenter-Notifications/1',
        ...headers,
      },
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = (await res.text()).slice(0, 2048);
    if (res.status < 200 || res.status >= 300)
      return { ok: false, statusCode: res.status, error: `HTTP ${res.status}` };
    const problem = check?.(text) ?? null;
    return { ok: problem === null, statusCode: res.status, error: problem };
  } catch (err) {
    const e = err as Error & { cause?: { code?: string } };
    const why = e.name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : (e.cause?.code ?? e.name);
    return { ok: false, statusCode: null, error: why };
  }
}
