import type { Locale } from '@echocenter/contracts';

/** The words around a command's output, per language; the output itself and the agent's error stay as they are. */
export interface OutcomeText {
  noOutput: string;
  failed(error: string | null): string;
  timedOut: string;
  cancelled(reason: string | null): string;
  expired(agent: string): string;
  waiting(agent: string): string;
  running: string;
}

export const OUTCOME_TEXT: Record<Locale, OutcomeText> = {
  en: {
    noOutput: '(no output)',
    failed: (error) => `failed: ${error ?? 'unknown error'}`,
    timedOut: 'no answer before the deadline (timed out)',
    cancelled: (reason) => `cancelled${reason ? `: ${reason}` : ''}`,
    expired: (agent) => `never ran: ${agent} did not come online in time (expired)`,
    waiting: (agent) => `waiting for ${agent} to come online`,
    running: 'still running',
  },
  'zh-CN': {
    noOutput: '（没有输出）',
    failed: (error) => `失败：${error ?? '未知错误'}`,
    timedOut: '截止时间前没有回应（超时）',
    cancelled: (reason) => `已取消${reason ? `：${reason}` : ''}`,
    expired: (agent) => `没有执行：${agent} 未能按时上线（已过期）`,
    waiting: (agent) => `等待 ${agent} 上线`,
    running: '仍在执行',
  },
};
