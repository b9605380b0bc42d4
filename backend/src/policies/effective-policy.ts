import type { AgentCommandCard, CommandPolicy as Policy } from '@echocenter/contracts';

/** What a policy row must say for these rules; the entity satisfies it. */
export interface PolicyDecision {
  readOnly: boolean;
  confirmedArgs: string | null;
  destructive: boolean;
  needsReview: boolean;
}

/** A card's args as stored: absent and empty mean the same. */
export function normalizeArgs(args: string | null | undefined): string | null {
  return args ? args : null;
}

/** A read-only confirmation covers the card it was made for: the claim still made, the args unchanged. */
export function confirmationHolds(card: AgentCommandCard, decision: PolicyDecision): boolean {
  return decision.readOnly && card.readOnly === true && normalizeArgs(card.args) === decision.confirmedArgs;
}

/**
 * The hub's rule: destructive wins; read-only only when an admin confirmed this very claim; anything
 * else (no decision, a command not on the card, a changed card) needs approval.
 */
export function effectivePolicy(card: AgentCommandCard | undefined, decision: PolicyDecision | undefined): Policy {
  // The agent's own warning counts as much as an admin's mark: believing more danger never lets anything through.
  if (decision?.destructive || card?.destructive) return 'DESTRUCTIVE';
  if (card && decision && confirmationHolds(card, decision)) return 'READ_ONLY';
  return 'NEEDS_APPROVAL';
}

/** Why a confirmation no longer holds for the new card, or null when it still does. */
export function resetReason(card: AgentCommandCard, decision: PolicyDecision): string | null {
  if (!decision.readOnly || confirmationHolds(card, decision)) return null;
  if (card.readOnly !== true) return 'no longer claims read-only';
  return `args changed: ${quote(decision.confirmedArgs)} → ${quote(normalizeArgs(card.args))}`;
}

/** The card as the hub sends it: each command with its effective policy (the claim stays beside it). */
export function withPolicies(
  commands: AgentCommandCard[] | null,
  decisions: ReadonlyMap<string, PolicyDecision>,
): AgentCommandCard[] {
  return (commands ?? []).map((c) => {
    const decision = decisions.get(c.name);
    return {
      name: c.name,
      ...(c.description !== undefined && { description: c.description }),
      ...(c.args !== undefined && { args: c.args }),
      ...(c.readOnly !== undefined && { readOnly: c.readOnly }),
      ...(c.destructive !== undefined && { destructive: c.destructive }),
      ...(c.argsSchema !== undefined && { argsSchema: c.argsSchema }),
      policy: effectivePolicy(c, decision),
      ...(decision?.needsReview && { needsReview: true }),
    };
  });
}

function quote(args: string | null): string {
  return args === null ? '(none)' : `"${args}"`;
}
