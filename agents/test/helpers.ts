import type { ActorRef } from '@echocenter/contracts';
import { connect, startProgram, type Agent, type AgentProgram, type ConnectOptions, type StopFn } from '../sdk';
import { TestHub } from './test-hub';

export const AGENT: ActorRef = { id: 10, name: 'test-agent', kind: 'AGENT' };
export const AGENT_TOKEN = 'agent-token-10';

/** Short delays so reconnect tests take milliseconds, not seconds. */
export const FAST: Partial<ConnectOptions> = {
  backoff: { initialDelayMs: 20, maxDelayMs: 100 },
  ackTimeoutMs: 300,
};

export async function startHub(): Promise<TestHub> {
  return TestHub.start({ [AGENT_TOKEN]: AGENT });
}

/** Connects a test agent and tracks it so `closeAll` can clean up after each test. */
export function connectAgent(hub: TestHub, options: Partial<ConnectOptions> = {}): Agent {
  const agent = connect({ url: hub.url, token: AGENT_TOKEN, name: AGENT.name, ...FAST, ...options });
  open.push(agent);
  return agent;
}

const open: Agent[] = [];

export async function closeAll(): Promise<void> {
  await Promise.all(open.splice(0).map((agent) => agent.close({ timeoutMs: 200 })));
}

const stops: StopFn[] = [];

/** Connects a test agent running `program`, as the CLI would, and waits until it is online. */
export async function runProgram(hub: TestHub, program: AgentProgram): Promise<Agent> {
  const agent = connectAgent(hub);
  stops.push(await startProgram(agent, program));
  await agent.ready();
  return agent;
}

/** Stops programs and closes agents started by this file's helpers. */
export async function stopAll(): Promise<void> {
  await Promise.all(stops.splice(0).map((stop) => stop()));
  await closeAll();
}
