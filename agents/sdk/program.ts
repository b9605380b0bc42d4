import type { AgentCard } from '@echocenter/contracts';
import type { Agent } from './agent';

/** What `start` may hand back: a stop function for timers and watchers it started. */
export type StopFn = () => void | Promise<void>;

/**
 * One agent's behaviour, apart from the connection: its card and the handlers it registers. The CLI,
 * the fleet and the tests all run programs the same way through `startProgram`.
 */
export interface AgentProgram {
  card: AgentCard;
  /** Who the agent is, in a few sentences: the system prompt's core when it answers chat with a model. */
  persona?: string;
  start(agent: Agent): StopFn | void | Promise<StopFn | void>;
}

/** Registers the program on a connected (or connecting) agent and announces its card. */
export async function startProgram(agent: Agent, program: AgentProgram): Promise<StopFn> {
  if (program.persona) agent.setPersona(program.persona);
  const stop = await program.start(agent);
  agent.hello(program.card);
  return stop ?? (() => undefined);
}
