import type { ClientToServerEvents, ServerToClientEvents } from '@echocenter/contracts';
import { io, type Socket } from 'socket.io-client';

export type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

const open = new Set<ClientSocket>();

/** A connected Socket.IO client (websocket only, no auto-reconnect unless asked). Rejects with the connect_error. */
export async function connect(
  url: string,
  token: string | undefined,
  opts: { reconnection?: boolean } = {},
): Promise<ClientSocket> {
  const socket: ClientSocket = io(url, {
    auth: token === undefined ? {} : { token },
    transports: ['websocket'],
    reconnection: opts.reconnection ?? false,
    forceNew: true,
  });
  open.add(socket);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', (err) => {
      socket.close();
      reject(err);
    });
  });
  return socket;
}

/** Resolves with the connect_error a refused handshake produces. */
export async function refused(url: string, token: string | undefined): Promise<Error & { data?: unknown }> {
  try {
    const s = await connect(url, token);
    s.close();
  } catch (err) {
    return err as Error & { data?: unknown };
  }
  throw new Error('handshake was accepted');
}

export function closeAll(): void {
  for (const s of open) s.close();
  open.clear();
}

type Listener<E extends keyof ServerToClientEvents> = Parameters<ServerToClientEvents[E]>[0];

/** The next `event` matching `pred`, or a clear failure after `ms`. */
export function waitFor<E extends keyof ServerToClientEvents>(
  socket: ClientSocket,
  event: E,
  pred: (payload: Listener<E>) => boolean = () => true,
  ms = 5000,
): Promise<Listener<E>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.off(event, handler as never);
      reject(new Error(`timed out after ${ms} ms waiting for "${String(event)}"`));
    }, ms);
    const handler = (payload: Listener<E>) => {
      if (!pred(payload)) return;
      clearTimeout(timer);
      socket.off(event, handler as never);
      resolve(payload);
    };
    socket.on(event, handler as never);
  });
}

/** Collects every `event` a socket receives, to assert later that something did NOT arrive. */
export function record<E extends keyof ServerToClientEvents>(socket: ClientSocket, event: E): Listener<E>[] {
  const seen: Listener<E>[] = [];
  socket.on(event, ((p: Listener<E>) => seen.push(p)) as never);
  return seen;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Emits with an ack and a timeout; the untyped form lets tests send malformed payloads. */
export function call(socket: ClientSocket, event: string, ...args: unknown[]): Promise<any> {
  return (
    socket.timeout(5000) as unknown as { emitWithAck(ev: string, ...a: unknown[]): Promise<unknown> }
  ).emitWithAck(event, ...args);
}

/** Emits without an ack (fire and forget). */
export function send(socket: ClientSocket, event: string, ...args: unknown[]): void {
  (socket as unknown as { emit(ev: string, ...a: unknown[]): void }).emit(event, ...args);
}
