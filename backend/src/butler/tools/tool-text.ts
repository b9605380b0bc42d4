import type { Locale } from '@echocenter/contracts';

/**
 * What the tools say in their results' `message`, per language: the offline brain shows these to the operator
 * as they are, and a model reads them (so they are in the operator's language too). Times come in words
 * ("in 15 minutes"), never as timestamps: a model repeats what it reads.
 */
export interface ToolText {
  noAgent(ref: string): string;
  noCommand: string;
  noQuestion: string;
  disabled(agent: string): string;
  disabledNotAsked(agent: string): string;
  requested(id: number, command: string, agent: string, expires: string): string;
  queued(agent: string, command: string, until: string): string;
  answered(agent: string): string;
  questionTimedOut(agent: string, id: number): string;
  questionOffline(agent: string): string;
  questionFailed(error: string): string;
}

export const TOOL_TEXT: Record<Locale, ToolText> = {
  en: {
    noAgent: (ref) => `There is no agent named ${ref}.`,
    noCommand: 'No command was given.',
    noQuestion: 'No question was given.',
    disabled: (agent) => `${agent} is disabled, so nothing was sent.`,
    disabledNotAsked: (agent) => `${agent} is disabled, so it was not asked.`,
    requested: (id, command, agent, expires) =>
      `Approval #${id} was requested: "${command}" on ${agent} runs once an admin approves it (it expires ${expires}). The result will come back to this thread.`,
    queued: (agent, command, until) =>
      `${agent} is offline: "${command}" is queued, waiting for ${agent} to come online (it gives up ${until}). The result will come back to this thread.`,
    answered: (agent) => `${agent} answered (its words are in "answer").`,
    questionTimedOut: (agent, id) => `${agent} did not answer in time (question #${id}).`,
    questionOffline: (agent) =>
      `${agent} is offline, so it was not asked. Questions do not wait: ask again once it is online.`,
    questionFailed: (error) => `The question could not be sent: ${error}`,
  },
  'zh-CN': {
    noAgent: (ref) => `没有名为 ${ref} 的智能体。`,
    noCommand: '没有给出命令。',
    noQuestion: '没有给出问题。',
    disabled: (agent) => `${agent} 已停用，没有发送任何内容。`,
    disabledNotAsked: (agent) => `${agent} 已停用，没有向它提问。`,
    requested: (id, command, agent, expires) =>
      `已发起审批 #${id}：${agent} 上的“${command}”在管理员批准后执行（${expires}过期）。结果会回到这个对话。`,
    queued: (agent, command, until) =>
      `${agent} 当前离线：“${command}”已排队，等它上线后执行（${until}放弃）。结果会回到这个对话。`,
    answered: (agent) => `${agent} 已回答（它的原话在 "answer" 中）。`,
    questionTimedOut: (agent, id) => `${agent} 没有按时回答（问题 #${id}）。`,
    questionOffline: (agent) => `${agent} 当前离线，没有向它提问。问题不会排队：等它上线后再问。`,
    questionFailed: (error) => `问题没能发出：${error}`,
  },
};
