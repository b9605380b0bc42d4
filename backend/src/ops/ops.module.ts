import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CommandsModule } from '../commands/commands.module';
import { KeyRelease } from './key-release.entity';
import { KeyReleaseService } from './key-release.service';
import { OpsAgentController } from './ops-agent.controller';
import { OpsNode } from './ops-node.entity';
import { OpsNodesController } from './ops-nodes.controller';
import { OpsNodesService } from './ops-nodes.service';
import { SshKey } from './ssh-key.entity';
import { SshKeysController } from './ssh-keys.controller';
import { SshKeysService } from './ssh-keys.service';

/** Ops on real machines: the SSH key vault, the node inventory, and key release to the Ops-Runner. */
@Module({
  imports: [TypeOrmModule.forFeature([SshKey, OpsNode, KeyRelease]), CommandsModule],
  controllers: [SshKeysController, OpsNodesController, OpsAgentController],
  providers: [SshKeysService, OpsNodesService, KeyReleaseService],
  exports: [OpsNodesService],
})
export class OpsModule {}
