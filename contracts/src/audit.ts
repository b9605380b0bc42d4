/** One admin action on users, agents, rules or policies (GET /api/audit). */
export interface AuditEntryDto {
  id: number;
  actorId: number | null;
  actorName: string;
  /** Dotted verb, e.g. `user.updated`, `rule.created`, `policy.confirmed`. */
  action: string;
  targetType: string;
  targetId: number | null;
  targetName: string | null;
  details: Record<string, unknown> | null;
  createdAt: string;
}
