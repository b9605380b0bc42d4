import { InjectionToken } from '@angular/core';
import type { ClientToServerEvents, ServerToClientEvents } from '@echocenter/contracts';
import { io, type Socket } from 'socket.io-client';
import type { RealtimeSocket, SocketFactory } from './socket-types';

// The only place that imports socket.io-client. Same origin, default path, websocket first.
export const SOCKET_FACTORY = new InjectionToken<SocketFactory>('SOCKET_FACTORY', {
  providedIn: 'root',
  factory: () => (token: string) => {
    const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io({
      path: '/socket.io',
      auth: { token },
      transports: ['websocket', 'polling'],
      // The reconnect rule of both SDKs (docs/protocol.md, "Catching up"): 0.5 s doubling to at most 2 s,
      // randomized, so after any fault ends the console is back within 2 s and caught up within 3 s.
      reconnectionDelay: 500,
      reconnectionDelayMax: 2000,
      randomizationFactor: 0.5,
    });
    return socket as unknown as RealtimeSocket;
  },
});
