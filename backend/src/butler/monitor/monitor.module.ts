import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { GatewayModule } from '../../gateway/gateway.module';
import { MonitorController } from './monitor.controller';
import { MonitorEvent } from './monitor-event.entity';
import { MonitorService } from './monitor.service';

/** Separate from ButlerModule so the commands module can record without depending on the Butler. */
@Module({
  imports: [TypeOrmModule.forFeature([MonitorEvent]), GatewayModule],
  controllers: [MonitorController],
  providers: [MonitorService],
  exports: [MonitorService],
})
export class MonitorModule {}
