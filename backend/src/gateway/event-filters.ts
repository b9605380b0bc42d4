import type { Server } from 'socket.io';
import type { EchoSocket } from './socket-types';

/**
 * A check every incoming event passes before a gateway handles it. `packet` is [event, ...args, ack?];
 * a filter may replace the ack in place. Returning false refuses the event: the filter has answered the
 * client itself (failed ack or `error` event) and no handler runs.
 */
export type EventFilter = (socket: EchoSocket, packet: unknown[]) => boolean;

const filters = new WeakMap<Server, EventFilter[]>();

/**
 * The server's filters, in the order they were added. They take the place of `socket.use()` middleware:
 * EchoIoAdapter calls handlers from Socket.IO's catch-all listener, which runs before socket middleware,
 * and a middleware closure per socket is memory that 19,000 idle agents pay for.
 */
export function eventFilters(server: Server): EventFilter[] {
  let list = filters.get(server);
  if (!list) filters.set(server, (list = []));
  return list;
}

export function addEventFilter(server: Server, filter: EventFilter): void {
  eventFilters(server).push(filter);
}
