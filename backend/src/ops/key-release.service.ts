import { timingSafeEqual } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import type { NodeCredentialDto, OpsTargetDto } from '@echocenter/contracts';
import { isUniqueViolation } from '../database/db-errors';
import { storedTargets } from '../approvals/approval.entity';
import { ApprovalsService } from '../approvals/approvals.service';
import { AuditService } from '../audit/audit.service';
import type { AuthActor } from '../auth/auth-actor';
import { ApiException, conflict, forbidden, notFound } from '../common/api-error';
import { CommandsService } from '../commands/commands.service';
import type { AgentCommand } from '../commands/agent-command.entity';
import type { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import { KeyRelease } from './key-release.entity';
import { OPS_RUN, opsArgumentProblem, opsTarget } from './ops-commands';
import type { OpsNode } from './ops-node.entity';
import { OpsNodesService } from './ops-nodes.service';
import { SshKeysService } from './ssh-keys.service';

/**
 * The only way a private key leaves the hub: to an ops agent (OPS_AGENTS) for a RUNNING command of its
 * own that targets the node, asked by the very process that claimed the command (`command:claim`'s
 * instance), a `run` only once approved, the node's host key pinned, once per command and node (a unique
 * row decides, whichever hub node answers). Every release and refusal is audited.
 */
@Injectable()
export class KeyReleaseService {
  private readonly logger = new Logger('Ops');

  constructor(
    @InjectRepository(KeyRelease) private readonly releases: Repository<KeyRelease>,
    private readonly commands: CommandsService,
    private readonly approvals: ApprovalsService,
    private readonly nodes: OpsNodesService,
    private readonly keys: SshKeysService,
    private readonly audit: AuditService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** The nodes a running command of this agent reaches (no keys): the agent's fan-out list. */
  async targets(agent: AuthActor, commandId: number, instance: string | undefined): Promise<OpsTargetDto[]> {
    const { nodes } = await this.runningCommand(agent, commandId, instance);
    return nodes.map((n) => ({ name: n.name, host: n.host, port: n.port }));
  }

  async release(
    agent: AuthActor,
    commandId: number,
    nodeName: string,
    instance: string | undefined,
  ): Promise<NodeCredentialDto> {
    try {
      const { cmd, nodes } = await this.runningCommand(agent, commandId, instance);
      const node = nodes.find((n) => n.name === nodeName.toLowerCase());
      if (!node) throw forbidden(`Command #${commandId} does not target the node "${nodeName}"`);
      if (!node.hostKeyFingerprint)
        throw new ApiException(
          409,
          'HOST_KEY_UNCONFIRMED',
          `${node.name} has no confirmed host key: an admin tests the node and confirms its fingerprint first`,
        );
      const key = await this.keys.open(node.keyId);
      try {
        await this.releases.insert({ commandId: cmd.id, nodeId: node.id, agentId: agent.id });
      } catch (err) {
        if (isUniqueViolation(err))
          throw conflict(`The key for ${node.name} was already released for command #${commandId}`);
        throw err;
      }
      await this.audit.record(agent, {
        action: 'node.key_released',
        targetType: 'node',
        targetId: node.id,
        targetName: node.name,
        details: { commandId: cmd.id, approvalId: cmd.approvalId, command: cmd.command, keyId: node.keyId },
      });
      return {
        node: node.name,
        host: node.host,
        port: node.port,
        username: node.username,
        privateKey: key.privateKey,
        passphrase: key.passphrase,
        hostKeyFingerprint: node.hostKeyFingerprint,
      };
    } catch (err) {
      if (err instanceof ApiException) {
        // A refusal is worth an admin's eye: an agent asked for a key it may not have.
        await this.audit.record(agent, {
          action: 'node.key_refused',
          targetType: 'node',
          targetName: nodeName,
          details: { commandId, reason: err.message },
        });
        this.logger.warn(`refused a node key to ${agent.name}: ${err.message}`);
      }
      throw err;
    }
  }

  private async runningCommand(
    agent: AuthActor,
    commandId: number,
    instance: string | undefined,
  ): Promise<{ cmd: AgentCommand; nodes: OpsNode[] }> {
    if (agent.kind !== 'AGENT' || !this.config.opsAgents.includes(agent.name.toLowerCase())) {
      throw forbidden(`${agent.name} is not an ops agent (OPS_AGENTS)`);
    }
    const cmd = await this.commands.get(commandId);
    // Another agent's command looks like no command at all.
    if (!cmd || cmd.agentId !== agent.id) throw notFound('Command');
    if (cmd.status !== 'RUNNING') throw conflict(`Command #${commandId} is ${cmd.status}, not RUNNING`);
    // Only the process that claimed the command runs it: another one with the same token (a copy of it, or
    // a thief's) gets nothing for it. The instance id is that process's own; the hub never shows it to anyone.
    if (!instance || cmd.claimedBy === null || !sameText(cmd.claimedBy, instance))
      throw forbidden(`Command #${commandId} was not claimed by this process (${OPS_INSTANCE_HEADER})`);
    if (cmd.command === OPS_RUN && cmd.approvalId === null) throw forbidden(`Command #${commandId} was not approved`);
    const target = opsTarget(cmd.command, cmd.args);
    if (!target) throw forbidden(`Command #${commandId} (${cmd.command}) is not an ops command with a target`);
    // Checked here too, not only by the agent: a confirmed probe gets keys without anyone reading it.
    const problem = opsArgumentProblem(cmd.command, cmd.args);
    if (problem) throw forbidden(`Command #${commandId}: ${problem}`);
    return { cmd, nodes: await this.approvedNodes(cmd, target) };
  }

  /**
   * An approved command reaches the nodes its approval showed (resolved when it was requested), never
   * one tagged since; a command without an approval (a read-only probe) reaches what its target names now.
   */
  private async approvedNodes(cmd: AgentCommand, target: string): Promise<OpsNode[]> {
    const live = await this.nodes.resolve(target);
    if (cmd.approvalId === null) return live;
    const approval = await this.approvals.find(cmd.approvalId);
    const covered = approval ? storedTargets(approval) : null;
    // Approved before approvals recorded their nodes (or the row is gone): only a single named node is unambiguous.
    if (covered === null) {
      if (target.startsWith('tag:'))
        throw forbidden(`Command #${cmd.id} was approved without a node list; ask for it again`);
      return live;
    }
    // Names are lower case now; an approval stored before that may hold `Web-1`.
    const names = covered.map((name) => name.toLowerCase());
    return live.filter((n) => names.includes(n.name));
  }
}

/** The header with the claiming process's instance id (`command:claim`), on both of the agent's calls. */
export const OPS_INSTANCE_HEADER = 'x-agent-instance';

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
