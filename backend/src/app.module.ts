import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DynamicModule, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { ServeStaticModule } from '@nestjs/serve-static';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ActorsModule } from './actors/actors.module';
import { AgentsModule } from './agents/agents.module';
import { AuditModule } from './audit/audit.module';
import { AuthModule } from './auth/auth.module';
import { BootstrapModule } from './bootstrap/bootstrap.module';
import { ButlerModule } from './butler/butler.module';
import { ChatModule } from './chat/chat.module';
import type { AppConfig } from './config/config';
import { ConfigModule } from './config/config.module';
import { dataSourceOptions } from './database/data-source-options';
import { EventsModule } from './events/events.module';
import { FleetModule } from './fleet/fleet.module';
import { GatewayModule } from './gateway/gateway.module';
import { HealthModule } from './health/health.module';
import { LifecycleModule } from './lifecycle/lifecycle.module';
import { LogsModule } from './logs/logs.module';
import { NotificationsModule } from './notifications/notifications.module';
import { OpsModule } from './ops/ops.module';
import { McpModule } from './mcp/mcp.module';
import { McpServersModule } from './mcp-servers/mcp-servers.module';
import { DbErrorLogger } from './observability/db-error-logger';
import { HubMetrics } from './observability/hub-metrics';
import { ObservabilityModule } from './observability/observability.module';
import { PlainWsModule } from './plain-ws/plain-ws.module';
import { SettingsModule } from './settings/settings.module';
import { UsersModule } from './users/users.module';

@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    const console = existsSync(join(config.frontendDir, 'index.html'))
      ? [
          ServeStaticModule.forRoot({
            rootPath: config.frontendDir,
            exclude: ['/api/{*path}', '/socket.io/{*path}', '/a/{*path}', '/mcp', '/mcp/{*path}'],
          }),
        ]
      : [];
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        // The socket adapter reads the gateways' handlers through it (EchoIoAdapter.routes).
        DiscoveryModule,
        ObservabilityModule,
        EventsModule,
        TypeOrmModule.forRootAsync({
          imports: [ObservabilityModule],
          inject: [HubMetrics],
          // Failed queries are counted by kind (db_errors_total) through TypeORM's logger hook.
          useFactory: (metrics: HubMetrics) => ({
            ...dataSourceOptions(config),
            logger: new DbErrorLogger(metrics),
            autoLoadEntities: true,
            migrationsRun: true,
            migrationsTransactionMode: 'each',
          }),
        }),
        ...console,
        ActorsModule,
        AuthModule,
        AuditModule,
        UsersModule,
        AgentsModule,
        LogsModule,
        SettingsModule,
        GatewayModule,
        PlainWsModule,
        ChatModule,
        ButlerModule,
        NotificationsModule,
        McpModule,
        McpServersModule,
        HealthModule,
        LifecycleModule,
        BootstrapModule,
        FleetModule,
        OpsModule,
      ],
    };
  }
}
