import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ApprovalsModule } from '../approvals/approvals.module';
import { CommandsModule } from '../commands/commands.module';
import { KeyRelease } from './key-release.entity';
import { KeyReleaseService } from './key-release.service';
import { OpsApprovalScope } from './ops-approval-scope';
import { OpsAgentController } from './ops-agent.controller';
import { OpsNode } from './ops-node.entity';
import { OpsNodesController } from './ops-nodes.controller';
import { OpsNodesService } from './ops-nodes.service';
import { SshKey } from './ssh-key.entity';
import { SshKeysController } from './ssh-keys.controller';
import { SshKeysService } from './ssh-keys.service';

/** Ops on real machines: the SSH key vault, the node inventory, and key release to the Ops-Runner. */
@Module({
  imports: [TypeOrmModule.forFeature([SshKey, OpsNode, KeyRelease]), ApprovalsModule, CommandsModule],
  controllers: [SshKeysController, OpsNodesController, OpsAgentController],
  providers: [SshKeysService, OpsNodesService, KeyReleaseService, OpsApprovalScope],
  exports: [OpsNodesService],
})
export class OpsModule {}
