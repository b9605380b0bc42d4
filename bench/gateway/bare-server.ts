import { createServer } from 'node:http';
import { createClient } from 'redis';
import { createAdapter } from '@socket.io/redis-adapter';
import { Server } from 'socket.io';

/**
 * The yardstick: a bare socket.io@4 server doing the same routing as the hub (rooms per actor, targeted
 * `chat:message`, ack with the message) with no auth lookup, validation or database. Tokens are
 * "bare:<actorId>". Prints "listening <port>" when ready.
 */
async function main(): Promise<void> {
  const http = createServer();
  const io = new Server(http, { serveClient: false });
  if (process.env.REDIS_URL) {
    const pub = createClient({ url: process.env.REDIS_URL });
    const sub = pub.duplicate();
    await Promise.all([pub.connect(), sub.connect()]);
    io.adapter(createAdapter(pub, sub, { key: process.env.REDIS_PREFIX ?? 'bare-bench' }));
  }
  io.use((socket, next) => {
    const id = Number(String(socket.handshake.auth?.token ?? '').split(':')[1]);
    if (!Number.isInteger(id)) return next(new Error('unauthorized'));
    socket.data.id = id;
    next();
  });
  let seq = 0;
  io.on('connection', (socket) => {
    const senderId = socket.data.id as number;
    void socket.join(`actor:${senderId}`);
    socket.on('chat:send', (p: { targetId: number; text: string; localId?: string }, ack?: (r: unknown) => void) => {
      const message = {
        id: ++seq,
        localId: p.localId ?? null,
        senderId,
        targetId: p.targetId,
        text: p.text,
        createdAt: new Date().toISOString(),
      };
      io.to(`actor:${p.targetId}`).emit('chat:message', message);
      ack?.({ ok: true, message });
    });
  });
  http.listen(Number(process.env.PORT ?? 0), process.env.HOST ?? '127.0.0.1', () => {
    process.stdout.write(`listening ${(http.address() as { port: number }).port}\n`);
  });
}

void main();
