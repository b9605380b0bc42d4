import type { AuditEntryDto } from '@echocenter/contracts';

/** One entry of GET /api/audit: an admin created a member by default. */
export function auditEntry(overrides: Partial<AuditEntryDto> = {}): AuditEntryDto {
  return {
    id: 1,
    actorId: 1,
    actorName: 'admin',
    action: 'user.created',
    targetType: 'user',
    targetId: 7,
    targetName: 'dave',
    details: { role: 'MEMBER' },
    createdAt: '2026-12-05T10:00:00Z',
    ...overrides,
  };
}
