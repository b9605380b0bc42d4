import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { createInterface } from 'node:readline';
import { agentEnvironment } from './child-env';

// Dependency-free on purpose (node built-ins and the import-free catalog only): the backend loads this
// module in dev mode to run the demo fleet, and must not pull agent code into its own process.
export {
  FLEET_ADMIN_CONFIRMS,
  FLEET_AGENTS,
  FLEET_DESCRIPTIONS,
  FLEET_READ_ONLY,
  type FleetAgentName,
} from './catalog';
export { agentEnvironment } from './child-env';

export interface FleetAgentSpec {
  /** A fleet agent name (see FLEET_AGENTS), passed to the CLI. */
  name: string;
  /** Its agent token; handed over in the environment, never on the command line (visible in `ps`). */
  token: string;
  /** Extra environment for this agent only, e.g. { STORAGE_DIR: './data/hive_storage' }. */
  env?: Record<string, string>;
  /** A program other than the Node CLI, e.g. a Python agent: { file: '/usr/bin/python3', args: ['agents/python/system_monitor.py'] }. */
  command?: { file: string; args: string[] };
}

export type FleetLogLevel = 'info' | 'warn' | 'error';

export interface LaunchFleetOptions {
  /** The hub the agents connect to, e.g. http://127.0.0.1:3000. */
  url: string;
  agents: FleetAgentSpec[];
  /** Receives the launcher's notices and every line the agents print. Default: console. */
  log?: (level: FleetLogLevel, message: string, agent?: string) => void;
  /** Default: the built CLI (agents/dist/cli.js), else agents/cli.ts through tsx. */
  cliPath?: string;
  /** Node flags for the children, e.g. ['--import', 'tsx'] with a .ts cliPath. */
  execArgv?: string[];
  /** Where the children's allow-listed variables are read from (child-env.ts); never passed whole. Default: process.env. */
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Crash restarts: 1 s doubling to 30 s; a child up for `stableAfterMs` (60 s) starts over at 1 s. */
  restart?: { initialDelayMs?: number; maxDelayMs?: number; stableAfterMs?: number };
  /** After SIGTERM, a child gets this long before SIGKILL. Default 5 s. */
  stopTimeoutMs?: number;
}

export type ChildState = 'running' | 'restarting' | 'failed' | 'stopped';

export interface FleetChildStatus {
  name: string;
  state: ChildState;
  pid: number | undefined;
  restarts: number;
  lastExitCode: number | null;
}

export interface Fleet {
  status(): FleetChildStatus[];
  /** Stops every child (SIGTERM, then SIGKILL after the timeout) and stops restarting them. */
  stop(): Promise<void>;
}

// Exit codes after which a restart cannot help: 2 = token refused, 64 = bad usage (see sdk/run.ts),
// 69 = a Python agent's socketio module is missing.
const NO_RESTART_CODES = new Set([2, 64, 69]);
const HOST_SIGNALS = ['SIGINT', 'SIGTERM'] as const;

/** Runs each agent's CLI as a child process, restarts it on crash with backoff, stops all on stop()/exit. */
export function launchFleet(options: LaunchFleetOptions): Fleet {
  const log = options.log ?? defaultLog;
  const { cliPath, execArgv } = resolveCli(options);
  const children = options.agents.map((spec) => new SupervisedAgent(spec, options, cliPath, execArgv, log));
  // Last resort when the host exits without calling stop(): signals are synchronous, so this works in 'exit'.
  const killOnExit = (): void => children.forEach((child) => child.kill('SIGTERM'));
  process.once('exit', killOnExit);
  // Ctrl-C in a terminal signals the whole process group: the children stop on their own while the host shuts
  // down, so their exits are expected, not crashes to restart (and to report). Once the host is the only
  // listener left, the signal is raised again so it keeps its default effect (ending the process).
  const onHostSignal = (signal: NodeJS.Signals): void => {
    children.forEach((child) => child.hostStopping());
    if (process.listenerCount(signal) === 1) {
      removeSignalListeners();
      process.kill(process.pid, signal);
    }
  };
  const removeSignalListeners = (): void => HOST_SIGNALS.forEach((signal) => process.off(signal, onHostSignal));
  HOST_SIGNALS.forEach((signal) => process.prependListener(signal, onHostSignal));
  children.forEach((child) => child.start());
  log('info', `launched ${children.length} agent(s) against ${options.url} using ${cliPath}`);

  let stopping: Promise<void> | undefined;
  return {
    status: () => children.map((child) => child.status()),
    stop: () => {
      stopping ??= Promise.all(children.map((child) => child.stop(options.stopTimeoutMs ?? 5_000))).then(() => {
        process.off('exit', killOnExit);
        removeSignalListeners();
      });
      return stopping;
    },
  };
}

class SupervisedAgent {
  private child: ChildProcess | undefined;
  private state: ChildState = 'stopped';
  private restarts = 0;
  private attempt = 0;
  private lastExitCode: number | null = null;
  private startedAt = 0;
  private timer: NodeJS.Timeout | undefined;
  private exited: Promise<void> = Promise.resolve();
  private quiet = false;

  constructor(
    private readonly spec: FleetAgentSpec,
    private readonly options: LaunchFleetOptions,
    private readonly cliPath: string,
    private readonly execArgv: string[],
    private readonly log: NonNullable<LaunchFleetOptions['log']>,
  ) {}

  start(): void {
    const { spec, options } = this;
    const [file, args] = spec.command
      ? [spec.command.file, spec.command.args]
      : [process.execPath, [...this.execArgv, this.cliPath, spec.name]];
    const child = spawn(file, args, {
      cwd: options.cwd,
      env: {
        ...agentEnvironment(spec.name, options.env ?? process.env),
        ...spec.env,
        ECHO_URL: options.url,
        ECHO_TOKEN: spec.token,
      },
      // The IPC channel lets a Node child notice that the launcher died and stop itself.
      stdio: spec.command ? ['ignore', 'pipe', 'pipe'] : ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    this.child = child;
    this.state = 'running';
    this.startedAt = Date.now();
    // The CLI prefixes lines with "[name] " for a terminal; the log callback gets the name separately.
    const prefix = `[${spec.name}] `;
    const strip = (line: string): string => (line.startsWith(prefix) ? line.slice(prefix.length) : line);
    createInterface({ input: child.stdout! }).on('line', (line) => this.log('info', strip(line), spec.name));
    createInterface({ input: child.stderr! }).on('line', (line) => this.log('warn', strip(line), spec.name));
    this.exited = new Promise((resolve) => {
      let settled = false;
      const settle = (code: number | null, signal: NodeJS.Signals | null): void => {
        if (settled) return;
        settled = true;
        this.onExit(code, signal);
        resolve();
      };
      // A failed spawn may emit 'error' without 'exit'; either way the child is gone.
      child.once('error', (err) => {
        this.log('error', `could not run: ${err.message}`, spec.name);
        settle(null, null);
      });
      child.once('exit', settle);
    });
  }

  status(): FleetChildStatus {
    return {
      name: this.spec.name,
      state: this.state,
      pid: this.child?.pid,
      restarts: this.restarts,
      lastExitCode: this.lastExitCode,
    };
  }

  kill(signal: NodeJS.Signals): void {
    if (this.child && this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal);
  }

  /** The host is going down and the child got the same signal: its exit ends it, without a restart or a warning. */
  hostStopping(): void {
    clearTimeout(this.timer);
    if (this.state === 'restarting') this.state = 'stopped';
    this.quiet = true;
  }

  async stop(timeoutMs: number): Promise<void> {
    clearTimeout(this.timer);
    const wasRunning = this.state === 'running';
    this.state = 'stopped';
    if (!wasRunning) return;
    this.kill('SIGTERM');
    const timer = setTimeout(() => this.kill('SIGKILL'), timeoutMs);
    await this.exited;
    clearTimeout(timer);
  }

  private onExit(code: number | null, signal: NodeJS.Signals | null): void {
    this.child = undefined;
    this.lastExitCode = code;
    if (this.state === 'stopped') return;
    if (this.quiet) {
      this.state = 'stopped';
      return;
    }
    const how = code !== null ? `code ${code}` : `signal ${signal}`;
    if (code !== null && NO_RESTART_CODES.has(code)) {
      this.state = 'failed';
      this.log('error', `exited with ${how}; not restarting (fix the token or the options)`, this.spec.name);
      return;
    }
    const { initialDelayMs = 1_000, maxDelayMs = 30_000, stableAfterMs = 60_000 } = this.options.restart ?? {};
    if (Date.now() - this.startedAt >= stableAfterMs) this.attempt = 0;
    const delay = Math.min(maxDelayMs, initialDelayMs * 2 ** this.attempt);
    this.attempt += 1;
    this.state = 'restarting';
    this.log('warn', `exited with ${how}; restarting in ${delay} ms`, this.spec.name);
    this.timer = setTimeout(() => {
      if (this.state !== 'restarting') return;
      this.restarts += 1;
      this.start();
    }, delay);
  }
}

function resolveCli(options: LaunchFleetOptions): { cliPath: string; execArgv: string[] } {
  if (options.cliPath) return { cliPath: options.cliPath, execArgv: options.execArgv ?? [] };
  // Compiled: this file is dist/fleet/launcher.js, the CLI dist/cli.js. From source: agents/fleet/launcher.ts.
  const built = [path.join(__dirname, '..', 'cli.js'), path.join(__dirname, '..', 'dist', 'cli.js')].find(existsSync);
  if (built) return { cliPath: built, execArgv: options.execArgv ?? [] };
  const source = path.join(__dirname, '..', 'cli.ts');
  if (existsSync(source)) return { cliPath: source, execArgv: options.execArgv ?? ['--import', 'tsx'] };
  throw new Error('agents CLI not found: run `npm run build:agents` first');
}

function defaultLog(level: FleetLogLevel, message: string, agent?: string): void {
  const line = agent ? `[fleet:${agent}] ${message}` : `[fleet] ${message}`;
  (level === 'info' ? console.log : level === 'warn' ? console.warn : console.error)(line);
}
