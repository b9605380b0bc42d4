import type { ActorKind, AgentCommandCard, CommandPolicy, HumanRole, LogLevel, UserDto } from './actors';

/** Keyset-paginated list: pass `nextCursor` as `before` to get the next (older) page. */
export interface Page<T> {
  items: T[];
  nextCursor: number | null;
}

/**
 * `GET /api/chat/inbox?after=`: messages addressed to the caller with an id above `after`, oldest first;
 * `nextCursor` (when not null) is the next `after` (more may exist). `mark` is the newest message id of the
 * hub when read: without `after` the page is empty and `mark` is where a new receiver starts.
 */
export interface InboxPage extends Page<ChatMessageDto> {
  mark: number;
}

export interface LoginRequest {
  username: string;
  password: string;
}

export interface LoginResponse {
  accessToken: string;
  /** Seconds until the token expires. */
  expiresIn: number;
  user: UserDto;
  /** An admin signed in with the built-in default password (admin123): the console asks them to change it. */
  defaultPassword?: boolean;
}

export interface CreateUserRequest {
  username: string;
  password: string;
  role?: HumanRole;
}

export interface UpdateUserRequest {
  role?: HumanRole;
  disabled?: boolean;
  password?: string;
}

export interface RegisterAgentRequest {
  name: string;
  description?: string;
}

export interface TestConnectionRequest {
  token: string;
}

export interface TestConnectionResponse {
  valid: boolean;
}

export interface LogDto {
  id: number;
  agentId: number | null;
  agentName: string | null;
  level: LogLevel;
  content: string;
  createdAt: string;
}

export interface CreateLogRequest {
  level: LogLevel;
  content: string;
  /** Chosen by the reporter: a repeated one returns the log already stored instead of storing another. */
  localId?: string;
}

export interface LogQuery {
  agentId?: number;
  /** One level or several, comma-separated. */
  level?: LogLevel | string;
  q?: string;
  since?: string;
  until?: string;
  before?: number;
  /** Items with id > after, oldest first (catch-up after a reconnect). */
  after?: number;
  limit?: number;
}

export interface ChatMessageDto {
  id: number;
  localId?: string | null;
  conversationId?: number | null;
  senderId: number;
  senderName: string;
  senderKind: ActorKind;
  targetId: number;
  text: string;
  streamId?: string | null;
  createdAt: string;
}

export interface HealthResponse {
  status: 'ok' | 'error';
  info?: Record<string, { status: string }>;
  error?: Record<string, { status: string; message?: string }>;
}

// ---- Butler -------------------------------------------------------------------------------------

export interface ConversationDto {
  id: number;
  ownerId: number;
  title: string;
  pinned: boolean;
  archived: boolean;
  createdAt: string;
  updatedAt: string;
  lastMessageAt: string | null;
}

export interface CreateConversationRequest {
  title?: string;
}

export interface UpdateConversationRequest {
  title?: string;
  pinned?: boolean;
  archived?: boolean;
}

export type ApprovalStatus =
  'PENDING' | 'APPROVED' | 'REJECTED' | 'EXPIRED' | 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT';

export type DecisionChannel = 'SOCKET' | 'REST' | 'RULE' | 'LINK';

/**
 * How a command ended: `output` (the output is the approval's `result`), `no_output`, `failed`, `timed_out`,
 * `cancelled` (by a person, with their reason), `expired` (queued for an agent that never came online).
 */
export type CommandOutcomeKind = 'output' | 'no_output' | 'failed' | 'timed_out' | 'cancelled' | 'expired';

export interface CommandOutcome {
  kind: CommandOutcomeKind;
  /** The agent's error (`failed`) or the cancel reason (`cancelled`) as written, never translated; else null. */
  detail: string | null;
}

export interface ApprovalDto {
  id: number;
  conversationId: number | null;
  requestedBy: number;
  /** The requester's personal access token it came with (its id on the Personal tokens page); null: a console session. */
  requestedViaTokenId: number | null;
  agentId: number;
  agentName: string;
  command: string;
  /** The command as the Butler proposed it, before any edit by the approver. */
  proposedCommand: string;
  /** The command text that ran (after an edit), once it ran. */
  executedCommand: string | null;
  reasoning: string;
  status: ApprovalStatus;
  decidedBy: number | null;
  decidedByName: string | null;
  decidedAt: string | null;
  decisionChannel: DecisionChannel | null;
  decisionReason: string | null;
  commandId: number | null;
  /**
   * Once its command ended: the output as the agent sent it, else an English line for logs and older
   * clients ("failed: …", "cancelled: …"). A console shows `outcome` instead, in its reader's language.
   */
  result: string | null;
  /** How its command ended (null until it has): for a console to word in its reader's language. */
  outcome: CommandOutcome | null;
  /** The command's effective policy when it was requested: NEEDS_APPROVAL or DESTRUCTIVE. */
  policy: CommandPolicy;
  /**
   * What the approval covers beyond its text, fixed when it was requested: for an ops command the node
   * names its target (`web-1` or `tag:web`) named then. Only these run; null when the command has no such scope.
   */
  targets: string[] | null;
  createdAt: string;
  expiresAt: string;
}

/** How far an "always allow" reaches. Default: the exact command text, any requester, 30 days. */
export interface AllowRuleScope {
  /** Glob over the whole command text (picomatch, e.g. `restart_service web-*`). Default: the exact command. */
  pattern?: string;
  /** Only when this user asks (by default the approval's requester may be chosen); absent or null: anyone. */
  requesterId?: number | null;
  /** 1–365 days; default 30. */
  expiresInDays?: number;
}

export interface ApprovalDecisionRequest {
  approved: boolean;
  command?: string;
  reason?: string;
  remember?: 'always';
  /** With `remember: 'always'`: how far the rule reaches. */
  rule?: AllowRuleScope;
}

export interface AllowRuleDto {
  id: number;
  agentId: number;
  agentName: string;
  commandName: string;
  /** Glob the whole command text must match (the exact text when made with the default). */
  pattern: string;
  requesterId: number | null;
  requesterName: string | null;
  createdBy: number;
  createdByName: string;
  /** The approval it was made from. */
  approvalId: number | null;
  createdAt: string;
  expiresAt: string | null;
  /** How often it decided an approval, and when last. */
  hits: number;
  lastUsedAt: string | null;
}

/** GET /api/approvals/:id/context: the last messages of the thread that led to an approval. */
export interface ApprovalContextDto {
  approvalId: number;
  messages: ChatMessageDto[];
}

/** QUEUED: the agent was offline; it runs when the agent connects, or turns EXPIRED at its deadline. */
export type CommandStatus =
  'PENDING' | 'QUEUED' | 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'CANCELLED' | 'EXPIRED';

export interface AgentCommandDto {
  id: number;
  agentId: number;
  command: string;
  args: string | null;
  status: CommandStatus;
  result: string | null;
  error: string | null;
  deadline: string;
  createdAt: string;
  finishedAt: string | null;
}

export interface MonitorEventDto {
  id: number;
  agentId: number;
  direction: 'TO_AGENT' | 'FROM_AGENT';
  commandId: number | null;
  text: string;
  createdAt: string;
}

export type { AgentCommandCard };
