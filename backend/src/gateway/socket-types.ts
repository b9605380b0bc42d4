import type { ClientToServerEvents, ServerToClientEvents } from '@echocenter/contracts';
import type { Server, Socket } from 'socket.io';
import type { AuthActor } from '../auth/auth-actor';
import type { SocketMeter } from '../observability/socket-meter';

/** What the handshake middleware stores on every socket; other gateways read `client.data.actor`. */
export interface SocketData {
  actor: AuthActor;
  /** When the human JWT the socket connected with expires (epoch ms); null for agents. */
  expiresAt: number | null;
  /** The human JWT's token version (re-checked once the socket is in its rooms); null for agents. */
  tokenVersion: number | null;
  /** Where handleEvent records the event (set on connection; absent until then). */
  meter?: SocketMeter;
}

/** Node-to-node notifications (RealtimeService.serverSideEmit): one JSON payload per channel. */
export type InterServerEvents = Record<string, (payload: unknown) => void>;

export type EchoServer = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;
export type EchoSocket = Socket<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;

export const HUMANS_ROOM = 'humans';
export const ADMINS_ROOM = 'admins';
export const actorRoom = (actorId: number): string => `actor:${actorId}`;
