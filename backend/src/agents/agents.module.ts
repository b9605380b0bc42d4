import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AgentCredential } from './agent-credential.entity';
import { AgentEvents } from './agent-events';
import { AgentsController } from './agents.controller';
import { AgentsService } from './agents.service';

@Module({
  imports: [TypeOrmModule.forFeature([AgentCredential])],
  controllers: [AgentsController],
  providers: [AgentsService, AgentEvents],
  exports: [AgentsService, AgentEvents],
})
export class AgentsModule {}
