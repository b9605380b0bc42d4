import { HttpException, Logger } from '@nestjs/common';
import type { ClientToServerEvents, ErrorCode, FieldError, SocketError } from '@echocenter/contracts';
import { ApiException } from '../common/api-error';
import { DATABASE_UNAVAILABLE, isDatabaseUnavailable } from '../lifecycle/unavailable';
import { endSpan } from '../observability/hub-tracer';
import type { EchoSocket } from './socket-types';

const logger = new Logger('Gateway');

/** Raised by socket-only checks; services keep throwing ApiException, which maps the same way. */
export class SocketException extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: FieldError[],
  ) {
    super(message);
  }
}

/** One mapping from any thrown value to the protocol's error; internals never leave the process. */
export function toSocketError(err: unknown): SocketError {
  if (err instanceof SocketException || err instanceof ApiException) {
    return err.details
      ? { code: err.code, message: err.message, details: err.details }
      : { code: err.code, message: err.message };
  }
  if (err instanceof HttpException && err.getStatus() < 500) {
    return { code: 'VALIDATION_FAILED', message: err.message };
  }
  // An outage is not a bug: say so, so the client retries (same localId) instead of giving up.
  if (isDatabaseUnavailable(err)) return { code: 'UNAVAILABLE', message: DATABASE_UNAVAILABLE };
  logger.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
  return { code: 'INTERNAL_ERROR', message: 'Internal server error' };
}

type AckFn = (res: unknown) => void;

/** What a successful ack of client event `E` carries beside `ok: true`, read off the contract's event map. */
export type AckBody<E extends keyof ClientToServerEvents> = Omit<Extract<AckOf<E>, { ok: true }>, 'ok'>;
type AckOf<E extends keyof ClientToServerEvents> = Parameters<NonNullable<Parameters<ClientToServerEvents[E]>[1]>>[0];

/** Answers a failed event: through its ack when the client passed one, else with an `error` event. */
export function replyError(client: EchoSocket, event: string, ack: unknown, error: SocketError): void {
  if (typeof ack === 'function') (ack as AckFn)({ ok: false, error });
  else client.emit('error', { ...error, event });
}

/**
 * Runs one client event and answers in the protocol's shape: `{ok:true, ...result}` on success, a failed
 * ack or an `error` event otherwise. It never throws, so the socket stays usable after any failure and
 * Nest's own exception path (which would emit `exception`) is never reached. Use it from every
 * @SubscribeMessage handler together with `@Ack()`:
 *
 *   @SubscribeMessage('command:result')
 *   result(@ConnectedSocket() c: EchoSocket, @MessageBody() body: unknown, @Ack() ack: unknown) {
 *     return handleEvent(c, 'command:result', ack, async () => {
 *       requireKinds(c.data.actor, 'AGENT');
 *       await this.commands.result(c.data.actor, parseCommandResult(body));
 *       return {};
 *     });
 *   }
 *
 * The event name must be one of the contract's client events, and `fn` must return that event's ack body
 * (`AckBody<E>`), so an answer that drifts from `contracts/` does not compile.
 */
export async function handleEvent<E extends keyof ClientToServerEvents>(
  client: EchoSocket,
  event: E,
  ack: unknown,
  fn: () => AckBody<E> | Promise<AckBody<E>>,
): Promise<void> {
  const meter = client.data.meter;
  const startedAt = meter?.enabled ? performance.now() : 0;
  const span = meter?.span(event);
  let result: AckBody<E>;
  try {
    result = await fn();
  } catch (err) {
    const error = toSocketError(err);
    replyError(client, event, ack, error);
    meter?.event(event, error.code, startedAt);
    if (span) endSpan(span.setAttribute('socket.outcome', error.code), error.code);
    return;
  }
  if (typeof ack === 'function') (ack as AckFn)({ ok: true, ...result });
  meter?.event(event, 'ok', startedAt);
  if (span) endSpan(span.setAttribute('socket.outcome', 'ok'));
}
