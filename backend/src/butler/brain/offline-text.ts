import type { Locale } from '@echocenter/contracts';

/** Han characters: a message with any is taken as Chinese when the console did not say its language. */
const HAN = /\p{Script=Han}/u;

/** The language to answer `text` in, when the console did not say (a recovered turn, an older client). */
export function localeOf(text: string): Locale {
  return HAN.test(text) ? 'zh-CN' : 'en';
}

/** "in 15 minutes" / "15 分钟后": a time as people say it, never an ISO timestamp in a sentence. */
export function inWords(at: Date, locale: Locale, now = Date.now()): string {
  const secs = Math.round((at.getTime() - now) / 1000);
  const rtf = new Intl.RelativeTimeFormat(locale, { numeric: 'auto', style: locale === 'zh-CN' ? 'short' : 'long' });
  const abs = Math.abs(secs);
  const text =
    abs < 60
      ? rtf.format(secs, 'second')
      : abs < 3600
        ? rtf.format(Math.round(secs / 60), 'minute')
        : abs < 86400
          ? rtf.format(Math.round(secs / 3600), 'hour')
          : rtf.format(Math.round(secs / 86400), 'day');
  return text.replace(/(\d)(?=\p{Script=Han})/gu, '$1 ');
}

/** Everything the offline brain says, per language. Agent names, commands and agents' own words stay as they are. */
export interface OfflineText {
  help: string;
  notUnderstood: string;
  noAgents: string;
  fleet(count: number, online: number): string;
  agentLine(name: string, id: number, status: string, lastReport: string | null): string;
  agentStatus(name: string, id: number, status: string): string;
  lastReport(report: string | null): string;
  commands(list: string): string;
  noCommands: string;
  unknownAgent(name: string): string;
  noErrors(agent?: string): string;
  errorsHeader(agent?: string): string;
  answered(agent: string, command: string, message: string): string;
  /** The header above an agent's quoted answer to "ask <agent>: <question>". */
  agentAnswered(agent: string): string;
  needsApproval(agent: string, command: string, message: string): string;
  requested(id: number, agent: string, command: string, expires: string): string;
  queued(agent: string, command: string, until: string): string;
  /** The reasoning an approval the offline brain asks for carries (shown on the card). */
  reasoning(operator: string): string;
  /** Who wrote a log line that no agent wrote. */
  hub: string;
  status: Record<string, string>;
  policy: Record<'READ_ONLY' | 'NEEDS_APPROVAL' | 'DESTRUCTIVE', string>;
}

const EN_HELP = [
  'I am running without a language model (offline mode), so I only understand a few fixed phrases.',
  'Try:',
  '• "list agents" — who is there and who is online',
  '• "status of <agent>" — presence, last report and commands of one agent',
  '• "recent errors" (or "recent errors of <agent>")',
  '• "ask <agent> to <command>" or "<agent>: <command>" — read-only commands run at once, others wait for an approval',
  '• "ask <agent>: <question>" — puts a question to the agent in words and shows its answer',
  '• "help" — this list',
  'An admin can connect a model with BUTLER_BASE_URL, BUTLER_API_KEY and BUTLER_MODEL.',
].join('\n');

const ZH_HELP = [
  '我现在没有连接语言模型（离线模式），只能理解几句固定的话。',
  '可以试试：',
  '• “列出智能体” —— 有哪些智能体、谁在线',
  '• “查看 <智能体> 的状态” —— 某个智能体的在线情况、最近报告和命令',
  '• “最近的错误”（或“<智能体> 的最近错误”）',
  '• “让 <智能体> 执行 <命令>” 或 “<智能体>：<命令>” —— 只读命令立即执行，其他命令等待审批',
  '• “问 <智能体>：<问题>” —— 用文字向智能体提问，并显示它的回答',
  '• “帮助” —— 显示这份列表',
  '管理员可以用 BUTLER_BASE_URL、BUTLER_API_KEY 和 BUTLER_MODEL 接入模型。',
].join('\n');

const EN: OfflineText = {
  help: EN_HELP,
  notUnderstood: `I did not understand that. ${EN_HELP}`,
  noAgents: 'No agents are registered yet.',
  fleet: (count, online) => `${count} agent(s), ${online} online:`,
  agentLine: (name, id, status, report) => `• ${name} (#${id}) — ${status}${report ? ` — last report: ${report}` : ''}`,
  agentStatus: (name, id, status) => `${name} (#${id}) is ${status}.`,
  lastReport: (report) => `Last report: ${report ?? 'none yet'}`,
  commands: (list) => `Commands: ${list}`,
  noCommands: 'none declared',
  unknownAgent: (name) => `I know no agent called "${name}". Say "list agents" to see who is there.`,
  noErrors: (agent) => `No recent errors${agent ? ` from ${agent}` : ''}.`,
  errorsHeader: (agent) => `Recent errors${agent ? ` from ${agent}` : ''}:`,
  answered: (agent, command, message) => `${agent} answered "${command}":\n${message}`,
  agentAnswered: (agent) => `${agent} answered:`,
  needsApproval: (agent, command, message) => `"${command}" on ${agent} needs a human approval first. ${message}`,
  requested: (id, agent, command, expires) =>
    `"${command}" on ${agent} needs a human approval first. Approval #${id} was requested: it runs once an admin approves it (it expires ${expires}). The result will come back to this thread.`,
  queued: (agent, command, until) =>
    `${agent} is offline: "${command}" is queued, waiting for ${agent} to come online (it gives up ${until}). The result will come back to this thread.`,
  reasoning: (operator) => `asked by ${operator} in the offline Butler`,
  hub: 'hub',
  status: { ONLINE: 'online', OFFLINE: 'offline', DISABLED: 'disabled' },
  policy: { READ_ONLY: ' (read-only)', NEEDS_APPROVAL: '', DESTRUCTIVE: ' (destructive)' },
};

const ZH: OfflineText = {
  help: ZH_HELP,
  notUnderstood: `我没听懂这句话。${ZH_HELP}`,
  noAgents: '还没有注册任何智能体。',
  fleet: (count, online) => `共 ${count} 个智能体，${online} 个在线：`,
  agentLine: (name, id, status, report) => `• ${name}（#${id}）—— ${status}${report ? ` —— 最近报告：${report}` : ''}`,
  agentStatus: (name, id, status) => `${name}（#${id}）${status}。`,
  lastReport: (report) => `最近报告：${report ?? '暂无'}`,
  commands: (list) => `命令：${list}`,
  noCommands: '未声明',
  unknownAgent: (name) => `没有名为“${name}”的智能体。说“列出智能体”看看有哪些。`,
  noErrors: (agent) => `${agent ? `${agent} ` : ''}最近没有错误。`,
  errorsHeader: (agent) => `${agent ? `${agent} 的` : ''}最近错误：`,
  answered: (agent, command, message) => `${agent} 对“${command}”的回答：\n${message}`,
  agentAnswered: (agent) => `${agent} 的回答：`,
  needsApproval: (agent, command, message) => `${agent} 上的“${command}”需要先经人工审批。${message}`,
  requested: (id, agent, command, expires) =>
    `${agent} 上的“${command}”需要先经人工审批。已发起审批 #${id}：管理员批准后执行（${expires}过期）。结果会回到这个对话。`,
  queued: (agent, command, until) =>
    `${agent} 当前离线：“${command}”已排队，等它上线后执行（${until}放弃）。结果会回到这个对话。`,
  reasoning: (operator) => `${operator} 在离线管家中提出`,
  hub: '中心',
  status: { ONLINE: '在线', OFFLINE: '离线', DISABLED: '已停用' },
  policy: { READ_ONLY: '（只读）', NEEDS_APPROVAL: '', DESTRUCTIVE: '（破坏性）' },
};

export const OFFLINE_TEXT: Record<Locale, OfflineText> = { en: EN, 'zh-CN': ZH };
