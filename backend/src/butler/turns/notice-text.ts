import type { Locale } from '@echocenter/contracts';

/**
 * What a thread hears without anyone asking (an approval decided or expired, a queued command's end, a turn
 * that failed), per language: the thread's own (Conversation.locale). Commands, agent names, reasons people
 * typed and agents' output stay as they are; times are said in words, never as timestamps.
 */
export interface NoticeText {
  rejected(id: number, command: string, agent: string, by: string | null, reason: string | null): string;
  expired(id: number, command: string, agent: string): string;
  approved(
    id: number,
    command: string,
    agent: string,
    editedFrom: string | null,
    by: string | null,
    reason: string | null,
    ran: boolean,
  ): string;
  /** Follows `approved` directly: it carries its own leading space where the language puts one. */
  outputInCard(agent: string): string;
  approvedButOffline(id: number, command: string, agent: string, until: string): string;
  queuedExpired(command: string, agent: string): string;
  queuedCancelled(command: string, agent: string, reason: string | null): string;
  queuedRan(command: string, agent: string, outcome: string): string;
  threadMissing(id: number | null): string;
  turnFailed: string;
}

const EN: NoticeText = {
  rejected: (id, command, agent, by, reason) =>
    `Approval #${id} for "${command}" on ${agent} was rejected${by ? ` by ${by}` : ''}${reason ? ` (reason: ${reason})` : ''}. Nothing was run.`,
  expired: (id, command, agent) =>
    `Approval #${id} for "${command}" on ${agent} expired without a decision. Nothing was run.`,
  approved: (id, command, agent, editedFrom, by, reason, ran) =>
    `Approval #${id}: "${command}" on ${agent}${editedFrom ? ` (edited from "${editedFrom}")` : ''} was approved${by ? ` by ${by}` : ''}${reason ? ` (reason: ${reason})` : ''} and ${ran ? 'ran' : 'did not complete'}.`,
  outputInCard: (agent) => ` ${agent}'s output is in the approval card above.`,
  approvedButOffline: (id, command, agent, until) =>
    `Approval #${id}: "${command}" was approved, but ${agent} is offline: waiting for ${agent} to come online (it gives up ${until}). The result will come back to this thread.`,
  queuedExpired: (command, agent) =>
    `"${command}" on ${agent} expired: ${agent} did not come online in time. Nothing was run.`,
  queuedCancelled: (command, agent, reason) => `"${command}" on ${agent} was cancelled${reason ? ` (${reason})` : ''}.`,
  queuedRan: (command, agent, outcome) => `${agent} came online and ran "${command}" → ${outcome}`,
  threadMissing: (id) => `Thread #${id} does not exist or is not yours.`,
  turnFailed: '⚠️ Something went wrong on my side while answering; please try again.',
};

const ZH: NoticeText = {
  rejected: (id, command, agent, by, reason) =>
    `审批 #${id}（${agent} 上的“${command}”）已被${by ? ` ${by} ` : ''}拒绝${reason ? `（理由：${reason}）` : ''}。没有执行任何操作。`,
  expired: (id, command, agent) => `审批 #${id}（${agent} 上的“${command}”）无人决定，已过期。没有执行任何操作。`,
  approved: (id, command, agent, editedFrom, by, reason, ran) =>
    `审批 #${id}：${agent} 上的“${command}”${editedFrom ? `（由“${editedFrom}”修改而来）` : ''}已被${by ? ` ${by} ` : ''}批准${reason ? `（理由：${reason}）` : ''}，${ran ? '已执行' : '未能完成'}。`,
  outputInCard: (agent) => `${agent} 的输出见上方的审批卡片。`,
  approvedButOffline: (id, command, agent, until) =>
    `审批 #${id}：“${command}”已批准，但 ${agent} 当前离线：等它上线后执行（${until}放弃）。结果会回到这个对话。`,
  queuedExpired: (command, agent) => `${agent} 上的“${command}”已过期：${agent} 未能按时上线。没有执行任何操作。`,
  queuedCancelled: (command, agent, reason) => `${agent} 上的“${command}”已取消${reason ? `（${reason}）` : ''}。`,
  queuedRan: (command, agent, outcome) => `${agent} 上线后执行了“${command}”→ ${outcome}`,
  threadMissing: (id) => `对话 #${id} 不存在或不属于你。`,
  turnFailed: '⚠️ 我这边回答时出了问题，请再试一次。',
};

export const NOTICE_TEXT: Record<Locale, NoticeText> = { en: EN, 'zh-CN': ZH };
