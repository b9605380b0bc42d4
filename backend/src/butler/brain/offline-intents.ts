/** What the offline brain understood from one message. */
export type OfflineIntent =
  | { kind: 'help' }
  | { kind: 'list_agents' }
  | { kind: 'status'; agent: string }
  | { kind: 'recent_errors'; agent?: string }
  | { kind: 'command'; agent: string; command: string }
  | { kind: 'ask'; agent: string; question: string }
  | { kind: 'unknown' };

const strip = (s: string) =>
  s
    .trim()
    .replace(/^["'“「]|["'”」]$/g, '')
    .replace(/[.!?。！？]+$/, '')
    .trim();

/** Deterministic phrase matching; order matters (the most specific forms first). */
export function parseIntent(raw: string): OfflineIntent {
  const text = raw.trim().replace(/\s+/g, ' ');
  const lower = text.toLowerCase();
  if (/^(help|\?|what can you do\??|commands)$/.test(lower)) return { kind: 'help' };

  // "ask <agent>: <question>" — words for the agent, not a command; the question keeps its punctuation.
  const question = /^(?:please\s+)?ask\s+([\p{L}\p{N}][\p{L}\p{N} ._-]{0,63}?)\s*:\s*(.+)$/iu.exec(text);
  // ("ask X to note: hi" is a command to X, not a question to "X to note".)
  if (question && !/\sto\s/i.test(question[1]))
    return { kind: 'ask', agent: strip(question[1]), question: question[2].trim() };

  const ask = /^(?:please\s+)?(?:ask|tell)\s+(.+?)\s+to\s+(.+)$/i.exec(text);
  if (ask) return { kind: 'command', agent: strip(ask[1]), command: strip(ask[2]) };

  const status =
    /^(?:what(?:'s| is) the )?status (?:of|for) (.+)$/i.exec(text) ?? /^how is (.+?) doing\??$/i.exec(text);
  if (status) return { kind: 'status', agent: strip(status[1]) };

  const errors = /^(?:show |list |any )?(?:the )?(?:recent |latest |last )?errors(?: (?:of|for|from) (.+))?\??$/i.exec(
    text,
  );
  if (errors) return errors[1] ? { kind: 'recent_errors', agent: strip(errors[1]) } : { kind: 'recent_errors' };

  if (
    /^(?:list|show)(?: all| the)? agents\??$|^(?:which|what) agents|^who(?:'s| is) online\??$|^agents\??$/.test(lower)
  )
    return { kind: 'list_agents' };

  const chinese = parseChinese(text);
  if (chinese) return chinese;

  // "<agent>: <command>" (or a full-width "：") — the agent part is a name, not a sentence.
  const direct = /^([\p{L}\p{N}][\p{L}\p{N} ._-]{0,63})[:：]\s*(.+)$/u.exec(text);
  if (direct) return { kind: 'command', agent: strip(direct[1]), command: strip(direct[2]) };

  return { kind: 'unknown' };
}

/**
 * The same phrases in Chinese, as an operator using the console in 中文 types them: "列出智能体", "查看 X 的状态",
 * "X 的最近错误", "让 X 执行 Y". Spaces around names are optional in Chinese, so names end at "的"/"执行".
 */
function parseChinese(text: string): OfflineIntent | null {
  const t = text.replace(/[。！？?!.]+$/u, '').trim();
  if (/^(?:帮助|你能做什么|有什么命令|命令列表)$/u.test(t)) return { kind: 'help' };
  if (/^(?:请)?(?:列出|显示|查看)?(?:所有|全部)?(?:的)?(?:智能体|代理)(?:列表)?$|^(?:有)?哪些智能体|^谁在线$/u.test(t))
    return { kind: 'list_agents' };
  // "问 X：<问题>" — a question in words for the agent (its punctuation kept), as "ask X: Q".
  const question = /^(?:请)?(?:问|问问)\s*([\p{L}\p{N}][\p{L}\p{N} ._-]{0,63}?)\s*[:：]\s*(.+)$/u.exec(text.trim());
  if (question) return { kind: 'ask', agent: strip(question[1]), question: question[2].trim() };
  const command = /^(?:请)?(?:让|叫|请)\s*(.+?)\s*(?:执行|运行)\s*(.+)$/u.exec(t);
  if (command) return { kind: 'command', agent: strip(command[1]), command: strip(command[2]) };
  const status =
    /^(?:请)?(?:查看|看看|显示)?\s*(.+?)\s*的?状态(?:如何|怎么样)?$/u.exec(t) ?? /^(.+?)\s*(?:怎么样|还好吗)$/u.exec(t);
  if (status && !/错误/u.test(status[1])) return { kind: 'status', agent: strip(status[1]) };
  const errors = /^(?:请)?(?:查看|显示|列出)?\s*(?:(.+?)\s*的)?\s*(?:最近|最新)的?错误$/u.exec(t);
  if (errors) return errors[1] ? { kind: 'recent_errors', agent: strip(errors[1]) } : { kind: 'recent_errors' };
  return null;
}

/** The operator's newest message, if the turn answers one (not an approval update). */
export function lastUserText(history: readonly { role: string; content: string }[]): string {
  for (let i = history.length - 1; i >= 0; i--) if (history[i].role === 'user') return history[i].content;
  return '';
}

export type ExplicitIntent = Extract<
  OfflineIntent,
  { kind: 'command' | 'ask' | 'list_agents' | 'status' | 'recent_errors' }
>;

/**
 * The turn's explicit command, if it is one of the offline brain's phrases ("ask X to Y", "ask X: Q", "X: Y", "list
 * agents", "status of X", "recent errors"): what a model without tools hands to the offline brain.
 */
export function explicitIntent(input: {
  notice?: unknown;
  history: readonly { role: string; content: string }[];
}): ExplicitIntent | null {
  if (input.notice) return null;
  const intent = parseIntent(lastUserText(input.history));
  return intent.kind === 'command' ||
    intent.kind === 'ask' ||
    intent.kind === 'list_agents' ||
    intent.kind === 'status' ||
    intent.kind === 'recent_errors'
    ? intent
    : null;
}
