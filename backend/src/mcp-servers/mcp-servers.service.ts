import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, Repository } from 'typeorm';
import type { Subscription } from 'rxjs';
import type { McpServerDto } from '@echocenter/contracts';
import { AgentsService } from '../agents/agents.service';
import { AuditService } from '../audit/audit.service';
import type { AuthActor } from '../auth/auth-actor';
import { badRequest, conflict, notFound } from '../common/api-error';
import { iso } from '../common/dates';
import { transaction } from '../database/transaction';
import { DomainEventBus } from '../events/domain-event-bus';
import { RealtimeService } from '../gateway/realtime.service';
import type { McpBridgeAction } from '../gateway/socket-types';
import { isSealed, type SealedSecret } from '../settings/settings-crypto';
import { SettingsService } from '../settings/settings.service';
import type { CreateMcpServerDto } from './dto/mcp-server.dto';
import { McpBridgeLauncher } from './mcp-bridge-launcher';
import { McpServer } from './mcp-server.entity';

interface Secrets {
  env: Record<string, string>;
  headers: Record<string, string>;
  token: string;
}

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;
const HEADER_NAME = /^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,128}$/;

/** The AAD of a row's sealed secrets: a copy pasted onto another row fails to open. */
const sealName = (id: number) => `mcp-server:${id}`;

function stringMap(field: string, value: Record<string, unknown> | undefined, name: RegExp): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(value ?? {})) {
    if (!name.test(k))
      throw badRequest(`${field}: "${k.slice(0, 40)}" is not a valid name`, [
        { field, message: `"${k.slice(0, 40)}" is not a valid name` },
      ]);
    if (typeof v !== 'string' || v.length > 4000)
      throw badRequest(`${field}.${k} must be text of at most 4000 characters`, [
        { field: `${field}.${k}`, message: 'must be text of at most 4000 characters' },
      ]);
    out[k] = v;
  }
  return out;
}

const ACTIONS: McpBridgeAction[] = ['start', 'restart', 'stop'];

/**
 * MCP servers bridged as agents (admins): each is an agent of the fleet plus how to reach the server; the
 * bridge process (agents/mcp-bridge) runs on the node with MCP_BRIDGES on. A change taken by any node
 * reaches that node over the `mcp-servers:changed` node channel (the row is the truth; the channel only
 * says which agent to look at). Every change is audited.
 */
@Injectable()
export class McpServersService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('McpServers');
  private deleted: Subscription | null = null;
  private unlisten: (() => void) | null = null;

  constructor(
    private readonly dataSource: DataSource,
    @InjectRepository(McpServer) private readonly servers: Repository<McpServer>,
    private readonly agents: AgentsService,
    private readonly settings: SettingsService,
    private readonly audit: AuditService,
    private readonly launcher: McpBridgeLauncher,
    private readonly events: DomainEventBus,
    private readonly realtime: RealtimeService,
  ) {}

  onModuleInit(): void {
    // An admin who deletes the agent itself (Agents page) ends its server too: the row went with the agent.
    // The domain event stays on the node that deleted it; the bridging node hears it over the node channel.
    this.deleted = this.events.on('agents.credentialsRevoked', 'mcpServers.bridges', ({ agentId, reason }) => {
      if (reason === 'deleted')
        void this.tellBridgingNode(agentId, 'stop').catch((err: Error) => this.logger.error(err.message));
    });
    this.unlisten = this.realtime.onServerSide('mcp-servers:changed', (payload) => {
      const p = payload as { agentId?: unknown; action?: unknown } | null;
      // From another process: only a well-formed request is acted on.
      if (!p || !Number.isSafeInteger(p.agentId) || !ACTIONS.includes(p.action as McpBridgeAction)) return;
      void this.apply(p.agentId as number, p.action as McpBridgeAction).catch((err: Error) =>
        this.logger.error(`MCP bridge of agent #${String(p.agentId)} (${String(p.action)}): ${err.message}`),
      );
    });
  }

  onModuleDestroy(): void {
    this.deleted?.unsubscribe();
    this.unlisten?.();
  }

  async list(): Promise<McpServerDto[]> {
    const rows = await this.servers.find({ order: { id: 'ASC' } });
    const agents = new Map((await this.agents.list()).map((a) => [a.id, a]));
    return rows.map((r) => this.toDto(r, agents.get(r.agentId)?.name ?? '(removed)'));
  }

  async create(admin: AuthActor, dto: CreateMcpServerDto): Promise<McpServerDto> {
    const crypto = this.settings.crypto;
    if (!crypto) throw conflict('Secrets cannot be stored: set SETTINGS_KEY (see docs/configuration.md)');
    if (dto.transport === 'stdio' && !dto.command)
      throw badRequest('command: required for a stdio server', [
        { field: 'command', message: 'required for a stdio server' },
      ]);
    if (dto.transport === 'http' && !dto.url)
      throw badRequest('url: required for an http server', [{ field: 'url', message: 'required for an http server' }]);
    const env = dto.transport === 'stdio' ? stringMap('env', dto.env, ENV_NAME) : {};
    const headers = dto.transport === 'http' ? stringMap('headers', dto.headers, HEADER_NAME) : {};
    // One transaction: the agent, its credential, the server row and its sealed secrets all land, or none
    // does (a failure midway would leave an agent with no server, or a server that can never start).
    const registered = await transaction(this.dataSource, async (em) => {
      const { agent, token } = await this.agents.registerIn(
        em,
        dto.name,
        dto.description ?? `MCP server (${dto.transport})`,
      );
      const row = await em.save(
        em.create(McpServer, {
          agentId: agent.id,
          transport: dto.transport,
          description: dto.description?.trim() || null,
          command: dto.transport === 'stdio' ? dto.command! : null,
          args: dto.transport === 'stdio' ? (dto.args ?? []) : null,
          cwd: dto.transport === 'stdio' ? (dto.cwd ?? null) : null,
          url: dto.transport === 'http' ? dto.url! : null,
          envNames: Object.keys(env),
          headerNames: Object.keys(headers),
          secrets: '{}',
          createdBy: admin.id,
          createdAt: new Date(),
        }),
      );
      // Sealed with the row's id as AAD, so the id must exist first: inside the same transaction.
      const secrets: Secrets = { env, headers, token };
      row.secrets = JSON.stringify(crypto.seal(sealName(row.id), JSON.stringify(secrets)));
      await em.update(McpServer, { id: row.id }, { secrets: row.secrets });
      return { agent, token, row };
    });
    const { agent, row } = registered;
    await this.agents.auditRegistered(admin, registered);
    // Names only: header and environment values are secrets.
    await this.audit.record(admin, {
      action: 'mcp_server.created',
      targetType: 'agent',
      targetId: agent.id,
      targetName: agent.name,
      details: {
        transport: row.transport,
        command: row.command,
        args: row.args,
        url: row.url,
        envNames: row.envNames,
        headerNames: row.headerNames,
      },
    });
    await this.tellBridgingNode(agent.id, 'start');
    return this.toDto(row, agent.name);
  }

  /**
   * Starts the bridge again with a fresh agent token (rotated and sealed here, never shown): after a failure
   * or a token rotation on the Agents page, or to pick up a changed server. Taken by any node; the bridging
   * node restarts it.
   */
  async restart(admin: AuthActor, id: number): Promise<McpServerDto> {
    const row = await this.servers.findOneBy({ id });
    if (!row) throw notFound('MCP server');
    const secrets = this.secretsOf(row);
    const { agent, token } = await this.agents.rotate(row.agentId, admin);
    const next: Secrets = { ...secrets, token };
    await this.servers.update(
      { id },
      { secrets: JSON.stringify(this.settings.crypto!.seal(sealName(id), JSON.stringify(next))) },
    );
    await this.audit.record(admin, {
      action: 'mcp_server.restarted',
      targetType: 'agent',
      targetId: agent.id,
      targetName: agent.name,
    });
    await this.tellBridgingNode(agent.id, 'restart');
    return this.toDto(row, agent.name);
  }

  /** Stops the bridge and removes the agent with it (its commands and logs stay on record). */
  async remove(admin: AuthActor, id: number): Promise<void> {
    const row = await this.servers.findOneBy({ id });
    if (!row) throw notFound('MCP server');
    // Stopped before the agent goes, so the bridge does not retry against a deleted agent meanwhile.
    await this.launcher.stop(row.id);
    await this.tellBridgingNode(row.agentId, 'stop');
    await this.servers.delete({ id });
    await this.agents.remove(row.agentId, admin).catch(() => undefined);
    await this.audit.record(admin, {
      action: 'mcp_server.removed',
      targetType: 'agent',
      targetId: row.agentId,
      targetName: row.command ?? row.url,
    });
  }

  /** Starts every bridge this node runs (after the launcher was enabled). */
  async startAll(): Promise<void> {
    if (!this.launcher.enabled) return;
    const agents = new Map((await this.agents.list()).map((a) => [a.id, a.name]));
    for (const row of await this.servers.find()) {
      try {
        this.launch(row, agents.get(row.agentId) ?? `mcp-${row.id}`, this.secretsOf(row));
      } catch (err) {
        this.logger.error(`MCP server #${row.id} not started: ${(err as Error).message}`);
      }
    }
  }

  /** This node when it runs the bridges (the answer then shows the bridge's state), else the one that does. */
  private async tellBridgingNode(agentId: number, action: McpBridgeAction): Promise<void> {
    if (this.launcher.enabled) await this.apply(agentId, action);
    else this.realtime.serverSideEmit('mcp-servers:changed', { agentId, action });
  }

  /** Only the node whose launcher is enabled does anything. */
  private async apply(agentId: number, action: McpBridgeAction): Promise<void> {
    if (!this.launcher.enabled) return;
    if (action !== 'start') await this.launcher.stopAgent(agentId);
    if (action === 'stop') return;
    const row = await this.servers.findOneBy({ agentId });
    if (!row) return;
    const agent = await this.agents.get(agentId).catch(() => null);
    this.launch(row, agent?.name ?? `mcp-${row.id}`, this.secretsOf(row));
  }

  private secretsOf(row: McpServer): Secrets {
    const sealed = JSON.parse(row.secrets) as SealedSecret;
    if (!isSealed(sealed) || !this.settings.crypto)
      throw new Error('its secrets cannot be opened (SETTINGS_KEY not set)');
    return JSON.parse(this.settings.crypto.open(sealName(row.id), sealed)) as Secrets;
  }

  private launch(row: McpServer, name: string, secrets: Secrets): void {
    const server =
      row.transport === 'stdio'
        ? {
            transport: 'stdio',
            command: row.command,
            args: row.args ?? [],
            ...(row.cwd && { cwd: row.cwd }),
            env: secrets.env,
          }
        : { transport: 'http', url: row.url, headers: secrets.headers };
    this.launcher.start({
      id: row.id,
      agentId: row.agentId,
      name,
      token: secrets.token,
      server: JSON.stringify(server),
      description: row.description,
    });
  }

  private toDto(r: McpServer, name: string): McpServerDto {
    return {
      id: r.id,
      agentId: r.agentId,
      name,
      transport: r.transport,
      command: r.command,
      args: r.args ?? [],
      envNames: r.envNames ?? [],
      url: r.url,
      headerNames: r.headerNames ?? [],
      bridge: this.launcher.state(r.id),
      createdAt: iso(r.createdAt)!,
    };
  }
}
