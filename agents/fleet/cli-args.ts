/** Parsed `<positional>... --key value --key=value --switch` command lines. */
export interface ParsedArgs {
  positionals: string[];
  flags: Record<string, string>;
}

export function parseArgs(argv: readonly string[]): ParsedArgs {
  const positionals: string[] = [];
  const flags: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('--')) {
      positionals.push(arg);
      continue;
    }
    const body = arg.slice(2);
    const eq = body.indexOf('=');
    if (eq >= 0) {
      flags[body.slice(0, eq)] = body.slice(eq + 1);
    } else if (i + 1 < argv.length && !argv[i + 1]!.startsWith('--')) {
      flags[body] = argv[++i]!;
    } else {
      flags[body] = 'true';
    }
  }
  return { positionals, flags };
}
