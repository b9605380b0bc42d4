import { randomUUID } from 'node:crypto';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage, Progress } from '@modelcontextprotocol/sdk/types.js';

/**
 * Delivers a tool call's progress notifications by our own progress tokens, as they arrive. The SDK's own
 * `onprogress` handles a notification a microtask later but the response at once, so a tool's last progress
 * line (sent right before its result, often in the same read) would find its handler already gone.
 */
export class ProgressRouter {
  private readonly listeners = new Map<string, (p: Progress) => void>();

  /** Call after `client.connect(transport)`: the client has installed its message handler by then. */
  attach(transport: Transport): void {
    const inner = transport.onmessage;
    transport.onmessage = (message: JSONRPCMessage, extra) => {
      if ('method' in message && message.method === 'notifications/progress' && !('id' in message)) {
        const { progressToken, ...progress } = (message.params ?? {}) as Progress & { progressToken?: string | number };
        const listener = this.listeners.get(String(progressToken));
        // Ours: handled here and not passed on (the SDK would report an unknown token).
        if (listener) return listener(progress as Progress);
      }
      inner?.(message, extra);
    };
  }

  /** A fresh token for one call; `release` when the call has ended. */
  open(listener: (p: Progress) => void): { token: string; release: () => void } {
    const token = `echocenter-${randomUUID()}`;
    this.listeners.set(token, listener);
    return { token, release: () => void this.listeners.delete(token) };
  }
}
