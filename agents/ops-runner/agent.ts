import type { NodeCredentialDto } from '@echocenter/contracts';
import { LIMITS, type Agent, type AgentProgram, type CommandContext } from '../sdk';
import { OpsHubClient } from './hub-client';
import { ProgressThrottle } from './progress-throttle';
import { PROBES, unitProblem } from './probes';
import { allSucceeded, formatReport } from './report';
import { execOnNode, type NodeOutcome } from './ssh-exec';

export interface OpsRunnerOptions {
  /** The hub's origin and this agent's token: the credential endpoint takes it as Bearer. */
  url: string;
  token: string;
  /** Output kept per node (its tail). OPS_OUTPUT_MAX, default 64 KiB. */
  outputMaxBytes?: number;
  connectTimeoutMs?: number;
  /** Nodes of one fan-out worked on at once. Default 8. */
  parallel?: number;
  killGraceMs?: number;
  /** How often streamed output is sent at most. Default 250 ms. */
  progressIntervalMs?: number;
}

export const DEFAULT_OUTPUT_MAX = 64 * 1024;

/**
 * Ops-Runner: runs shell commands on inventory nodes over SSH. It holds no keys: for each node of a
 * running command it asks the hub for that node's credential, which the hub releases once, only for an
 * approved `run` (or a confirmed probe) this very process claimed, with the host key to insist on.
 */
export function createOpsRunner(options: OpsRunnerOptions): AgentProgram {
  let instance = '';
  const hub = new OpsHubClient(options.url, options.token, () => instance);
  const settings = {
    maxOutputBytes: options.outputMaxBytes ?? DEFAULT_OUTPUT_MAX,
    connectTimeoutMs: options.connectTimeoutMs ?? 10_000,
    killGraceMs: options.killGraceMs ?? 1000,
    parallel: options.parallel ?? 8,
    progressIntervalMs: options.progressIntervalMs ?? 250,
  };
  return {
    card: {
      description:
        'Runs approved shell commands on inventory nodes over SSH (a node name or tag:<tag>); read-only probes.',
      version: '1.0.0',
      commands: [
        {
          name: 'run',
          args: '<node|tag:tag> <shell command>',
          description: 'Runs the command on each node; every run needs an approval.',
          readOnly: false,
        },
        { name: 'uptime', args: '<node|tag:tag>', description: 'uptime', readOnly: true },
        { name: 'disk_usage', args: '<node|tag:tag>', description: 'df -hP', readOnly: true },
        { name: 'memory', args: '<node|tag:tag>', description: 'free -m', readOnly: true },
        {
          name: 'service_status',
          args: '<node|tag:tag> <unit>',
          description: 'systemctl status of one unit',
          readOnly: true,
        },
      ],
    },
    start(agent) {
      // The hub releases a key only to the process that claimed the command: this one.
      instance = agent.instance;
      const fanOut = (target: string, command: string, ctx: CommandContext) =>
        runOnTarget(agent, hub, settings, target, command, ctx);
      agent.onCommand('run', (args, ctx) => {
        const { target, rest } = splitTarget(args);
        if (!rest) throw new Error('usage: run <node|tag:tag> <shell command>');
        return fanOut(target, rest, ctx);
      });
      for (const name of ['uptime', 'disk_usage', 'memory'] as const) {
        agent.onCommand(name, (args, ctx) => {
          const { target, rest } = splitTarget(args);
          if (rest) throw new Error(`usage: ${name} <node|tag:tag>`);
          return fanOut(target, PROBES[name](), ctx);
        });
      }
      agent.onCommand('service_status', (args, ctx) => {
        const { target, rest } = splitTarget(args);
        const problem = unitProblem(rest || undefined);
        if (problem) throw new Error(problem);
        return fanOut(target, PROBES.service_status(rest), ctx);
      });
    },
  };
}

function splitTarget(args: string): { target: string; rest: string } {
  const trimmed = args.trim();
  const space = trimmed.search(/\s/);
  if (!trimmed) throw new Error('give a target: a node name or tag:<tag>');
  return space < 0
    ? { target: trimmed, rest: '' }
    : { target: trimmed.slice(0, space), rest: trimmed.slice(space + 1).trim() };
}

async function runOnTarget(
  agent: Agent,
  hub: OpsHubClient,
  s: {
    maxOutputBytes: number;
    connectTimeoutMs: number;
    killGraceMs: number;
    parallel: number;
    progressIntervalMs: number;
  },
  target: string,
  command: string,
  ctx: CommandContext,
): Promise<string> {
  // A chat line runs a command without a command id, and the hub releases keys only for commands.
  if (ctx.commandId === 0)
    throw new Error(
      `ask the Butler for "${ctx.command} ${target}": ops run as hub commands, so each node's key is released for one command`,
    );
  const nodes = await hub.targets(ctx.commandId, ctx.signal);
  if (!nodes.length) throw new Error(`no node matches ${target}`);
  ctx.stream(`${ctx.command} on ${nodes.map((n) => n.name).join(', ')}`);
  const throttle = new ProgressThrottle((text) => ctx.stream(text), s.progressIntervalMs);
  const many = nodes.length > 1;
  const outcomes: NodeOutcome[] = [];
  const queue = [...nodes];
  const worker = async () => {
    for (let node = queue.shift(); node; node = queue.shift()) {
      const started = performance.now();
      let cred: NodeCredentialDto;
      try {
        cred = await hub.credential(ctx.commandId, node.name, ctx.signal);
      } catch (err) {
        outcomes.push({
          node: node.name,
          exitCode: null,
          error: `no credential: ${(err as Error).message}`,
          output: '',
          truncated: false,
          droppedBytes: 0,
          durationMs: Math.round(performance.now() - started),
        });
        continue;
      }
      const prefix = many ? `[${node.name}] ` : '';
      const outcome = await execOnNode(cred, command, {
        signal: ctx.signal,
        maxOutputBytes: s.maxOutputBytes,
        connectTimeoutMs: s.connectTimeoutMs,
        killGraceMs: s.killGraceMs,
        onOutput: (text) => throttle.push(prefix ? text.replace(/^(?=.)/gm, prefix) : text),
      });
      // Forget the key as soon as this node is done (it was only ever in this closure).
      cred.privateKey = '';
      outcomes.push(outcome);
      if (outcome.error?.startsWith('HOST_KEY_MISMATCH'))
        agent.log('WARNING', `${outcome.error} (command #${ctx.commandId} for ${ctx.from.name})`);
    }
  };
  await Promise.all(Array.from({ length: Math.min(s.parallel, nodes.length) }, worker));
  throttle.flush();
  outcomes.sort((a, b) => a.node.localeCompare(b.node));
  const ok = allSucceeded(outcomes);
  // A failure travels as the error text, which the protocol caps lower than a result.
  const report = formatReport(outcomes, (ok ? LIMITS.resultChars : LIMITS.textChars) - 1000);
  agent.log(
    ok ? 'SUCCESS' : 'WARNING',
    `${ctx.command} on ${target} for ${ctx.from.name}: ${outcomes.map((o) => `${o.node} ${o.error ? 'failed' : `exit ${o.exitCode}`}`).join(', ')}`,
  );
  if (!ok) throw new Error(report);
  return report;
}
