import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AgentsModule } from '../agents/agents.module';
import { AuthModule } from '../auth/auth.module';
import { LogsModule } from '../logs/logs.module';
import { UsersModule } from '../users/users.module';
import { HubGateway } from './hub.gateway';
import { ActorPresence, GatewayNode } from './presence.entities';
import { PresenceService } from './presence.service';
import { PresenceStore } from './presence.store';
import { RealtimeService } from './realtime.service';
import { SocketAuthService } from './socket-auth.service';
import { SyncHints } from './sync-hints';
import { HandshakeGate } from './handshake-gate';

/** The Socket.IO hub. Global so any feature can push through RealtimeService or ask isOnline. */
@Global()
@Module({
  imports: [TypeOrmModule.forFeature([GatewayNode, ActorPresence]), AuthModule, AgentsModule, LogsModule, UsersModule],
  providers: [RealtimeService, PresenceStore, PresenceService, SocketAuthService, HandshakeGate, SyncHints, HubGateway],
  exports: [RealtimeService, PresenceService, SocketAuthService, HandshakeGate, SyncHints],
})
export class GatewayModule {}
