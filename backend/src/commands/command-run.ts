import type { ActorRef, CommandRunEvent, CommandStatus } from '@echocenter/contracts';
import type { AgentCommand } from './agent-command.entity';

/** Sent to the agent and not ended: what a result, a deadline or a claim may still act on. */
export const OPEN: CommandStatus[] = ['PENDING', 'RUNNING'];

/** The `command:run` an agent gets, live or when it catches up. */
export function runEvent(cmd: AgentCommand, from: ActorRef): CommandRunEvent {
  return {
    commandId: cmd.id,
    command: cmd.command,
    ...(cmd.args ? { args: cmd.args } : {}),
    from,
    deadline: cmd.deadline.toISOString(),
  };
}
