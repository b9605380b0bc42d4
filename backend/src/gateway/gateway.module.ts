import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuthModule } from '../auth/auth.module';
import { HubGateway } from './hub.gateway';
import { ActorPresence, GatewayNode } from './presence.entities';
import { PresenceService } from './presence.service';
import { PresenceStore } from './presence.store';
import { RealtimeService } from './realtime.service';
import { SocketAuthService } from './socket-auth.service';
import { SyncHints } from './sync-hints';
import { HandshakeGate } from './handshake-gate';

/**
 * The Socket.IO hub. Global so any feature can push through RealtimeService or ask isOnline. AuthModule for
 * the JwtService the handshake verifies with; actors come from the global ActorsModule. Features register
 * their own socket handlers, so the hub imports none of them.
 */
@Global()
@Module({
  imports: [TypeOrmModule.forFeature([GatewayNode, ActorPresence]), AuthModule],
  providers: [RealtimeService, PresenceStore, PresenceService, SocketAuthService, HandshakeGate, SyncHints, HubGateway],
  exports: [RealtimeService, PresenceService, SocketAuthService, HandshakeGate, SyncHints],
})
export class GatewayModule {}
