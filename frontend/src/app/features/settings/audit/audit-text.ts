import type { AuditAction } from '@echocenter/contracts';
import type { MessageKey } from '../../../core/i18n/messages.en';

/** A label for every action the backend records (the contract's list: a new one fails to compile here). */
export const ACTION_TEXT: Readonly<Record<AuditAction, MessageKey>> = {
  'user.created': 'audit.action.user.created',
  'user.updated': 'audit.action.user.updated',
  'user.deleted': 'audit.action.user.deleted',
  'user.sessions_revoked': 'audit.action.user.sessions_revoked',
  'agent.registered': 'audit.action.agent.registered',
  'agent.token_rotated': 'audit.action.agent.token_rotated',
  'agent.deleted': 'audit.action.agent.deleted',
  'ssh_key.added': 'audit.action.ssh_key.added',
  'ssh_key.generated': 'audit.action.ssh_key.generated',
  'ssh_key.deleted': 'audit.action.ssh_key.deleted',
  'node.created': 'audit.action.node.created',
  'node.updated': 'audit.action.node.updated',
  'node.deleted': 'audit.action.node.deleted',
  'node.tested': 'audit.action.node.tested',
  'node.host_key_confirmed': 'audit.action.node.host_key_confirmed',
  'node.key_released': 'audit.action.node.key_released',
  'node.key_refused': 'audit.action.node.key_refused',
  'mcp_server.created': 'audit.action.mcp_server.created',
  'mcp_server.removed': 'audit.action.mcp_server.removed',
  'mcp_server.restarted': 'audit.action.mcp_server.restarted',
  'access_token.created': 'audit.action.access_token.created',
  'access_token.revoked': 'audit.action.access_token.revoked',
  'rule.created': 'audit.action.rule.created',
  'rule.revoked': 'audit.action.rule.revoked',
  'policy.confirmed': 'audit.action.policy.confirmed',
  'policy.revoked': 'audit.action.policy.revoked',
  'policy.destructive': 'audit.action.policy.destructive',
  'policy.reset': 'audit.action.policy.reset',
  'approval.approved': 'audit.action.approval.approved',
  'approval.rejected': 'audit.action.approval.rejected',
  'approval_link.sign_in_failed': 'audit.action.approval_link.sign_in_failed',
  'channel.created': 'audit.action.channel.created',
  'channel.updated': 'audit.action.channel.updated',
  'channel.deleted': 'audit.action.channel.deleted',
  'channel.tested': 'audit.action.channel.tested',
  'notification.retried': 'audit.action.notification.retried',
};

/** The label of a recorded action; undefined for one this console does not know (an older console). */
export function actionText(action: string): MessageKey | undefined {
  return Object.hasOwn(ACTION_TEXT, action) ? ACTION_TEXT[action as AuditAction] : undefined;
}

export const TARGET_TYPE_TEXT: Readonly<Record<string, MessageKey>> = {
  user: 'audit.type.user',
  agent: 'audit.type.agent',
  rule: 'audit.type.rule',
  policy: 'audit.type.policy',
  node: 'settings.nodes',
  ssh_key: 'settings.sshKeys',
  access_token: 'audit.type.access_token',
  approval: 'audit.type.approval',
  channel: 'audit.type.channel',
  notification: 'audit.type.notification',
};

/**
 * Names and details come from admins and agents: control and bidi characters (which can reorder or hide
 * text on screen) are shown as their code points instead of acting.
 */
export function visible(text: string): string {
  return text.replace(
    /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g,
    (c) => `\\u{${c.codePointAt(0)!.toString(16).toUpperCase()}}`,
  );
}

/** `details` as short "key: value" lines; values that are not text are shown as JSON. */
export function detailLines(details: Record<string, unknown> | null): string[] {
  if (!details) return [];
  return Object.entries(details).map(([key, value]) =>
    visible(`${key}: ${typeof value === 'string' ? value : JSON.stringify(value)}`),
  );
}
