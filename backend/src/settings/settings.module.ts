import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import { DomainEventBus } from '../events/domain-event-bus';
import { RealtimeService } from '../gateway/realtime.service';
import { SystemLog } from '../logs/system-log.entity';
import { LogRetentionService } from './log-retention.service';
import { SettingsAdminService } from './settings-admin.service';
import { SettingsController } from './settings.controller';
import { SettingAuditRow, SettingRow } from './settings.entities';
import { SettingsService } from './settings.service';

/**
 * Runtime settings. Global so any feature can inject SettingsService. The async factory loads the
 * settings before any dependent is built, so `current()` is never empty.
 */
@Global()
@Module({
  imports: [TypeOrmModule.forFeature([SettingRow, SettingAuditRow, SystemLog])],
  controllers: [SettingsController],
  providers: [
    {
      provide: SettingsService,
      inject: [APP_CONFIG, DataSource, RealtimeService, DomainEventBus],
      useFactory: async (
        config: AppConfig,
        dataSource: DataSource,
        realtime: RealtimeService,
        events: DomainEventBus,
      ) => {
        const service = new SettingsService(config, dataSource, realtime, events);
        await service.init();
        return service;
      },
    },
    SettingsAdminService,
    LogRetentionService,
  ],
  exports: [SettingsService],
})
export class SettingsModule {}
