/** Small text helpers shared by the SDK and the fleet. */

/** Protocol limits (PROTOCOL.md): message text ≤ 16 KiB, log content ≤ 8 KiB; payload ≤ 64 KiB. */
export const LIMITS = {
  textChars: 16_000,
  logChars: 8_000,
  resultChars: 48_000,
} as const;

/** Cuts a string to `max` characters, saying how much was cut so a reader is never misled. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  const note = `… [truncated ${text.length - max} chars]`;
  return text.slice(0, Math.max(0, max - note.length)) + note;
}

/** Renders a handler's return value as the string the wire carries: strings as-is, anything else as JSON. */
export function formatOutput(output: unknown): string {
  if (output === undefined) return '';
  if (typeof output === 'string') return output;
  return JSON.stringify(output, null, 2) ?? String(output);
}

/** Splits command arguments on whitespace, keeping "double" or 'single' quoted parts together. */
export function splitArgs(args: string): string[] {
  const parts: string[] = [];
  for (const match of args.matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)) {
    parts.push(match[1] ?? match[2] ?? match[3] ?? '');
  }
  return parts;
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
