import type { BackoffOptions } from './backoff';
import type { InboxReader } from './inbox';
import type { PersonaModel } from './persona';

/** How to reach the hub and how to behave while the link is down. */
export interface ConnectOptions {
  /** Hub origin, e.g. http://localhost:3000 (Socket.IO at the default path /socket.io). */
  url: string;
  /** The agent token issued when the agent was registered. */
  token: string;
  /** Used in diagnostics only; the hub knows the agent by its token. */
  name?: string;
  /** Reconnect delays. Defaults: 500 ms doubling to 2 s, each delay drawn from [d/2, d]. */
  backoff?: BackoffOptions;
  /** Logs kept while disconnected; beyond it the oldest are dropped and counted. Default 1000. */
  maxQueuedLogs?: number;
  /** How long to wait for an ack before resending. Default 5000 ms. */
  ackTimeoutMs?: number;
  /** Handshake timeout per attempt. Default 10 000 ms. */
  connectTimeoutMs?: number;
  /**
   * A model to answer free text with (see persona.ts; `personaModelFromEnv` reads AGENT_MODEL_*). Without
   * one, the deterministic default handler answers. A handler set with `onChat` wins over both.
   */
  model?: PersonaModel;
  /** Who the agent is, for the model's system prompt; default: the card's description. */
  persona?: string;
  /** How catch-ups read the agent's inbox; default `GET <url>/api/chat/inbox` with the token (tests replace it). */
  inboxReader?: InboxReader;
}

export interface AgentEvents {
  connect: () => void;
  disconnect: (reason: string) => void;
  /** `reason` is why the last attempt or connection ended (e.g. "transport close", "websocket error"). */
  reconnecting: (attempt: number, delayMs: number, reason: string) => void;
  /** The agent stopped for good (an AuthError); `done()` rejects with the same error. */
  fatal: (error: Error) => void;
  /** Something went wrong that the SDK worked around or gave up on (a refused log, a handler error). */
  warning: (message: string) => void;
}
