/**
 * Issue 27's strings (a console that reads well in both languages), kept apart from the main catalogs so
 * parallel changes to those merge cleanly. Typed like the inbox's: a key missing in one language fails the build.
 */
export const CONSOLE_EN = {
  'actor.butler': 'Butler',
  'butler.brainOffline': 'offline (no model)',
  'prefs.languageName': '{lang} · Switch language',
};

export const CONSOLE_ZH_CN: Record<keyof typeof CONSOLE_EN, string> = {
  'actor.butler': '管家',
  'butler.brainOffline': '离线（无模型）',
  'prefs.languageName': '{lang} · 切换语言',
};
