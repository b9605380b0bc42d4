import { Module } from '@nestjs/common';
import { AgentsModule } from '../agents/agents.module';
import { OpsModule } from '../ops/ops.module';
import { FleetService } from './fleet.service';

@Module({ imports: [AgentsModule, OpsModule], providers: [FleetService], exports: [FleetService] })
export class FleetModule {}
