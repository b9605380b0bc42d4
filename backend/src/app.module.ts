import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DynamicModule, Module, RequestMethod } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { ServeStaticModule } from '@nestjs/serve-static';
import { TypeOrmModule } from '@nestjs/typeorm';
import { LoggerModule } from 'nestjs-pino';
import { ActorsModule } from './actors/actors.module';
import { AgentsModule } from './agents/agents.module';
import { AuthModule } from './auth/auth.module';
import { BootstrapModule } from './bootstrap/bootstrap.module';
import { ButlerModule } from './butler/butler.module';
import { ChatModule } from './chat/chat.module';
import type { AppConfig } from './config/config';
import { ConfigModule } from './config/config.module';
import { dataSourceOptions } from './database/data-source-options';
import { FleetModule } from './fleet/fleet.module';
import { GatewayModule } from './gateway/gateway.module';
import { HealthModule } from './health/health.module';
import { LifecycleModule } from './lifecycle/lifecycle.module';
import { LogsModule } from './logs/logs.module';
import { SettingsModule } from './settings/settings.module';
import { UsersModule } from './users/users.module';

@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    const console = existsSync(join(config.frontendDir, 'index.html'))
      ? [ServeStaticModule.forRoot({ rootPath: config.frontendDir, exclude: ['/api/{*path}', '/socket.io/{*path}'] })]
      : [];
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        // The socket adapter reads the gateways' handlers through it (EchoIoAdapter.routes).
        DiscoveryModule,
        LoggerModule.forRoot({
          // nestjs-pino's default '*' is the old path syntax that Nest 11 warns about and converts at every start.
          forRoutes: [{ path: '{*path}', method: RequestMethod.ALL }],
          pinoHttp: {
            level: config.logLevel,
            transport: config.logPretty ? { target: 'pino-pretty', options: { singleLine: true, translateTime: 'SYS:HH:MM:ss.l' } } : undefined,
            redact: ['req.headers.authorization', 'req.headers.cookie', 'req.body.password', 'req.body.token'],
            autoLogging: { ignore: (req) => req.url === '/api/health' },
            // One readable line per request; headers stay out of the logs (they carry tokens).
            serializers: {
              req: (req: { id: unknown; method: string; url: string }) => ({ id: req.id, method: req.method, url: req.url }),
              res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
            },
          },
        }),
        TypeOrmModule.forRoot({ ...dataSourceOptions(config), autoLoadEntities: true, migrationsRun: true, migrationsTransactionMode: 'each' }),
        ...console,
        ActorsModule,
        AuthModule,
        UsersModule,
        AgentsModule,
        LogsModule,
        SettingsModule,
        GatewayModule,
        ChatModule,
        ButlerModule,
        HealthModule,
        LifecycleModule,
        BootstrapModule,
        FleetModule,
      ],
    };
  }
}
