/**
 * Issue 27's strings (a console that reads well in both languages), kept apart from the main catalogs so
 * parallel changes to those merge cleanly. Typed like the inbox's: a key missing in one language fails the build.
 */
export const CONSOLE_EN = {
  'actor.butler': 'Butler',
  'butler.brainOffline': 'offline (no model)',
  'prefs.languageName': '{lang} · Switch language',
  'butler.examples': 'Try one of these',
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
  'security.defaultPassword': '你正在使用默认管理员密码，任何人都能查到它。',
  'security.changePassword': '立即修改',
  'agent.roBadge': '只读',
  'agent.destructiveBadge': '！',
  'agent.chatOffline': '对话（离线，消息待送达）',
  'agent.chatOfflineHint': '{name} 当前离线：你写的消息会保留，它重新连接后会读到。',
};
