import type { SocketErrorEvent } from '@echocenter/contracts';
import type { EchoSocket } from './socket-types';

// setTimeout holds at most 2^31-1 ms (~24.8 days); a longer JWT lifetime is waited out in steps.
const MAX_DELAY_MS = 2 ** 31 - 1;

export const TOKEN_EXPIRED_EVENT: SocketErrorEvent = {
  code: 'TOKEN_EXPIRED',
  message: 'Your session has expired; sign in again',
  event: 'session',
};

/**
 * Closes a human's socket when the JWT it connected with expires: the handshake checked the token once,
 * and a socket must not outlive it. One unref'd timer per human socket (there are few), none for agents.
 */
export class SessionExpiry {
  private readonly timers = new Map<string, NodeJS.Timeout>();

  /** Arms the socket's timer; `expiresAt` is epoch ms. */
  arm(socket: EchoSocket, expiresAt: number): void {
    const delay = expiresAt - Date.now();
    const timer = setTimeout(
      () => (delay > MAX_DELAY_MS ? this.arm(socket, expiresAt) : this.expire(socket)),
      Math.min(Math.max(delay, 0), MAX_DELAY_MS),
    );
    timer.unref();
    this.timers.set(socket.id, timer);
  }

  /** Called on every disconnect. */
  disarm(socket: EchoSocket): void {
    const timer = this.timers.get(socket.id);
    if (timer === undefined) return;
    clearTimeout(timer);
    this.timers.delete(socket.id);
  }

  /** On shutdown. */
  clear(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }

  private expire(socket: EchoSocket): void {
    this.timers.delete(socket.id);
    // Tells the client why, so it goes to the login page instead of reconnecting with a dead token.
    socket.emit('error', TOKEN_EXPIRED_EVENT);
    socket.disconnect(true);
  }
}
