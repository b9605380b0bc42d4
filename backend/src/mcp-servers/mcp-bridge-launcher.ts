import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import type { McpServerDto } from '@echocenter/contracts';
import type { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';

/** The parts of agents/fleet/launcher this needs; loaded at run time, as FleetService does. */
interface LauncherModule {
  launchFleet(options: {
    url: string;
    agents: Array<{ name: string; token: string; env?: Record<string, string> }>;
    log?: (level: 'info' | 'warn' | 'error', message: string, agent?: string) => void;
    cliPath?: string;
    execArgv?: string[];
  }): { stop(): Promise<void>; status(): Array<{ state: McpServerDto['bridge'] }> };
}

export interface BridgeSpec {
  id: number;
  agentId: number;
  name: string;
  token: string;
  /** The MCP_SERVER JSON the bridge reads (agents/mcp-bridge/server-config.ts). */
  server: string;
  /** The card's description (MCP_DESCRIPTION); null: the server's name and version. */
  description: string | null;
}

export interface LauncherSource {
  launcherPath: string;
  /** For tests from source: agents/cli.ts with ['--import', 'tsx']. Default: the launcher's own choice. */
  cliPath?: string;
  execArgv?: string[];
}

/**
 * Runs one bridge process per MCP server through the fleet launcher: its allow-listed environment (never
 * the hub's secrets), crash restarts with backoff, and a stop with the server.
 */
@Injectable()
export class McpBridgeLauncher implements OnApplicationShutdown {
  private readonly logger = new Logger('McpBridges');
  private readonly running = new Map<
    number,
    { stop(): Promise<void>; status(): Array<{ state: McpServerDto['bridge'] }> }
  >();
  private readonly agentOf = new Map<number, number>();
  private launcher: LauncherModule | null = null;
  private source: LauncherSource | null = null;
  private hubUrl = '';

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  /** Called once the hub listens (main.ts; tests pass the agents' source). Returns false when bridges do not run here. */
  enable(
    hubUrl: string,
    source: LauncherSource = {
      launcherPath: join(__dirname, '..', '..', '..', 'agents', 'dist', 'fleet', 'launcher.js'),
    },
  ): boolean {
    if (!this.config.mcpBridges) return false;
    if (!existsSync(source.launcherPath)) {
      this.logger.warn(`MCP bridges not started: ${source.launcherPath} is missing (npm run build:agents)`);
      return false;
    }
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    this.launcher = require(source.launcherPath) as LauncherModule;
    this.source = source;
    this.hubUrl = hubUrl;
    return true;
  }

  get enabled(): boolean {
    return this.launcher !== null;
  }

  start(spec: BridgeSpec): void {
    if (!this.launcher || this.running.has(spec.id)) return;
    const fleet = this.launcher.launchFleet({
      url: this.hubUrl,
      agents: [
        {
          name: 'mcp-bridge',
          token: spec.token,
          env: { MCP_SERVER: spec.server, ...(spec.description && { MCP_DESCRIPTION: spec.description }) },
        },
      ],
      cliPath: this.source?.cliPath,
      execArgv: this.source?.execArgv,
      log: (level, message) => this.logger[level === 'info' ? 'log' : level](`${spec.name}: ${message}`),
    });
    this.running.set(spec.id, fleet);
    this.agentOf.set(spec.id, spec.agentId);
  }

  /** The bridge of an agent that was deleted (its row went with it). */
  async stopAgent(agentId: number): Promise<void> {
    for (const [id, agent] of this.agentOf) if (agent === agentId) await this.stop(id);
  }

  async stop(id: number): Promise<void> {
    const fleet = this.running.get(id);
    this.running.delete(id);
    this.agentOf.delete(id);
    await fleet?.stop();
  }

  state(id: number): McpServerDto['bridge'] {
    return this.running.get(id)?.status()[0]?.state ?? 'stopped';
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all([...this.running.keys()].map((id) => this.stop(id)));
  }
}
