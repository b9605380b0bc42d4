import type { ClientToServerEvents, ServerToClientEvents, SettingKey } from '@echocenter/contracts';
import type { Server, Socket } from 'socket.io';
import type { AuthActor } from '../auth/auth-actor';
import type { SocketMeter } from '../observability/socket-meter';

/** What the handshake middleware stores on every socket; other gateways read `client.data.actor`. */
export interface SocketData {
  actor: AuthActor;
  /** When the human JWT the socket connected with expires (epoch ms); null for agents. */
  expiresAt: number | null;
  /** The human JWT's token version (re-checked once the socket is in its rooms); null for agents. */
  tokenVersion: number | null;
  /** Where handleEvent records the event (set on connection; absent until then). */
  meter?: SocketMeter;
}

/**
 * Every node-to-node channel (RealtimeService.serverSideEmit / onServerSide) with the JSON payload it
 * carries. Wake-ups only: the database row is the truth, and a channel is at-most-once (Redis pub/sub).
 * Handlers still receive `unknown` and check the payload: it comes from another process.
 */
export interface NodeChannels {
  /** Each node's heartbeat (SyncHints): a silent, new or returning peer makes local sockets catch up. */
  'sync:beat': { nodeId: string };
  /** An ask_agent question was answered or timed out: wakes the turn waiting on it, on whichever node. */
  'question:settled': { questionId: number };
  /** Settings were written on `origin`: the other nodes re-read them. */
  'settings:changed': { origin: string; keys: SettingKey[] };
  /** A command ended: wakes whoever waits on it (CommandWaiters), on whichever node. */
  'command:finished': { commandId: number };
  /** A progress line of a running command, streamed into the thread of the node whose turn waits on it. */
  'command:progressed': { commandId: number; text: string };
  /**
   * An MCP server (by its agent) was added, restarted, or removed / its agent deleted, on any node: the node
   * that runs bridges (MCP_BRIDGES) starts, restarts or stops its bridge, reading the row itself.
   */
  'mcp-servers:changed': { agentId: number; action: McpBridgeAction };
}

export type McpBridgeAction = 'start' | 'restart' | 'stop';

export type NodeChannel = keyof NodeChannels;

/** Socket.IO's view of the channels: what arrives from another node is untrusted, hence `unknown`. */
export type InterServerEvents = { [C in NodeChannel]: (payload: unknown) => void };

export type EchoServer = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;
export type EchoSocket = Socket<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;

export const HUMANS_ROOM = 'humans';
export const ADMINS_ROOM = 'admins';
export const actorRoom = (actorId: number): string => `actor:${actorId}`;
/** An agent's sockets whose `agent:hello` was handled: the hub knows the card it runs with. */
export const agentReadyRoom = (agentId: number): string => `agent-ready:${agentId}`;
