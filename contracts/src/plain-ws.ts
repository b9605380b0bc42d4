/**
 * The plain-WebSocket endpoint `GET /api/ws` (docs/protocol.md, "Plain WebSocket"): the original
 * EchoCenter envelope, one JSON object per text frame. Each frame stands for a Socket.IO event.
 */

/** Frames a client sends: CHAT → chat:send, CHAT_STREAM → chat:chunk, CHAT_STREAM_END → chat:end, SYSTEM_LOG → log:report, AGENT_HELLO → agent:hello, COMMAND_PROGRESS / COMMAND_RESULT → command:progress / command:result, AUTH_RESPONSE → approval:respond. */
export type PlainWsInboundType =
  | 'CHAT'
  | 'CHAT_STREAM'
  | 'CHAT_STREAM_END'
  | 'SYSTEM_LOG'
  | 'AGENT_HELLO'
  | 'COMMAND_PROGRESS'
  | 'COMMAND_RESULT'
  | 'AUTH_RESPONSE';

/** Frames the hub sends; `EVENT` carries any Socket.IO event the original has no type for as `{event, data}`. */
export type PlainWsOutboundType =
  | 'CHAT'
  | 'CHAT_STREAM'
  | 'CHAT_STREAM_END'
  | 'SYSTEM_LOG'
  | 'COMMAND'
  | 'COMMAND_CANCEL'
  | 'COMMAND_PROGRESS'
  | 'AUTH_REQUEST'
  | 'AUTH_STATUS_UPDATE'
  | 'BUTLER_AGENT_MESSAGE'
  | 'PRESENCE_UPDATE'
  | 'EVENT'
  | 'ACK'
  | 'ERROR';

/**
 * One frame. From a client, `id`, `sender_*` and `timestamp` are ignored (the hub sets them from the
 * connection); `target_id` is required on chat frames (nothing is broadcast).
 */
export interface PlainWsEnvelope {
  type: PlainWsInboundType | PlainWsOutboundType | string;
  id?: number;
  local_id?: string | null;
  sender_id?: number | null;
  sender_name?: string | null;
  sender_role?: string | null;
  target_id?: number | null;
  payload?: unknown;
  timestamp?: string;
  stream_id?: string | null;
  conversation_id?: number | null;
  command_id?: number | null;
}
