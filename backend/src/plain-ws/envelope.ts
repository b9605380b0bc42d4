import type {
  ClientToServerEvents,
  FieldError,
  PlainWsEnvelope,
  PlainWsInboundType,
  PlainWsOutboundType,
  ServerToClientEvents,
  SocketError,
} from '@echocenter/contracts';

/** The original EchoCenter's frame (contracts/src/plain-ws.ts). */
export type Envelope = PlainWsEnvelope & { type: PlainWsOutboundType | PlainWsInboundType };

export const INBOUND_TYPES = [
  'CHAT',
  'CHAT_STREAM',
  'CHAT_STREAM_END',
  'SYSTEM_LOG',
  'AGENT_HELLO',
  'COMMAND_PROGRESS',
  'COMMAND_RESULT',
  'AUTH_RESPONSE',
] as const satisfies readonly PlainWsInboundType[];
export type InboundType = (typeof INBOUND_TYPES)[number];

/** One inbound frame as the Socket.IO event it stands for; the event's own checks do the rest. */
export interface InboundFrame {
  type: InboundType;
  event: keyof ClientToServerEvents;
  body: Record<string, unknown>;
  localId?: string;
  commandId?: number;
}

/** What a refused frame is answered with, before any socket event ran. */
export interface FrameRefusal {
  type: string | null;
  error: SocketError;
  localId?: string;
  commandId?: number;
}

// Socket.IO field names as they read in the envelope, so an ERROR frame names what the client sent.
const FIELD_NAMES: Record<string, string> = {
  targetId: 'target_id',
  text: 'payload',
  localId: 'local_id',
  streamId: 'stream_id',
  conversationId: 'conversation_id',
  commandId: 'command_id',
  level: 'payload.level',
  content: 'payload.content',
  ok: 'payload.ok',
  result: 'payload.result',
  error: 'payload.error',
};

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const defined = (o: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== null));
const invalid = (field: string, message: string): SocketError => ({
  code: 'VALIDATION_FAILED',
  message: `${field}: ${message}`,
  details: [{ field, message }],
});

/** Parses one text frame into the Socket.IO event it maps onto, or the refusal to send back. */
export function parseFrame(text: string): InboundFrame | FrameRefusal {
  let frame: unknown;
  try {
    frame = JSON.parse(text);
  } catch {
    return { type: null, error: invalid('frame', 'must be one JSON object') };
  }
  if (!isObject(frame)) return { type: null, error: invalid('frame', 'must be one JSON object') };
  const type = frame.type;
  const localId = typeof frame.local_id === 'string' ? frame.local_id : undefined;
  const commandId = typeof frame.command_id === 'number' ? frame.command_id : undefined;
  const refuse = (error: SocketError): FrameRefusal => ({
    type: typeof type === 'string' ? type : null,
    error,
    ...defined({ localId, commandId }),
  });
  if (typeof type !== 'string') return refuse(invalid('type', 'must be a string'));
  if (!(INBOUND_TYPES as readonly string[]).includes(type)) {
    return refuse({ code: 'UNKNOWN_EVENT', message: `Unknown frame type "${type.slice(0, 64)}"` });
  }
  const payload = frame.payload;
  const at = { type: type as InboundType, ...defined({ localId, commandId }) };
  switch (type as InboundType) {
    case 'CHAT':
    case 'CHAT_STREAM':
    case 'CHAT_STREAM_END': {
      // Unlike the original hub, a frame without a target is refused, never broadcast.
      if (frame.target_id === undefined || frame.target_id === null)
        return refuse(invalid('target_id', 'is required (messages are never broadcast)'));
      const common = defined({ targetId: frame.target_id, conversationId: frame.conversation_id });
      if (type === 'CHAT')
        return {
          ...at,
          event: 'chat:send',
          body: { ...common, text: payload, ...defined({ localId: frame.local_id, streamId: frame.stream_id }) },
        };
      if (type === 'CHAT_STREAM')
        return { ...at, event: 'chat:chunk', body: { ...common, streamId: frame.stream_id, text: payload } };
      return { ...at, event: 'chat:end', body: { ...common, streamId: frame.stream_id } };
    }
    case 'SYSTEM_LOG': {
      // The original's agents send the line as the payload; `{level, content}` chooses the level.
      const log = isObject(payload)
        ? { level: payload.level ?? 'INFO', content: payload.content }
        : { level: 'INFO', content: payload };
      return { ...at, event: 'log:report', body: { ...log, ...defined({ localId: frame.local_id }) } };
    }
    case 'AGENT_HELLO':
      return { ...at, event: 'agent:hello', body: isObject(payload) ? payload : { commands: payload } };
    case 'COMMAND_PROGRESS':
      return { ...at, event: 'command:progress', body: { commandId: frame.command_id, text: payload } };
    case 'COMMAND_RESULT': {
      // A bare string is a successful result; `{ok, result?, error?}` says more.
      const result = isObject(payload)
        ? defined({ ok: payload.ok, result: payload.result, error: payload.error })
        : { ok: true, result: payload };
      return { ...at, event: 'command:result', body: { commandId: frame.command_id, ...result } };
    }
    case 'AUTH_RESPONSE': {
      const body = isObject(payload) ? { ...payload } : {};
      // The original names an approval `action_id` (a string); the hub's id is a number.
      if (body.id === undefined && body.action_id !== undefined) body.id = Number(body.action_id);
      delete body.action_id;
      return { ...at, event: 'approval:respond', body };
    }
  }
}

/** An event error in the envelope's terms: field names as the frame spells them. */
export function envelopeError(error: SocketError): SocketError {
  if (!error.details) return error;
  const rename = (f: FieldError): FieldError => ({ ...f, field: FIELD_NAMES[f.field] ?? f.field });
  const details = error.details.map(rename);
  return { ...error, details, message: details.map((d) => `${d.field}: ${d.message}`).join('; ') };
}

type Payload<E extends keyof ServerToClientEvents> = Parameters<ServerToClientEvents[E]>[0];
type Outbound = { [E in keyof ServerToClientEvents]?: (data: Payload<E>) => Envelope };

const OUTBOUND: Outbound = {
  'chat:message': (m) => ({
    type: 'CHAT',
    id: m.id,
    local_id: m.localId,
    sender_id: m.senderId,
    sender_name: m.senderName,
    sender_role: m.senderKind,
    target_id: m.targetId,
    payload: m.text,
    timestamp: m.createdAt,
    stream_id: m.streamId,
    conversation_id: m.conversationId,
  }),
  'chat:chunk': (c) => ({
    type: 'CHAT_STREAM',
    sender_id: c.senderId,
    sender_role: c.senderKind,
    target_id: c.targetId,
    payload: c.text,
    stream_id: c.streamId,
    conversation_id: c.conversationId ?? null,
  }),
  'chat:end': (e) => ({
    type: 'CHAT_STREAM_END',
    sender_id: e.senderId,
    sender_role: e.senderKind,
    target_id: e.targetId,
    payload: '',
    stream_id: e.streamId,
    conversation_id: e.conversationId ?? null,
  }),
  'log:new': (l) => ({
    type: 'SYSTEM_LOG',
    id: l.id,
    sender_id: l.agentId,
    sender_name: l.agentName,
    payload: { level: l.level, content: l.content },
    timestamp: l.createdAt,
  }),
  'approval:requested': (a) => ({
    type: 'AUTH_REQUEST',
    id: a.id,
    target_id: a.agentId,
    payload: { action_id: String(a.id), ...a },
    timestamp: a.createdAt,
  }),
  'approval:updated': (u) => ({ type: 'AUTH_STATUS_UPDATE', id: u.id, payload: { action_id: String(u.id), ...u } }),
  'monitor:event': (e) => ({
    type: 'BUTLER_AGENT_MESSAGE',
    id: e.id,
    command_id: e.commandId,
    payload: { agent_id: e.agentId, ...e },
    timestamp: e.createdAt,
  }),
  'command:run': (r) => ({
    type: 'COMMAND',
    command_id: r.commandId,
    sender_id: r.from.id,
    sender_name: r.from.name,
    sender_role: r.from.kind,
    payload: { command: r.command, args: r.args ?? '', deadline: r.deadline },
  }),
  'command:cancel': (c) => ({ type: 'COMMAND_CANCEL', command_id: c.commandId, payload: c.reason }),
  'command:progress': (p) => ({
    type: 'COMMAND_PROGRESS',
    command_id: p.commandId,
    sender_id: p.agentId,
    payload: p.text,
  }),
  'presence:update': (p) => ({ type: 'PRESENCE_UPDATE', payload: p }),
  error: (e) => ({ type: 'ERROR', payload: envelopeError(e) }),
};

/** The frame a plain socket gets for a Socket.IO event; events the original has no type for travel as `EVENT`. */
export function toEnvelope(event: string, data: unknown): Envelope {
  const map = (OUTBOUND as Record<string, ((d: unknown) => Envelope) | undefined>)[event];
  return map ? map(data) : { type: 'EVENT', payload: { event, data } };
}
