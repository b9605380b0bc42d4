import { Module } from '@nestjs/common';
import { PlainWsGateway } from './plain-ws.gateway';

/** `GET /api/ws`: the original EchoCenter envelope over a plain WebSocket, bridged into the Socket.IO hub. */
@Module({ providers: [PlainWsGateway] })
export class PlainWsModule {}
