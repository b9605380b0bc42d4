/** Every party that can send or receive a message is an actor with one numeric id in one id space. */
export type ActorKind = 'ADMIN' | 'MEMBER' | 'AGENT' | 'BUTLER';
export type HumanRole = 'ADMIN' | 'MEMBER';
export type LogLevel = 'INFO' | 'SUCCESS' | 'WARNING' | 'ERROR';
export type AgentStatus = 'ONLINE' | 'OFFLINE' | 'DISABLED';

export interface UserDto {
  id: number;
  username: string;
  role: HumanRole;
  disabled: boolean;
  createdAt: string;
  lastSeenAt: string | null;
}

export interface AgentCommandCard {
  name: string;
  description?: string;
  /** Free-form hint of the arguments, e.g. "<name>" or "<pattern>". */
  args?: string;
  /** The agent's claim that the command only reads. A claim only: the hub decides (see `policy`). */
  readOnly?: boolean;
  /**
   * The agent's warning that the command may destroy something. Honoured as it is given (a claim of more
   * danger is safe to believe): every run asks a human, allow-rules never cover it.
   */
  destructive?: boolean;
  /** A JSON Schema of the arguments (an MCP tool's input schema): the args are then one JSON object. */
  argsSchema?: Record<string, unknown>;
  /** Effective policy, decided by the hub (admins confirm read-only per agent and command). Set on cards the hub sends, ignored on cards agents send. */
  policy?: CommandPolicy;
  /** Set on cards the hub sends: a card change undid an admin's read-only confirmation; an admin should look again. */
  needsReview?: boolean;
}

/**
 * What running a command takes. READ_ONLY: runs at once (an admin confirmed the agent's claim);
 * NEEDS_APPROVAL: a human approves each run, or an allow-rule does; DESTRUCTIVE: a human approves every
 * run, allow-rules never cover it.
 */
export type CommandPolicy = 'READ_ONLY' | 'NEEDS_APPROVAL' | 'DESTRUCTIVE';

export interface AgentCard {
  description?: string;
  version?: string;
  commands: AgentCommandCard[];
}

export interface AgentDto {
  id: number;
  name: string;
  description: string | null;
  version: string | null;
  commands: AgentCommandCard[];
  online: boolean;
  status: AgentStatus;
  lastSeenAt: string | null;
  lastReport: string | null;
  lastReportAt: string | null;
  tokenHint: string | null;
  tokenRotatedAt: string | null;
  createdAt: string;
}

/** Returned once, when an agent is registered or its token rotated. */
export interface AgentWithTokenDto {
  agent: AgentDto;
  token: string;
}

export interface ButlerDto {
  id: number;
  name: string;
  kind: 'BUTLER';
  /** "offline" when no model is configured, else the model name. */
  brain: string;
  /** Whether a requester may decide their own approvals (APPROVAL_REQUESTER_MAY_APPROVE); admins always may. */
  requesterMayApprove: boolean;
  /**
   * Whether the model can use tools: false when `butler.tools` is off or the model refused them (it then
   * answers in words; explicit commands such as "ask X to Y" still work); true when on or seen working;
   * null with the offline brain or while not known yet.
   */
  modelTools: boolean | null;
}

export interface ActorRef {
  id: number;
  name: string;
  kind: ActorKind;
}
