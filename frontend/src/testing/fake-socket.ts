import type { Provider } from '@angular/core';
import { SOCKET_FACTORY } from '../app/core/realtime/socket-factory';
import type { RealtimeSocket, ServerEventName, ServerPayload } from '../app/core/realtime/socket-types';

type Listener = (...args: unknown[]) => void;

export interface Emitted {
  event: string;
  payload: unknown;
  timeoutMs: number;
}

/** Stands in for a socket.io-client Socket: specs play the server through `serverEmit` and `ackWith`. */
export class FakeSocket implements RealtimeSocket {
  connected = false;
  disconnected = 0;
  readonly token: string;
  readonly emitted: Emitted[] = [];
  private readonly listeners = new Map<string, Listener[]>();
  private readonly managerListeners = new Map<string, Listener[]>();
  /** How the fake server answers an emit; `undefined` means it never answers (timeout). */
  ack: (event: string, payload: unknown) => unknown = () => ({ ok: true });
  readonly io = {
    on: (event: string, listener: (...args: never[]) => void) =>
      add(this.managerListeners, event, listener as Listener),
  };

  constructor(token: string) {
    this.token = token;
  }

  on(event: string, listener: (...args: never[]) => void): this {
    add(this.listeners, event, listener as Listener);
    return this;
  }

  timeout(timeoutMs: number) {
    return {
      emit: (event: string, payload: unknown, cb: (err: Error | null, res: unknown) => void) => {
        this.emitted.push({ event, payload, timeoutMs });
        const res = this.ack(event, payload);
        queueMicrotask(() => (res === undefined ? cb(new Error('operation has timed out'), undefined) : cb(null, res)));
      },
    };
  }

  connect(): this {
    return this;
  }

  disconnect(): this {
    this.disconnected++;
    this.connected = false;
    return this;
  }

  removeAllListeners(): this {
    this.listeners.clear();
    return this;
  }

  /** Simulates the server pushing an event. */
  serverEmit<E extends ServerEventName>(event: E, payload: ServerPayload<E>): void {
    this.fire(event, payload);
  }

  fire(event: string, ...args: unknown[]): void {
    if (event === 'connect') this.connected = true;
    if (event === 'disconnect') this.connected = false;
    for (const l of this.listeners.get(event) ?? []) l(...args);
  }

  fireManager(event: string, ...args: unknown[]): void {
    for (const l of this.managerListeners.get(event) ?? []) l(...args);
  }
}

/** Provides a factory that records every socket it makes; `sockets.at(-1)` is the live one. */
export function provideFakeSocket(): { providers: Provider[]; sockets: FakeSocket[] } {
  const sockets: FakeSocket[] = [];
  return {
    sockets,
    providers: [
      {
        provide: SOCKET_FACTORY,
        useValue: (token: string) => {
          const s = new FakeSocket(token);
          sockets.push(s);
          return s;
        },
      },
    ],
  };
}

function add(map: Map<string, Listener[]>, event: string, l: Listener): void {
  map.set(event, [...(map.get(event) ?? []), l]);
}
