/** "clean /tmp --force" → name "clean", args "/tmp --force": the name is what agent cards and allow-rules key on. */
export function splitCommand(text: string): { name: string; args: string | null } {
  const trimmed = text.trim();
  const space = trimmed.search(/\s/);
  if (space < 0) return { name: trimmed, args: null };
  return { name: trimmed.slice(0, space), args: trimmed.slice(space + 1).trim() || null };
}

export function joinCommand(command: string, args: string | null): string {
  return args ? `${command} ${args}` : command;
}
