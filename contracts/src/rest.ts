import type { ActorKind, AgentCommandCard, HumanRole, LogLevel, UserDto } from './actors';

/** Keyset-paginated list: pass `nextCursor` as `before` to get the next (older) page. */
export interface Page<T> {
  items: T[];
  nextCursor: number | null;
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
  | 'PENDING'
  | 'APPROVED'
  | 'REJECTED'
  | 'EXPIRED'
  | 'RUNNING'
  | 'SUCCEEDED'
  | 'FAILED'
  | 'TIMED_OUT';

export type DecisionChannel = 'SOCKET' | 'REST' | 'RULE';

export interface ApprovalDto {
  id: number;
  conversationId: number | null;
  requestedBy: number;
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
  result: string | null;
  createdAt: string;
  expiresAt: string;
}

export interface ApprovalDecisionRequest {
  approved: boolean;
  command?: string;
  reason?: string;
  remember?: 'always';
}

export interface AllowRuleDto {
  id: number;
  agentId: number;
  agentName: string;
  commandName: string;
  createdBy: number;
  createdAt: string;
}

export type CommandStatus = 'PENDING' | 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'CANCELLED';

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
