/**
 * Issue 27's strings (a console that reads well in both languages), kept apart from the main catalogs so
 * parallel changes to those merge cleanly. Typed like the inbox's: a key missing in one language fails the build.
 */
export const CONSOLE_EN = {
  'actor.butler': 'Butler',
  'butler.brainOffline': 'offline (no model)',
  'prefs.languageName': '{lang} · Switch language',
  'butler.examples': 'Try one of these',
  'approval.heading.PENDING': 'Approval requested',
  'approval.heading.APPROVED': 'Command approved',
  'approval.heading.RUNNING': 'Command running',
  'approval.heading.SUCCEEDED': 'Command succeeded',
  'approval.heading.FAILED': 'Command failed',
  'approval.heading.TIMED_OUT': 'Command timed out',
  'approval.heading.REJECTED': 'Request rejected',
  'approval.heading.EXPIRED': 'Request expired',
  'approval.byRule': 'allowed by {rule}',
  'security.defaultPassword': 'You signed in with the default admin password, which anyone can look up.',
  'security.changePassword': 'Change it now',
  'agent.roBadge': 'RO',
  'agent.destructiveBadge': '!',
  'agent.chatOffline': 'Chat (offline, messages wait)',
  'agent.chatOfflineHint': '{name} is offline: what you write is kept and it reads it when it reconnects.',
};

export const CONSOLE_ZH_CN: Record<keyof typeof CONSOLE_EN, string> = {
  'actor.butler': '管家',
  'butler.brainOffline': '离线（无模型）',
  'prefs.languageName': '{lang} · 切换语言',
  'butler.examples': '试试这些',
  'approval.heading.PENDING': '请求审批',
  'approval.heading.APPROVED': '命令已批准',
  'approval.heading.RUNNING': '命令执行中',
  'approval.heading.SUCCEEDED': '命令执行成功',
  'approval.heading.FAILED': '命令执行失败',
  'approval.heading.TIMED_OUT': '命令超时',
  'approval.heading.REJECTED': '请求已拒绝',
  'approval.heading.EXPIRED': '请求已过期',
  'approval.byRule': '由 {rule} 放行',
  'security.defaultPassword': '你正在使用默认管理员密码，任何人都能查到它。',
  'security.changePassword': '立即修改',
  'agent.roBadge': '只读',
  'agent.destructiveBadge': '！',
  'agent.chatOffline': '对话（离线，消息待送达）',
  'agent.chatOfflineHint': '{name} 当前离线：你写的消息会保留，它重新连接后会读到。',
};
