import type { NodeOutcome } from './ssh-exec';

/**
 * The result text: one section per node with its exit code (or what ended it) and its output tail, each
 * trimmed from the front to its share of `maxChars` so every node is heard and the total fits the wire.
 */
export function formatReport(outcomes: NodeOutcome[], maxChars: number): string {
  const share = Math.max(200, Math.floor(maxChars / Math.max(1, outcomes.length)) - 200);
  return outcomes
    .map((o) => {
      const status = o.error ?? `exit ${o.exitCode}`;
      let body = o.output.replace(/\n$/, '');
      let dropped = o.droppedBytes;
      if (body.length > share) {
        dropped += Buffer.byteLength(body.slice(0, body.length - share));
        body = body.slice(-share);
      }
      const cut = o.truncated || dropped > 0 ? ` · output truncated: last part kept, ${dropped} bytes dropped` : '';
      return `── ${o.node} · ${status} · ${o.durationMs} ms${cut}\n${body}`.replace(/\n$/, '');
    })
    .join('\n');
}

export function allSucceeded(outcomes: NodeOutcome[]): boolean {
  return outcomes.length > 0 && outcomes.every((o) => o.error === null && o.exitCode === 0);
}
