import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { ApprovalScopes } from '../approvals/approval-scopes';
import { splitCommand } from '../commands/command-text';
import type { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import { opsArgumentProblem, opsTarget } from './ops-commands';
import { OpsNodesService } from './ops-nodes.service';

/**
 * An approval of an ops command covers the nodes its target names when it is requested: the approver
 * sees them, and KeyReleaseService releases keys for those nodes only (a node tagged later is not in it).
 * A command whose arguments the Ops-Runner would refuse is refused before anyone is asked to approve it.
 */
@Injectable()
export class OpsApprovalScope implements OnModuleInit {
  constructor(
    private readonly scopes: ApprovalScopes,
    private readonly nodes: OpsNodesService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.scopes.register(
      (agentName, command) => this.nodeNames(agentName, command),
      (agentName, command) => this.problem(agentName, command),
    );
  }

  /** What is wrong with an ops agent's command text (a probe's stray argument, a bad unit name), or null. */
  problem(agentName: string, command: string): string | null {
    if (!this.config.opsAgents.includes(agentName.toLowerCase())) return null;
    const { name, args } = splitCommand(command);
    return opsArgumentProblem(name, args);
  }

  /** The node names an ops agent's command reaches now; null for any other command. */
  async nodeNames(agentName: string, command: string): Promise<string[] | null> {
    if (!this.config.opsAgents.includes(agentName.toLowerCase())) return null;
    const { name, args } = splitCommand(command);
    const target = opsTarget(name, args);
    if (!target) return null;
    return (await this.nodes.resolve(target)).map((n) => n.name);
  }
}
