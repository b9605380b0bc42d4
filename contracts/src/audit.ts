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

/**
 * Every action the backend records (AuditService.record takes only these), so the console can label each
 * one in every language: a new action is a compile error until Settings → Audit has its text.
 */
export type AuditAction =
  | 'user.created'
  | 'user.updated'
  | 'user.deleted'
  | 'user.sessions_revoked'
  | 'agent.registered'
  | 'agent.token_rotated'
  | 'agent.deleted'
  | 'rule.created'
  | 'rule.revoked'
  | 'policy.confirmed'
  | 'policy.revoked'
  | 'policy.destructive'
  | 'policy.reset'
  | 'approval.approved'
  | 'approval.rejected'
  | 'approval_link.sign_in_failed'
  | 'channel.created'
  | 'channel.updated'
  | 'channel.deleted'
  | 'channel.tested'
  | 'notification.retried'
  | 'ssh_key.added'
  | 'ssh_key.generated'
  | 'ssh_key.deleted'
  | 'node.created'
  | 'node.updated'
  | 'node.deleted'
  | 'node.tested'
  | 'node.host_key_confirmed'
  | 'node.key_released'
  | 'node.key_refused'
  | 'mcp_server.created'
  | 'mcp_server.restarted'
  | 'mcp_server.removed'
  | 'access_token.created'
  | 'access_token.revoked';
