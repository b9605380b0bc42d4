import type { ActorKind, ActorRef, AgentCard, AgentCommandCard, AgentStatus, CommandPolicy, LogLevel } from './actors';
import type { Ack, SocketErrorEvent } from './errors';
import type { ApprovalDto, ApprovalStatus, ChatMessageDto, ConversationDto, LogDto, MonitorEventDto } from './rest';

// ---- client → server payloads ------------------------------------------------------------------

/** The console's languages; the Butler answers a message in the language it was sent from. */
export type Locale = 'en' | 'zh-CN';

export interface ChatSendPayload {
  targetId: number;
  text: string;
  localId?: string;
  streamId?: string;
  conversationId?: number;
  /**
   * The id of the message this one answers. An agent answering a question the Butler asked it (the
   * Butler's `ask_agent` tool) sets it to that question's message id, so the answer reaches the turn that
   * asked; without it, an agent's message to the Butler answers its oldest open question.
   */
  replyTo?: number;
  /** The sender's interface language (to the Butler: the language of its answer). Absent: guessed from the text. */
  locale?: Locale;
}

export interface ChatChunkPayload {
  targetId: number;
  streamId: string;
  text: string;
  conversationId?: number;
}

export interface ChatEndPayload {
  targetId: number;
  streamId: string;
  conversationId?: number;
}

export interface LogReportPayload {
  level: LogLevel;
  content: string;
  /** As in CreateLogRequest: makes resending after a lost ack safe. */
  localId?: string;
}

export type AgentHelloPayload = AgentCard;

export interface ApprovalRespondPayload {
  id: number;
  approved: boolean;
  command?: string;
  reason?: string;
  remember?: 'always';
  /** With `remember: 'always'`: how far the rule reaches (as in POST /api/approvals/:id/decision). */
  rule?: import('./rest').AllowRuleScope;
}

export interface CommandProgressPayload {
  commandId: number;
  text: string;
}

/**
 * `command:claim`: an agent takes a `command:run` on before running it. `instance` is the agent process's
 * own random id (fixed for its lifetime): the same process may claim again (an ack lost with its node),
 * any other is refused, so a command delivered twice (live push and catch-up) runs once.
 */
export interface CommandClaimPayload {
  commandId: number;
  instance: string;
}

/** `command:pending`: the commands sent to the caller that no other process claimed (lost pushes included). */
export interface CommandPendingPayload {
  instance: string;
}

export interface CommandResultPayload {
  commandId: number;
  ok: boolean;
  result?: string;
  error?: string;
}

// ---- server → client payloads ------------------------------------------------------------------

/** Relayed stream pieces carry the server-set sender. */
export interface ChatChunkEvent extends ChatChunkPayload {
  senderId: number;
  senderKind: ActorKind;
}

export interface ChatEndEvent extends ChatEndPayload {
  senderId: number;
  senderKind: ActorKind;
}

export interface PresenceUpdateEvent {
  actorId: number;
  online: boolean;
  lastSeenAt: string | null;
  status: AgentStatus;
}

export interface AgentCardEvent extends AgentCard {
  agentId: number;
}

export type ApprovalRequestedEvent = Pick<
  ApprovalDto,
  | 'id'
  | 'conversationId'
  | 'requestedBy'
  | 'agentId'
  | 'agentName'
  | 'command'
  | 'reasoning'
  | 'policy'
  | 'targets'
  | 'createdAt'
  | 'expiresAt'
> & {
  status: 'PENDING';
  /** The personal access token it was asked for with (null: a console session). Hubs before it leave it out. */
  requestedViaTokenId?: number | null;
};

export interface ApprovalUpdatedEvent {
  id: number;
  status: ApprovalStatus;
  decidedBy?: number | null;
  decidedAt?: string | null;
  result?: string | null;
  approval?: ApprovalDto;
}

export interface ApprovalExpiringEvent {
  id: number;
  expiresAt: string;
}

export interface CommandRunEvent {
  commandId: number;
  command: string;
  args?: string;
  from: ActorRef;
  /** ISO time after which the hub no longer waits for the result. */
  deadline: string;
}

export interface CommandCancelEvent {
  commandId: number;
  reason: string;
}

export interface CommandProgressEvent extends CommandProgressPayload {
  agentId: number;
}

export type MonitorEvent = MonitorEventDto;

/**
 * To admins: an agent's new card changed a command an admin had confirmed read-only (its args or its
 * read-only claim), so the hub put it back to needing approval.
 */
export interface PolicyReviewEvent {
  agentId: number;
  agentName: string;
  command: string;
  /** What changed, e.g. `args "<name>" → "<name> [--force]"` or `no longer claims read-only`. */
  reason: string;
  /** The effective policy now: NEEDS_APPROVAL (or DESTRUCTIVE when an admin marked it so). */
  policy: CommandPolicy;
}

/** A Butler thread was deleted (to its owner's sockets). */
export interface ConversationRemovedEvent {
  id: number;
}

// ---- acks ----------------------------------------------------------------------------------------

export type ChatSendAck = Ack<{ message: ChatMessageDto }>;
export type SimpleAck = Ack<object>;
/** The hub's answer to `agent:hello`: the card's commands with their effective `policy` (absent from older hubs). */
export type AgentHelloAck = Ack<{ commands?: AgentCommandCard[] }>;
export type ApprovalRespondAck = Ack<{ approval: ApprovalDto }>;
/** `run: false`: another process claimed it, or it ended (cancelled, timed out): do not run it. */
export type CommandClaimAck = Ack<{ run: boolean }>;
export type CommandPendingAck = Ack<{ commands: CommandRunEvent[] }>;

// ---- event maps for typed Socket.IO servers and clients ------------------------------------------

export interface ClientToServerEvents {
  'chat:send': (payload: ChatSendPayload, ack?: (res: ChatSendAck) => void) => void;
  'chat:chunk': (payload: ChatChunkPayload, ack?: (res: SimpleAck) => void) => void;
  'chat:end': (payload: ChatEndPayload, ack?: (res: SimpleAck) => void) => void;
  'log:report': (payload: LogReportPayload, ack?: (res: Ack<{ log: LogDto }>) => void) => void;
  'agent:hello': (payload: AgentHelloPayload, ack?: (res: AgentHelloAck) => void) => void;
  'approval:respond': (payload: ApprovalRespondPayload, ack?: (res: ApprovalRespondAck) => void) => void;
  'command:progress': (payload: CommandProgressPayload, ack?: (res: SimpleAck) => void) => void;
  'command:result': (payload: CommandResultPayload, ack?: (res: SimpleAck) => void) => void;
  'command:claim': (payload: CommandClaimPayload, ack?: (res: CommandClaimAck) => void) => void;
  'command:pending': (payload: CommandPendingPayload, ack?: (res: CommandPendingAck) => void) => void;
}

export interface ServerToClientEvents {
  'chat:message': (message: ChatMessageDto) => void;
  'chat:chunk': (chunk: ChatChunkEvent) => void;
  'chat:end': (end: ChatEndEvent) => void;
  'log:new': (log: LogDto) => void;
  'presence:update': (update: PresenceUpdateEvent) => void;
  'agent:card': (card: AgentCardEvent) => void;
  'approval:requested': (approval: ApprovalRequestedEvent) => void;
  'approval:updated': (update: ApprovalUpdatedEvent) => void;
  'approval:expiring': (warning: ApprovalExpiringEvent) => void;
  'command:run': (run: CommandRunEvent) => void;
  'command:cancel': (cancel: CommandCancelEvent) => void;
  'command:progress': (progress: CommandProgressEvent) => void;
  'monitor:event': (event: MonitorEvent) => void;
  'conversation:updated': (conversation: ConversationDto) => void;
  'conversation:removed': (removed: ConversationRemovedEvent) => void;
  'policy:review': (review: PolicyReviewEvent) => void;
  'sync:hint': (hint: SyncHintEvent) => void;
  error: (error: SocketErrorEvent) => void;
}

/**
 * Pushed by a node to its own sockets when pushes may have been lost on the way (see docs/protocol.md,
 * "Catching up"): the receiver should catch up from the database now, exactly as after a reconnect.
 * `adapter`: this node's link to the other nodes (Redis) came back; `peer`: another node went silent
 * (killed) and may have died between a commit and its push.
 */
export interface SyncHintEvent {
  reason: 'adapter' | 'peer';
}

/**
 * Socket.IO `connect_error` data when the handshake is refused: UNAUTHORIZED (bad, missing or revoked
 * token: do not retry with it) or UNAVAILABLE (the hub could not check it right now: retry later).
 */
export interface HandshakeErrorData {
  /**
   * Also RATE_LIMITED (this address made too many refused handshakes this minute) and TOO_MANY_SOCKETS
   * (the actor already holds its cap of sockets on this node): retry later, like UNAVAILABLE.
   */
  code: 'UNAUTHORIZED' | 'UNAVAILABLE' | 'RATE_LIMITED' | 'TOO_MANY_SOCKETS';
}
