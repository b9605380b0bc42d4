import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { PassportModule } from '@nestjs/passport';
import { ThrottlerModule } from '@nestjs/throttler';
import type { Request } from 'express';
import { AccessTokensModule } from '../access-tokens/access-tokens.module';
import { AgentsModule } from '../agents/agents.module';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/config';
import { UsersModule } from '../users/users.module';
import { ActorAuthGuard } from './actor-auth.guard';
import { AuthController } from './auth.controller';
import { AuthService } from './auth.service';
import { JwtStrategy } from './jwt.strategy';
import { RedisThrottlerStorage } from './redis-throttler.storage';

const usernameOf = (req: Request) =>
  String((req.body as { username?: unknown } | undefined)?.username ?? '').toLowerCase();

@Module({
  imports: [
    AccessTokensModule,
    AgentsModule,
    UsersModule,
    PassportModule,
    JwtModule.registerAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({
        secret: config.jwt.secret,
        signOptions: { expiresIn: config.jwt.expiresInSeconds, algorithm: 'HS256' },
      }),
    }),
    // Two independent limits on login: one per client address, one per attacked username.
    ThrottlerModule.forRootAsync({
      inject: [APP_CONFIG],
      // With REDIS_URL the counters live in Redis, so every node counts the same attempts.
      useFactory: async (config: AppConfig) => ({
        storage: config.redisUrl ? await RedisThrottlerStorage.connect(config.redisUrl, config.redisPrefix) : undefined,
        throttlers: [
          {
            name: 'login-ip',
            limit: config.loginThrottle.ipLimit,
            ttl: config.loginThrottle.ttlMs,
            getTracker: (req: Record<string, unknown>) => String(req.ip),
          },
          {
            name: 'login-user',
            limit: config.loginThrottle.userLimit,
            ttl: config.loginThrottle.ttlMs,
            getTracker: (req: Record<string, unknown>) => usernameOf(req as unknown as Request),
          },
        ],
        errorMessage: 'Too many login attempts; wait a minute and try again',
      }),
    }),
  ],
  controllers: [AuthController],
  providers: [AuthService, JwtStrategy, { provide: APP_GUARD, useClass: ActorAuthGuard }],
  exports: [AuthService, JwtModule, JwtStrategy, AccessTokensModule],
})
export class AuthModule {}
