import { Module } from '@nestjs/common';
import { AgentsModule } from '../agents/agents.module';
import { FleetService } from './fleet.service';

@Module({ imports: [AgentsModule], providers: [FleetService], exports: [FleetService] })
export class FleetModule {}
