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
      reconnectionDelay: 500,
      reconnectionDelayMax: 5000,
    });
    return socket as unknown as RealtimeSocket;
  },
});
