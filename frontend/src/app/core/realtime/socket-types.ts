import type { ClientToServerEvents, ServerToClientEvents } from '@echocenter/contracts';

export type ServerEventName = keyof ServerToClientEvents;
export type ServerPayload<E extends ServerEventName> = Parameters<ServerToClientEvents[E]>[0];
export type ClientEventName = keyof ClientToServerEvents;
export type ClientPayload<E extends ClientEventName> = Parameters<ClientToServerEvents[E]>[0];
export type ClientAck<E extends ClientEventName> = Parameters<NonNullable<Parameters<ClientToServerEvents[E]>[1]>>[0];

/** The runtime list of server events (contracts are types only); checked below to cover the whole map. */
export const SERVER_EVENTS = [
  'chat:message',
  'chat:chunk',
  'chat:end',
  'log:new',
  'presence:update',
  'agent:card',
  'approval:requested',
  'approval:updated',
  'approval:expiring',
  'command:run',
  'command:cancel',
  'command:progress',
  'monitor:event',
  'conversation:updated',
  'conversation:removed',
  'policy:review',
  'sync:hint',
  'error',
] as const satisfies readonly ServerEventName[];

type Unlisted = Exclude<ServerEventName, (typeof SERVER_EVENTS)[number]>;
// Fails to compile when contracts gain a server event that is not listed above.
export const SERVER_EVENTS_COMPLETE: [Unlisted] extends [never] ? true : Unlisted = true;

export type ConnectionState = 'connecting' | 'connected' | 'reconnecting' | 'disconnected';

/** The slice of a socket.io-client Socket this app uses; lets specs hand in a fake. */
export interface RealtimeSocket {
  readonly connected: boolean;
  on(event: string, listener: (...args: never[]) => void): unknown;
  readonly io: { on(event: string, listener: (...args: never[]) => void): unknown };
  timeout(ms: number): {
    emit(event: string, payload: unknown, cb: (err: Error | null, res: unknown) => void): unknown;
  };
  connect(): unknown;
  disconnect(): unknown;
  removeAllListeners(): unknown;
}

export type SocketFactory = (token: string) => RealtimeSocket;
