import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AgentCredential } from './agent-credential.entity';
import { AgentsController } from './agents.controller';
import { AgentsGateway } from './agents.gateway';
import { AgentsService } from './agents.service';
import { PoliciesModule } from '../policies/policies.module';

@Module({
  imports: [TypeOrmModule.forFeature([AgentCredential]), PoliciesModule],
  controllers: [AgentsController],
  providers: [AgentsService, AgentsGateway],
  // PoliciesModule too: whoever reads agents also asks what their commands may do.
  exports: [AgentsService, PoliciesModule],
})
export class AgentsModule {}
