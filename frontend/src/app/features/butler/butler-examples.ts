import type { Lang } from '../../core/i18n/i18n.service';

/**
 * Example prompts for the Butler home that work with the brain in charge: the offline brain understands only
 * its fixed phrases (in either language, backend offline-intents.ts), a model understands plain requests.
 */
export function butlerExamples(brain: string | null, lang: Lang, agent: string | null): string[] {
  const name = agent ?? 'Echo-Bot';
  if (brain === 'offline') {
    return lang === 'zh-CN'
      ? ['列出智能体', `查看 ${name} 的状态`, '最近的错误', `让 ${name} 执行 get_status`, '帮助']
      : ['list agents', `status of ${name}`, 'recent errors', `ask ${name} to get_status`, 'help'];
  }
  return lang === 'zh-CN'
    ? ['哪些智能体离线了？', `${name} 最近报告了什么？`, '过去一小时有错误吗？', '磁盘快满了吗？']
    : [
        'Which agents are offline?',
        `What did ${name} report last?`,
        'Any errors in the last hour?',
        'Is a disk filling up?',
      ];
}
