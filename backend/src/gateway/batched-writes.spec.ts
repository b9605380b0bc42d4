import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo, Socket as NetSocket } from 'node:net';
import { Server, type Socket } from 'socket.io';
import { io, type Socket as ClientSocket } from 'socket.io-client';
import { batchWrites, type EngineConnection } from './batched-writes';

/** Counts the writes that reach the TCP handle (one per `write`/`writev` syscall). */
function countWrites(socket: Socket): () => number {
  const tcp = (socket.conn.transport as unknown as { socket: { _socket: NetSocket } }).socket._socket as NetSocket & {
    _writeGeneric: (...a: unknown[]) => unknown;
  };
  let writes = 0;
  const original = tcp._writeGeneric.bind(tcp);
  tcp._writeGeneric = (...args: unknown[]) => {
    writes++;
    return original(...args);
  };
  return () => writes;
}

describe('batchWrites', () => {
  let http: HttpServer;
  let server: Server;
  let url: string;
  const clients: ClientSocket[] = [];

  async function start(batched: boolean): Promise<void> {
    http = createServer();
    server = new Server(http);
    if (batched) server.engine.on('connection', (conn: unknown) => batchWrites(conn as EngineConnection));
    await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  }

  /** A connected client and its server-side socket. */
  async function connect(
    transports: ('websocket' | 'polling')[] = ['websocket'],
  ): Promise<{ client: ClientSocket; socket: Socket; got: string[] }> {
    const joined = new Promise<Socket>((r) => server.once('connection', r));
    const client = io(url, { transports, forceNew: true, reconnection: false });
    clients.push(client);
    const got: string[] = [];
    client.onAny((event: string, n: number) => got.push(`${event}${n}`));
    const socket = await joined;
    await new Promise<void>((r) => (client.connected ? r() : client.once('connect', () => r())));
    return { client, socket, got };
  }

  const until = async (check: () => boolean) => {
    for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
    expect(check()).toBe(true);
  };

  afterEach(async () => {
    clients.splice(0).forEach((c) => c.disconnect());
    await server.close();
  });

  it('sends what one tick emits to a socket, promise continuations included, as one write, in order', async () => {
    await start(true);
    const { socket, got } = await connect();
    const writes = countWrites(socket);
    socket.emit('a', 1);
    socket.emit('b', 2);
    void Promise.resolve().then(() => socket.emit('c', 3));
    await until(() => got.length === 3);
    expect(got).toEqual(['a1', 'b2', 'c3']);
    expect(writes()).toBe(1);
  });

  it('is what makes the difference: engine.io alone writes each packet behind the first on its own', async () => {
    await start(false);
    const { socket, got } = await connect();
    const writes = countWrites(socket);
    socket.emit('a', 1);
    socket.emit('b', 2);
    socket.emit('c', 3);
    await until(() => got.length === 3);
    expect(writes()).toBe(3);
  });

  it('keeps acks, room broadcasts, long-polling and a disconnect right behind an emit working', async () => {
    await start(true);
    server.on('connection', (s) => s.on('ping?', (n: number, ack: (r: number) => void) => ack(n + 1)));
    const ws = await connect();
    const polling = await connect(['polling']);
    expect(await ws.client.emitWithAck('ping?', 41)).toBe(42);
    expect(await polling.client.emitWithAck('ping?', 1)).toBe(2);

    await Promise.all([ws.socket, polling.socket].map((s) => s.join('room')));
    server.to('room').emit('r', 7);
    await until(() => ws.got.includes('r7') && polling.got.includes('r7'));

    const closed = new Promise<string>((r) => ws.client.once('disconnect', r));
    ws.socket.emit('last', 9);
    ws.socket.disconnect(true);
    expect(await closed).toBe('io server disconnect');
    expect(ws.got).toContain('last9');
  });
});
