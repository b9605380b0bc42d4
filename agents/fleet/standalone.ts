import { EXIT, errorMessage, personaModelFromEnv, runAgent } from '../sdk';
import { parseArgs } from './cli-args';
import type { ProgramFactory } from './program-config';

export const USAGE_TAIL = `Options:
  --url <url>       hub address, e.g. http://localhost:3000 (or env ECHO_URL)
  --token <token>   the agent token from the console (or env ECHO_TOKEN)
  --<option> <v>    agent-specific options, see agents/<name>/README.md
Exit codes: 0 stopped, 1 failed, 2 token refused, 64 bad usage.`;

/** Runs one fleet program from a command line; resolves to the process exit code. */
export async function runFromArgs(
  name: string,
  factory: ProgramFactory,
  argv: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  const { flags } = parseArgs(argv);
  if (flags.help) {
    process.stdout.write(`Usage: ${name} --url <url> --token <token> [--<option> <value>]\n${USAGE_TAIL}\n`);
    return EXIT.OK;
  }
  const url = flags.url ?? env.ECHO_URL;
  const token = flags.token ?? env.ECHO_TOKEN;
  if (!url || !token) {
    process.stderr.write(`${name}: missing --url/ECHO_URL or --token/ECHO_TOKEN\n${USAGE_TAIL}\n`);
    return EXIT.USAGE;
  }
  let program;
  try {
    program = factory({ url, token, flags, env });
  } catch (err) {
    process.stderr.write(`${name}: ${errorMessage(err)}\n`);
    return EXIT.USAGE;
  }
  // Started by the fleet launcher (IPC channel): if the launcher dies without stopping us, stop anyway.
  if (process.connected) process.once('disconnect', () => process.kill(process.pid, 'SIGTERM'));
  // A model for chat (AGENT_MODEL_*), and AGENT_PERSONA over the program's own persona.
  if (env.AGENT_PERSONA) program = { ...program, persona: env.AGENT_PERSONA };
  return runAgent(program, { url, token, name, model: personaModelFromEnv(env) });
}

/** Ends the process with the code once the run settles (sockets and timers are closed by then). */
export function exitWhenDone(run: Promise<number>): void {
  run.then(
    (code) => process.exit(code),
    (err: unknown) => {
      process.stderr.write(`${errorMessage(err)}\n`);
      process.exit(EXIT.ERROR);
    },
  );
}
