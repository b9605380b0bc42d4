import { Module, UseGuards, type INestApplication } from '@nestjs/common';
import { DiscoveryModule, NestFactory } from '@nestjs/core';
import {
  Ack,
  ConnectedSocket,
  MessageBody,
  OnGatewayDisconnect,
  OnGatewayInit,
  SubscribeMessage,
  WebSocketGateway,
} from '@nestjs/websockets';
import type { Server } from 'socket.io';
import { io, type Socket as ClientSocket } from 'socket.io-client';
import type { AppConfig } from '../config/config';
import { EchoIoAdapter } from './echo-io.adapter';
import { addEventFilter } from './event-filters';

const config = {
  redisUrl: null,
  corsOrigins: [],
  redisPrefix: 'test',
  limits: { payloadBytes: 65536 },
} as unknown as AppConfig;

const seen: { id: string; data: unknown }[] = [];
const gone: string[] = [];

@WebSocketGateway()
class EchoGateway implements OnGatewayInit, OnGatewayDisconnect {
  // Like the packet guard and the drain: one filter refuses some events, one wraps the ack.
  afterInit(server: Server): void {
    addEventFilter(server, (socket, packet) => {
      if (
        (packet[0] === 'echo' || packet[0] === 'unrouted') &&
        !(packet[1] as { blocked?: boolean } | undefined)?.blocked
      )
        return true;
      socket.emit('error', { code: 'FORBIDDEN', message: 'refused', event: String(packet[0]) });
      return false;
    });
    addEventFilter(server, (_socket, packet) => {
      const ack = packet[packet.length - 1] as (r: unknown) => void;
      packet[packet.length - 1] = (r: { data?: unknown }) => ack({ ...r, wrapped: true });
      return true;
    });
  }

  @SubscribeMessage('echo')
  echo(
    @ConnectedSocket() client: { id: string },
    @MessageBody() data: unknown,
    @Ack() ack: (r: unknown) => void,
  ): void {
    seen.push({ id: client.id, data });
    ack({ ok: true, from: client.id, data });
  }

  handleDisconnect(client: { id: string }): void {
    gone.push(client.id);
  }
}

@WebSocketGateway()
class ReversedGateway {
  @SubscribeMessage('reversed')
  reversed(@MessageBody() data: unknown, @ConnectedSocket() client: unknown): unknown {
    return [data, client];
  }
}

@WebSocketGateway()
class GuardedGateway {
  @UseGuards(
    class {
      canActivate(): boolean {
        return true;
      }
    },
  )
  @SubscribeMessage('guarded')
  guarded(@ConnectedSocket() client: unknown, @MessageBody() data: unknown, @Ack() ack: (r: unknown) => void): void {
    ack([client, data]);
  }
}

async function boot(gateway: new () => object): Promise<INestApplication> {
  @Module({ imports: [DiscoveryModule], providers: [gateway] })
  class TestModule {}
  const app = await NestFactory.create(TestModule, { logger: false });
  app.useWebSocketAdapter(new EchoIoAdapter(app, config));
  try {
    await app.listen(0, '127.0.0.1');
  } catch (err) {
    await app.close().catch(() => undefined);
    throw err;
  }
  return app;
}

function connect(app: INestApplication): Promise<ClientSocket> {
  const { port } = app.getHttpServer().address() as { port: number };
  const socket = io(`http://127.0.0.1:${port}`, { transports: ['websocket'], forceNew: true, reconnection: false });
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', reject);
  });
}

describe('EchoIoAdapter', () => {
  it("calls each socket's own gateway method through one shared listener, and each gateway's disconnect hook once", async () => {
    const app = await boot(EchoGateway);
    try {
      const [a, b] = await Promise.all([connect(app), connect(app)]);
      const [ra, rb] = await Promise.all([a.emitWithAck('echo', { n: 1 }), b.emitWithAck('echo', { n: 2 })]);
      expect(ra).toEqual({ ok: true, from: a.id, data: { n: 1 }, wrapped: true });
      expect(rb).toEqual({ ok: true, from: b.id, data: { n: 2 }, wrapped: true });
      expect(seen.map((s) => s.id).sort()).toEqual([a.id, b.id].sort());
      // An event a filter refuses never reaches the gateway; nor does one named "error", which
      // Socket.IO re-emits on the server socket, where unheard it would throw and end the process.
      const refused: unknown[] = [];
      a.on('error', (e: unknown) => refused.push(e));
      await expect(a.timeout(300).emitWithAck('echo', { blocked: true })).rejects.toThrow();
      a.emit('error', { spoofed: true });
      await expect(a.emitWithAck('echo', { n: 3 })).resolves.toMatchObject({ data: { n: 3 } });
      // A name the filters pass but no gateway handles is answered (through the wrapped ack), not left hanging.
      await expect(a.timeout(1000).emitWithAck('unrouted', {})).resolves.toEqual({
        ok: false,
        error: { code: 'UNKNOWN_EVENT', message: 'No handler for "unrouted"' },
        wrapped: true,
      });
      expect(refused).toEqual([
        { code: 'FORBIDDEN', message: 'refused', event: 'echo' },
        { code: 'FORBIDDEN', message: 'refused', event: 'error' },
      ]);
      expect(seen.map((s) => s.data)).toEqual(expect.arrayContaining([{ n: 1 }, { n: 2 }, { n: 3 }]));
      expect(seen).toHaveLength(3);
      const aId = a.id;
      a.disconnect();
      for (let i = 0; i < 100 && !gone.includes(aId!); i++) await new Promise((r) => setTimeout(r, 10));
      expect(gone).toEqual([aId]);
      b.disconnect();
    } finally {
      await app.close();
    }
  });

  it('refuses to start with a handler whose parameters it would pass wrong', async () => {
    await expect(boot(ReversedGateway)).rejects.toThrow(
      'ReversedGateway.reversed must take exactly (@ConnectedSocket(), @MessageBody(), @Ack())',
    );
  });

  it('refuses to start with a handler that relies on a guard it would skip', async () => {
    await expect(boot(GuardedGateway)).rejects.toThrow('GuardedGateway.guarded: socket handlers use no guards');
  });
});
