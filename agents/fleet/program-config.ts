import type { AgentProgram } from '../sdk';

/** What a fleet program is built from: the hub it talks to, its CLI flags and the environment. */
export interface ProgramConfig {
  url: string;
  token: string;
  /** `--key value` flags from the command line, by key. */
  flags: Record<string, string>;
  env: NodeJS.ProcessEnv;
}

export type ProgramFactory = (config: ProgramConfig) => AgentProgram;

/** A flag wins over an environment variable; both are optional. */
export function option(config: ProgramConfig, flag: string, envName: string): string | undefined {
  const value = config.flags[flag] ?? config.env[envName];
  return value === undefined || value === '' ? undefined : value;
}

/** Like `option`, but a number; a value that is not one is a usage error, reported by name. */
export function numberOption(config: ProgramConfig, flag: string, envName: string): number | undefined {
  const raw = option(config, flag, envName);
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!Number.isFinite(value)) throw new UsageError(`--${flag} / ${envName} must be a number, got "${raw}"`);
  return value;
}

export class UsageError extends Error {
  override name = 'UsageError';
}
