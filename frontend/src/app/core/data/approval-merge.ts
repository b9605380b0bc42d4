import type { ApprovalDto, ApprovalRequestedEvent, ApprovalStatus, ApprovalUpdatedEvent } from '@echocenter/contracts';

/** An approval as a console view holds it: the DTO plus the server's "about to expire" warning. */
export interface ApprovalView extends ApprovalDto {
  expiring?: boolean;
}

const ORDER: Record<ApprovalStatus, number> = {
  PENDING: 0, APPROVED: 1, REJECTED: 2, EXPIRED: 2, RUNNING: 2, SUCCEEDED: 3, FAILED: 3, TIMED_OUT: 3,
};

/**
 * Adds or refreshes one approval in an id map; the same map when nothing changes. A late echo never moves
 * an approval back to an earlier status, and only a waiting one keeps its expiry warning.
 */
export function mergeApproval<T extends ApprovalView>(m: ReadonlyMap<number, T>, a: T): ReadonlyMap<number, T> {
  const prev = m.get(a.id);
  if (prev && ORDER[prev.status] > ORDER[a.status]) return m;
  const next = new Map(m);
  next.set(a.id, { ...prev, ...a, expiring: a.status === 'PENDING' ? (a.expiring ?? prev?.expiring) : false });
  return next;
}

/** What an `approval:updated` event makes of a known approval (events without the whole approval carry only the changes). */
export function applyUpdateTo(prev: ApprovalView, e: ApprovalUpdatedEvent): ApprovalView {
  if (e.approval) return { ...e.approval, status: e.status };
  return { ...prev, status: e.status, decidedBy: e.decidedBy ?? prev.decidedBy, decidedAt: e.decidedAt ?? prev.decidedAt, result: e.result ?? prev.result };
}

/** A just-requested approval as a whole DTO (nothing is decided yet). */
export function fromRequested(e: ApprovalRequestedEvent): ApprovalView {
  return {
    ...e,
    // Older hubs leave it out; the approver is shown which token asked ("via token …").
    requestedViaTokenId: e.requestedViaTokenId ?? null,
    proposedCommand: e.command,
    executedCommand: null,
    decidedBy: null,
    decidedByName: null,
    decidedAt: null,
    decisionChannel: null,
    decisionReason: null,
    commandId: null,
    result: null,
    outcome: null,
  };
}
