import type { ApprovalDto } from '@echocenter/contracts';

export function approvalDto(overrides: Partial<ApprovalDto> = {}): ApprovalDto {
  return {
    id: 1,
    conversationId: 5,
    requestedBy: 1,
    requestedViaTokenId: null,
    agentId: 7,
    agentName: 'storage-custodian',
    command: 'cleanup /tmp',
    proposedCommand: 'cleanup /tmp',
    executedCommand: null,
    reasoning: 'disk is 97% full',
    status: 'PENDING',
    decidedBy: null,
    decidedByName: null,
    decidedAt: null,
    decisionChannel: null,
    decisionReason: null,
    commandId: null,
    result: null,
    outcome: null,
    policy: 'NEEDS_APPROVAL',
    targets: null,
    createdAt: '2026-01-01T10:00:00Z',
    expiresAt: '2026-01-01T10:05:00Z',
    ...overrides,
  };
}
