import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import type { Subscription } from 'rxjs';
import { ActorsService } from '../actors/actors.service';
import { PoliciesService } from '../policies/policies.service';
import { AgentsService } from '../agents/agents.service';
import type { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import { DomainEventBus } from '../events/domain-event-bus';
import { OpsNodesService } from '../ops/ops-nodes.service';
import { FleetTokenFile } from './fleet-tokens';
import { findPythonAgent } from './python-agent';

/** The parts of agents/fleet/launcher we use; loaded at run time from the agents build. */
interface LauncherModule {
  FLEET_AGENTS: readonly string[];
  FLEET_DESCRIPTIONS: Record<string, string>;
  /** Each program's read-only commands and their args, as its card claims them (older builds: absent). */
  FLEET_READ_ONLY?: Record<string, Record<string, string | null>>;
  /** Programs whose read-only claims wait for an admin (they reach real machines). */
  FLEET_ADMIN_CONFIRMS?: readonly string[];
  /** The allow-listed environment of a fleet child (agents/fleet/child-env.ts): never the hub's secrets. */
  agentEnvironment(name: string, source: NodeJS.ProcessEnv): Record<string, string>;
  launchFleet(options: {
    url: string;
    agents: Array<{ name: string; token: string; env?: Record<string, string> }>;
    log?: (level: 'info' | 'warn' | 'error', message: string, agent?: string) => void;
  }): { stop(): Promise<void> };
}

const SYSTEM_MONITOR = 'system-monitor';
/** The fleet registers and rotates on its own; the audit trail names it as the (system) actor. */
const FLEET_ACTOR = { id: null, name: 'demo fleet' } as const;

type Catalog = Pick<LauncherModule, 'FLEET_AGENTS' | 'FLEET_DESCRIPTIONS' | 'FLEET_READ_ONLY' | 'FLEET_ADMIN_CONFIRMS'>;

const OPS_RUNNER = 'ops-runner';

function withSystemMonitor(c: Catalog) {
  return {
    ...c,
    FLEET_AGENTS: [...c.FLEET_AGENTS, SYSTEM_MONITOR],
    FLEET_DESCRIPTIONS: {
      ...c.FLEET_DESCRIPTIONS,
      [SYSTEM_MONITOR]: 'Python agent: load, memory and disk of the host it runs on.',
    },
    // As agents/python/system_monitor.py declares them.
    FLEET_READ_ONLY: {
      ...c.FLEET_READ_ONLY,
      [SYSTEM_MONITOR]: { get_status: '[json]', top: '[count 1-50] [cpu|mem]' },
    },
  };
}

/** The catalog without the Ops-Runner unless the inventory has a node: without one it has nothing to reach. */
export function opsRunnerOnlyWithNodes<C extends Catalog>(catalog: C, hasNodes: boolean): C {
  return hasNodes ? catalog : { ...catalog, FLEET_AGENTS: catalog.FLEET_AGENTS.filter((p) => p !== OPS_RUNNER) };
}

/** "code-reviewer-ai" → "Code-Reviewer-AI": the name operators see. */
export function displayName(program: string): string {
  return program
    .split('-')
    .map((w) => (w === 'ai' ? 'AI' : w.charAt(0).toUpperCase() + w.slice(1)))
    .join('-');
}

/**
 * Dev-mode convenience for `npm start`: registers the demo agents if missing and runs them as child
 * processes of this server (restarted on crash, stopped with it). Off in production or with FLEET=off.
 */
@Injectable()
export class FleetService implements OnApplicationShutdown {
  private readonly logger = new Logger('Fleet');
  private fleets: Array<{ stop(): Promise<void> }> = [];
  private nodeAdded: Subscription | null = null;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly agents: AgentsService,
    private readonly actors: ActorsService,
    private readonly policies: PoliciesService,
    private readonly opsNodes: OpsNodesService,
    private readonly events: DomainEventBus,
  ) {}

  async start(
    hubUrl: string,
    launcherPath = join(__dirname, '..', '..', '..', 'agents', 'dist', 'fleet', 'launcher.js'),
  ): Promise<void> {
    if (!this.config.fleet) return;
    if (!existsSync(launcherPath)) {
      this.logger.warn(`demo fleet not started: ${launcherPath} is missing (npm run build:agents)`);
      return;
    }
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const launcher = require(launcherPath) as LauncherModule;
    const python = findPythonAgent(
      join(launcherPath, '..', '..', '..', '..'),
      launcher.agentEnvironment(SYSTEM_MONITOR, process.env),
    );
    if ('reason' in python) this.logger.log(`System-Monitor (Python) skipped: ${python.reason}`);
    const full = 'reason' in python ? launcher : withSystemMonitor(launcher);
    // The Ops-Runner has nothing to do without nodes: it joins when the inventory gets its first one.
    const withOps = (await this.opsNodes.count()) > 0;
    const catalog = opsRunnerOnlyWithNodes(full, withOps);
    const specs = await this.provision(catalog);
    const launch = (agents: Array<{ program: string; token: string }>) =>
      launcher.launchFleet({
        url: hubUrl,
        agents: agents.map(({ program, token }) => ({
          name: program,
          token,
          env: { STORAGE_DIR: join(this.config.dataDir, 'hive_storage') },
          command:
            program === SYSTEM_MONITOR && !('reason' in python)
              ? { file: python.python, args: [python.script] }
              : undefined,
        })),
        // An agent's own chatter ("connected to …") is debug: at info the terminal keeps the banner in view; its warnings show.
        log: (level, message, agent) => {
          if (!agent) this.logger[level === 'info' ? 'log' : level](message);
          else this.logger[level === 'info' ? 'debug' : level](`${agent}: ${message}`);
        },
      });
    this.fleets.push(launch(specs));
    this.logger.log(`demo fleet started: ${specs.map((s) => displayName(s.program)).join(', ')}`);
    if (!withOps && full.FLEET_AGENTS.includes(OPS_RUNNER)) {
      this.logger.log('Ops-Runner waits for the first node in the inventory (Settings → Nodes)');
      this.nodeAdded = this.events.on('ops.nodeAdded', 'fleet.opsRunner', () => {
        // Once: the first node is what it waits for.
        this.nodeAdded?.unsubscribe();
        void this.provision({ ...full, FLEET_AGENTS: [OPS_RUNNER] })
          .then((ops) => {
            this.fleets.push(launch(ops));
            this.logger.log('Ops-Runner started: the inventory has a node');
          })
          .catch((err: Error) => this.logger.error(`Ops-Runner not started: ${err.message}`));
      });
    }
  }

  /**
   * Ensures each demo agent exists and has a token we hold; a lost token is rotated, never guessed.
   * The hub runs these programs from its own code, so it confirms their read-only commands (as the
   * catalog lists them) where nobody has decided yet; any other agent waits for an admin.
   */
  async provision(launcher: Catalog): Promise<Array<{ program: string; token: string }>> {
    const file = new FleetTokenFile(join(this.config.dataDir, 'fleet-tokens.json'));
    const tokens = file.read();
    const specs: Array<{ program: string; token: string }> = [];
    for (const program of launcher.FLEET_AGENTS) {
      const name = displayName(program);
      const existing = await this.actors.findByName('AGENT', name);
      let token = tokens[program];
      if (!existing) {
        token = (await this.agents.register(name, launcher.FLEET_DESCRIPTIONS[program], FLEET_ACTOR)).token;
      } else if (!token || (await this.agents.verifyToken(token))?.id !== existing.id) {
        token = (await this.agents.rotate(existing.id, FLEET_ACTOR)).token;
      }
      tokens[program] = token;
      if (!launcher.FLEET_ADMIN_CONFIRMS?.includes(program))
        await this.confirmReadOnly(name, launcher.FLEET_READ_ONLY?.[program]);
      specs.push({ program, token });
    }
    file.write(tokens);
    return specs;
  }

  private async confirmReadOnly(name: string, readOnly: Record<string, string | null> | undefined): Promise<void> {
    const agent = readOnly ? await this.actors.findByName('AGENT', name) : null;
    if (agent && readOnly) await this.policies.confirmForFleet(agent.id, agent.name, readOnly);
  }

  async onApplicationShutdown(): Promise<void> {
    this.nodeAdded?.unsubscribe();
    await Promise.all(this.fleets.map((f) => f.stop()));
    this.fleets = [];
  }
}
