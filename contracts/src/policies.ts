import type { CommandPolicy } from './actors';

/**
 * One command of an agent as the hub rules it (GET /api/agents/:id/policies): the card's claim beside
 * what an admin decided. The card only proposes read-only; the hub runs a command at once only when an
 * admin confirmed that claim for these args (or the hub did, for its own demo fleet).
 */
export interface CommandPolicyDto {
  agentId: number;
  command: string;
  /** From the agent's current card. */
  args: string | null;
  description: string | null;
  /** The card's claim that the command only reads. */
  claimsReadOnly: boolean;
  /** An admin confirmed the claim, for the args it was confirmed with. */
  readOnlyConfirmed: boolean;
  /** An admin marked it destructive: every run asks a human, allow-rules never cover it. */
  destructive: boolean;
  /** The effective policy. */
  policy: CommandPolicy;
  /** A card change undid a confirmation; cleared by the next admin decision on this command. */
  needsReview: boolean;
  /** Why it needs review, e.g. `no longer claims read-only`. */
  reviewReason: string | null;
  /** Who decided last: an admin's name, `system` for the demo fleet; null when nobody has. */
  decidedByName: string | null;
  decidedAt: string | null;
}

/** PUT /api/agents/:id/policies/:command — at least one field. */
export interface UpdateCommandPolicyRequest {
  /** true confirms the card's read-only claim (and unmarks destructive); false revokes it. */
  readOnly?: boolean;
  /** true marks the command destructive (and revokes read-only); false unmarks it. */
  destructive?: boolean;
}
