import { DestroyRef, Injectable, inject, signal } from '@angular/core';
import type { SocketError } from '@echocenter/contracts';
import { Observable, Subject } from 'rxjs';
import { AuthService } from '../auth/auth.service';
import { SOCKET_FACTORY } from './socket-factory';
import {
  SERVER_EVENTS,
  type ClientAck,
  type ClientEventName,
  type ClientPayload,
  type ConnectionState,
  type RealtimeSocket,
  type ServerEventName,
  type ServerPayload,
} from './socket-types';

/**
 * One Socket.IO connection for the signed-in session (provided by the shell, so it lives exactly as long
 * as the session view). Each server event is a typed Observable; `resync$` fires after a reconnect, and
 * when the hub says pushes may have been lost on the way (`sync:hint`: another node died, Redis came
 * back), so stores catch up through REST by themselves; they keep each id once.
 */
@Injectable()
export class SocketService {
  private readonly auth = inject(AuthService);
  private readonly factory = inject(SOCKET_FACTORY);
  private readonly subjects = new Map<ServerEventName, Subject<unknown>>();
  private readonly resyncSubject = new Subject<void>();
  private readonly stateSignal = signal<ConnectionState>('disconnected');
  private socket: RealtimeSocket | null = null;
  private everConnected = false;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private readonly refusalSignal = signal<RetryableRefusal | null>(null);

  readonly state = this.stateSignal.asReadonly();
  /** Why the hub refused the last handshake, while it is retried (e.g. TOO_MANY_SOCKETS: too many tabs). */
  readonly refusal = this.refusalSignal.asReadonly();
  readonly resync$ = this.resyncSubject.asObservable();

  readonly chatMessage$ = this.on('chat:message');
  readonly chatChunk$ = this.on('chat:chunk');
  readonly chatEnd$ = this.on('chat:end');
  readonly logNew$ = this.on('log:new');
  readonly presence$ = this.on('presence:update');
  readonly agentCard$ = this.on('agent:card');
  readonly approvalRequested$ = this.on('approval:requested');
  readonly approvalUpdated$ = this.on('approval:updated');
  readonly approvalExpiring$ = this.on('approval:expiring');
  readonly commandProgress$ = this.on('command:progress');
  readonly monitorEvent$ = this.on('monitor:event');
  readonly conversationUpdated$ = this.on('conversation:updated');
  readonly conversationRemoved$ = this.on('conversation:removed');
  readonly policyReview$ = this.on('policy:review');
  readonly error$ = this.on('error');

  constructor() {
    const token = this.auth.token();
    if (token) this.open(token);
    inject(DestroyRef).onDestroy(() => this.close());
  }

  on<E extends ServerEventName>(event: E): Observable<ServerPayload<E>> {
    let subject = this.subjects.get(event);
    if (!subject) {
      subject = new Subject<unknown>();
      this.subjects.set(event, subject);
    }
    return (subject as Subject<ServerPayload<E>>).asObservable();
  }

  /** Emits with an acknowledgement; a timeout or a missing connection becomes an `{ok:false}` ack. */
  request<E extends ClientEventName>(event: E, payload: ClientPayload<E>, timeoutMs = 10_000): Promise<ClientAck<E>> {
    const socket = this.socket;
    if (!socket) return Promise.resolve(failure('UNAVAILABLE', 'Not connected') as ClientAck<E>);
    return new Promise((resolve) => {
      socket.timeout(timeoutMs).emit(event, payload, (err, res) => {
        resolve((err ? failure('TIMEOUT', 'No answer from the server') : res) as ClientAck<E>);
      });
    });
  }

  private open(token: string): void {
    const socket = this.factory(token);
    this.socket = socket;
    this.stateSignal.set('connecting');
    socket.on('connect', () => {
      this.refusalSignal.set(null);
      this.stateSignal.set('connected');
      if (this.everConnected) this.resyncSubject.next();
      this.everConnected = true;
    });
    socket.on('disconnect', (reason: string) => {
      if (reason === 'io client disconnect') {
        this.stateSignal.set('disconnected');
        return;
      }
      this.stateSignal.set('reconnecting');
      // The server hung up on purpose (account changed, signed out everywhere): the client does not retry by
      // itself. The retry's handshake is refused as UNAUTHORIZED when the token is dead, and that signs out.
      if (reason === 'io server disconnect') setTimeout(() => this.socket === socket && socket.connect(), 1000);
    });
    socket.on('connect_error', (err: Error & { data?: { code?: string } }) => {
      if (err?.data?.code === 'UNAUTHORIZED') {
        this.close();
        this.auth.logout('expired');
        return;
      }
      this.stateSignal.set(this.everConnected ? 'reconnecting' : 'connecting');
      // A handshake the hub refused for now is not retried by socket.io itself (the transport was fine).
      const code = err?.data?.code;
      if (code === 'UNAVAILABLE' || code === 'RATE_LIMITED' || code === 'TOO_MANY_SOCKETS') {
        this.refusalSignal.set(code);
        this.retryLater(socket, RETRY_AFTER_MS[code]);
      }
    });
    // The JWT expired under an open socket: the server says so and hangs up; reconnecting cannot help.
    socket.on('error', (err: { code?: string } | undefined) => {
      if (err?.code !== 'TOKEN_EXPIRED') return;
      this.close();
      this.auth.logout('expired');
    });
    socket.io.on('reconnect_attempt', () => this.stateSignal.set('reconnecting'));
    socket.on('sync:hint', () => this.resyncSubject.next());
    for (const event of SERVER_EVENTS) {
      socket.on(event, (payload: never) => this.subjects.get(event)?.next(payload));
    }
  }

  private retryLater(socket: RealtimeSocket, delayMs: number): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      if (this.socket === socket && !socket.connected) socket.connect();
    }, delayMs);
  }

  private close(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    const socket = this.socket;
    this.socket = null;
    if (!socket) return;
    socket.removeAllListeners();
    socket.disconnect();
    this.stateSignal.set('disconnected');
  }
}

type RetryableRefusal = 'UNAVAILABLE' | 'RATE_LIMITED' | 'TOO_MANY_SOCKETS';

/** How long to wait before asking again after each refusal "for now". */
const RETRY_AFTER_MS: Record<RetryableRefusal, number> = {
  UNAVAILABLE: 2000,
  TOO_MANY_SOCKETS: 5000,
  RATE_LIMITED: 15000,
};

function failure(code: SocketError['code'], message: string) {
  return { ok: false as const, error: { code, message } };
}
