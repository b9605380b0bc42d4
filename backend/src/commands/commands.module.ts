import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ButlerIdentityModule } from '../butler/butler-identity.module';
import { MonitorModule } from '../butler/monitor/monitor.module';
import { GatewayModule } from '../gateway/gateway.module';
import { PoliciesModule } from '../policies/policies.module';
import { AgentCommand } from './agent-command.entity';
import { CommandClaims } from './command-claims.service';
import { CommandTelemetry } from './command-telemetry.listener';
import { CommandSweeper } from './command-sweeper.service';
import { CommandWaiters } from './command-waiters';
import { CommandsController } from './commands.controller';
import { CommandsGateway } from './commands.gateway';
import { CommandsService } from './commands.service';
import { QueuedCommandCheck } from './queued-command-check';

@Module({
  imports: [
    TypeOrmModule.forFeature([AgentCommand]),
    MonitorModule,
    GatewayModule,
    ButlerIdentityModule,
    PoliciesModule,
  ],
  controllers: [CommandsController],
  providers: [
    CommandsService,
    CommandClaims,
    CommandWaiters,
    CommandSweeper,
    CommandsGateway,
    CommandTelemetry,
    QueuedCommandCheck,
  ],
  exports: [CommandsService],
})
export class CommandsModule {}
