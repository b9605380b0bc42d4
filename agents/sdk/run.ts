import { connect, type ConnectOptions } from './agent';
import { AuthError, errorMessage } from './errors';
import { startProgram, type AgentProgram } from './program';

/** Exit codes of an agent process; the fleet launcher does not restart after AUTH or USAGE. */
export const EXIT = { OK: 0, ERROR: 1, AUTH: 2, USAGE: 64 } as const;

export interface RunOptions extends ConnectOptions {
  /** Where connection notices go. Default: stdout, prefixed with the agent name; the fatal error goes to stderr. */
  say?: (line: string) => void;
}

/**
 * Runs a program as a process would: connects, starts it, stops cleanly on SIGINT/SIGTERM, and returns
 * the exit code (2 when the hub refuses the token).
 */
export async function runAgent(program: AgentProgram, options: RunOptions): Promise<number> {
  const name = options.name ?? 'agent';
  const say = options.say ?? ((line: string) => process.stdout.write(`[${name}] ${line}\n`));
  const agent = connect(options);
  agent.on('connect', () => say(`connected to ${options.url}`));
  agent.on('disconnect', (reason) => say(`disconnected (${reason})`));
  agent.on('reconnecting', (attempt, delayMs, reason) =>
    say(`reconnecting in ${delayMs} ms (attempt ${attempt}, ${reason})`),
  );
  agent.on('warning', (warning) => say(`warning: ${warning}`));

  const stopProgram = await startProgram(agent, program);
  const shutdown = (signal: NodeJS.Signals): void => {
    say(`${signal} received, shutting down`);
    void agent.close();
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
  try {
    await agent.done();
    return EXIT.OK;
  } catch (err) {
    process.stderr.write(`[${name}] ${err instanceof AuthError ? err.message : `stopped: ${errorMessage(err)}`}\n`);
    return err instanceof AuthError ? EXIT.AUTH : EXIT.ERROR;
  } finally {
    process.off('SIGINT', shutdown);
    process.off('SIGTERM', shutdown);
    await stopProgram();
  }
}
