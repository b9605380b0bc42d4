import type { Socket as NetSocket } from 'node:net';

/** The part of an engine.io socket this touches (its `flush` is private in engine.io's typings). */
export interface EngineConnection {
  flush(): void;
  transport: { name: string; socket?: { _socket?: NetSocket | null } };
}

/**
 * Engine.io hands a socket's first packet to the transport the moment it is emitted; packets emitted
 * right behind it wait for that write's callback, then leave as one `ws.send` (one `writev`) each. A Butler
 * reply's last piece, `chat:message` and `chat:end` thus took three syscalls (~0.3 ms each on a VM) and
 * woke the operator up to three times. Here a flush waits for the end of the current tick (the microtask
 * burst included) and the websocket's TCP socket is corked while the batch is handed over, so whatever one
 * tick emits to a socket leaves as one write. Nothing waits for I/O: the delay is the rest of the tick.
 */
export function batchWrites(conn: EngineConnection): void {
  const flushNow = conn.flush.bind(conn);
  let queued = false;
  const run = () => {
    queued = false;
    // ws keeps its TCP socket as `_socket`; other transports (HTTP long-polling) write one response anyway.
    const tcp = conn.transport.name === 'websocket' ? conn.transport.socket?._socket : null;
    tcp?.cork();
    try {
      flushNow();
    } finally {
      tcp?.uncork();
    }
  };
  conn.flush = () => {
    if (queued) return;
    queued = true;
    process.nextTick(run);
  };
}
