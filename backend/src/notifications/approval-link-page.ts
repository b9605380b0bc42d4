import type { Approval } from '../approvals/approval.entity';
import { timeLeft, visibleCommand } from './notification-message';

export type Lang = 'en' | 'zh';

/** English unless the browser prefers Chinese. */
export function langOf(acceptLanguage: string | undefined): Lang {
  const first = (acceptLanguage ?? '').split(',')[0]?.trim().toLowerCase() ?? '';
  return first.startsWith('zh') ? 'zh' : 'en';
}

const T = {
  en: {
    title: 'Approval',
    agent: 'Agent',
    requester: 'Requested by',
    reasoning: 'Reasoning',
    command: 'Command (exactly as it will run; invisible characters are spelled out)',
    timeLeft: 'Time left',
    status: 'Status',
    reason: 'Reason (optional)',
    password: (name: string) => `Password of ${name} (this hub asks you to sign in to decide)`,
    approve: 'Approve',
    reject: 'Reject',
    forYou: (name: string) =>
      `This one-time link is for ${name}. Opening it decided nothing; your choice below is recorded under your name.`,
    preselected: (d: string) => `You chose “${d}” in the message: confirm it below.`,
    done: { approved: 'Approved', rejected: 'Rejected' },
    doneText: (id: number, d: string) => `Approval #${id} is ${d}. You can close this page.`,
    problems: {
      unknown: ['Link not valid', 'This link is not valid. Check that it was copied whole, or decide in the console.'],
      used: [
        'Link already used',
        'This link has been used. Each link decides once; open the console to see the outcome.',
      ],
      expired: ['Link expired', 'This approval has expired, and its links with it. Nothing was run.'],
      settled: ['Already decided', 'This approval is no longer waiting for a decision.'],
      conflict: ['CONFLICT', 'Someone decided first (or it expired): your decision was not recorded.'],
      forbidden: ['Not allowed', 'Your account may no longer decide on approvals.'],
      login: [
        'Sign-in failed',
        'The password was wrong; nothing was decided. After three wrong passwords the link stops working.',
      ],
      throttled: [
        'Too many tries',
        'Too many sign-in tries for this admin or from this address; nothing was decided. Wait a minute and try again.',
      ],
      csrf: ['Form expired', 'This form could not be verified. Open the link from the message again.'],
      mismatch: ['Wrong approval', 'This form does not belong to this link.'],
      bad: ['Invalid request', 'Choose Approve or Reject.'],
      failed: [
        'Not recorded',
        'Something went wrong and nothing was decided. This link still works: try again in a moment, or decide in the console.',
      ],
    },
  },
  zh: {
    title: '审批',
    agent: '智能体',
    requester: '申请人',
    reasoning: '理由',
    command: '命令（与执行时完全一致；不可见字符已标出）',
    timeLeft: '剩余时间',
    status: '状态',
    reason: '备注（可选）',
    password: (name: string) => `${name} 的密码（此中心要求登录后才能审批）`,
    approve: '批准',
    reject: '拒绝',
    forYou: (name: string) => `此一次性链接仅供 ${name} 使用。打开链接不会做出任何决定；下方的选择将以你的名义记录。`,
    preselected: (d: string) => `你在消息中选择了“${d}”，请在下方确认。`,
    done: { approved: '已批准', rejected: '已拒绝' },
    doneText: (id: number, d: string) => `审批 #${id}：${d}。可以关闭此页面。`,
    problems: {
      unknown: ['链接无效', '此链接无效。请确认链接完整，或在控制台中处理。'],
      used: ['链接已使用', '此链接已被使用，每个链接只能决定一次。请在控制台查看结果。'],
      expired: ['链接已过期', '此审批已过期，链接随之失效。没有执行任何操作。'],
      settled: ['已处理', '此审批已不再等待决定。'],
      conflict: ['冲突（CONFLICT）', '已有人先做出决定（或已过期），你的决定未被记录。'],
      forbidden: ['无权操作', '你的账户已不能审批。'],
      login: ['登录失败', '密码错误，未做出任何决定。连续三次错误后链接将失效。'],
      throttled: ['尝试次数过多', '此管理员或此地址的登录尝试过多，未做出任何决定。请稍等一分钟后再试。'],
      csrf: ['表单已失效', '无法验证此表单。请从消息中重新打开链接。'],
      mismatch: ['审批不匹配', '此表单不属于这个链接。'],
      bad: ['请求无效', '请选择批准或拒绝。'],
      failed: ['未记录', '出现错误，未做出任何决定。此链接仍然有效：请稍后重试，或在控制台中处理。'],
    },
  },
} as const;

export type PageProblem = keyof (typeof T)['en']['problems'];

function esc(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

// Inline styles only (style-src allows them); no script at all, so the page works under the hub's CSP.
const STYLE = `
:root{color-scheme:light dark;--bg:#f8fafc;--fg:#0f172a;--muted:#475569;--card:#fff;--line:#e2e8f0;--code:#f1f5f9;--ok:#15803d;--no:#b91c1c;--on:#fff}
@media (prefers-color-scheme:dark){:root{--bg:#0b1120;--fg:#e2e8f0;--muted:#94a3b8;--card:#111827;--line:#1f2937;--code:#0f172a;--ok:#4ade80;--no:#fca5a5;--on:#0b1120}}
body{margin:0;background:var(--bg);color:var(--fg);font:16px/1.5 system-ui,-apple-system,"Segoe UI","PingFang SC","Microsoft YaHei",sans-serif}
main{max-width:680px;margin:0 auto;padding:24px 16px}
.card{background:var(--card);border:1px solid var(--line);border-radius:12px;padding:20px}
h1{font-size:1.4rem;margin:0 0 12px}dl{display:grid;grid-template-columns:max-content 1fr;gap:6px 16px;margin:0 0 16px}dt{color:var(--muted)}dd{margin:0;word-break:break-word}
pre{background:var(--code);border:1px solid var(--line);border-radius:8px;padding:12px;white-space:pre-wrap;word-break:break-all;font:14px/1.4 ui-monospace,Menlo,Consolas,monospace}
.note{color:var(--muted);font-size:.9rem}textarea,input[type=password]{width:100%;box-sizing:border-box;min-height:72px;font:inherit;background:var(--bg);color:var(--fg);border:1px solid var(--line);border-radius:8px;padding:8px}
label{display:block;margin:12px 0 4px}.actions{display:flex;gap:12px;margin-top:16px;flex-wrap:wrap}
button{font:inherit;font-weight:600;border:0;border-radius:8px;padding:10px 20px;color:var(--on);cursor:pointer}
button.approve{background:var(--ok)}button.reject{background:var(--no)}button.chosen{outline:3px solid var(--fg);outline-offset:2px}`;

function layout(lang: Lang, title: string, body: string): string {
  return `<!doctype html><html lang="${lang === 'zh' ? 'zh-CN' : 'en'}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta name="robots" content="noindex"><title>${esc(title)} · EchoCenter</title><style>${STYLE}</style></head><body><main><div class="card">${body}</div></main></body></html>`;
}

export interface DecisionPage {
  lang: Lang;
  approval: Approval;
  requesterName: string;
  adminName: string;
  csrf: string;
  preselect: 'approve' | 'reject' | null;
  /** The link requires signing in (its channel's setting or APPROVAL_LINK_REQUIRES_LOGIN): the form asks for the password. */
  askPassword: boolean;
  now: Date;
}

/** The GET page: every fact about the approval and a form; nothing is decided until it is posted. */
export function renderDecisionPage(p: DecisionPage): string {
  const t = T[p.lang];
  const a = p.approval;
  const chosen = (d: 'approve' | 'reject') => (p.preselect === d ? ' chosen' : '');
  return layout(
    p.lang,
    `${t.title} #${a.id}`,
    `<h1>${esc(`${t.title} #${a.id}`)}</h1>
<dl><dt>${t.agent}</dt><dd data-field="agent">${esc(a.agentName)}</dd><dt>${t.requester}</dt><dd data-field="requester">${esc(p.requesterName)}</dd><dt>${t.timeLeft}</dt><dd data-field="time-left">${esc(timeLeft(a.expiresAt, p.now, p.lang))}</dd></dl>
<p class="note">${esc(t.command)}</p><pre data-field="command">${esc(visibleCommand(a.command))}</pre>
<p class="note">${t.reasoning}</p><pre data-field="reasoning">${esc(a.reasoning || '—')}</pre>
<p class="note">${esc(t.forYou(p.adminName))}</p>
${p.preselect ? `<p class="note">${esc(t.preselected(p.preselect === 'approve' ? t.approve : t.reject))}</p>` : ''}
<form method="post">
<input type="hidden" name="csrf" value="${esc(p.csrf)}"><input type="hidden" name="approval" value="${a.id}">
${p.askPassword ? `<label for="password">${esc(t.password(p.adminName))}</label><input id="password" name="password" type="password" autocomplete="current-password" required>` : ''}
<label for="reason">${t.reason}</label><textarea id="reason" name="reason" maxlength="1000"></textarea>
<div class="actions"><button class="approve${chosen('approve')}" type="submit" name="decision" value="approve">${t.approve}</button><button class="reject${chosen('reject')}" type="submit" name="decision" value="reject">${t.reject}</button></div>
</form>`,
  );
}

export function renderDonePage(lang: Lang, id: number, approved: boolean): string {
  const t = T[lang];
  const word = approved ? t.done.approved : t.done.rejected;
  return layout(
    lang,
    word,
    `<h1 data-outcome="${approved ? 'approved' : 'rejected'}">${esc(word)}</h1><p>${esc(t.doneText(id, word))}</p>`,
  );
}

export function renderProblemPage(lang: Lang, problem: PageProblem, detail?: string): string {
  const [title, text] = T[lang].problems[problem];
  return layout(
    lang,
    title,
    `<h1 data-problem="${problem}">${esc(title)}</h1><p>${esc(text)}</p>${detail ? `<p class="note">${esc(detail)}</p>` : ''}`,
  );
}
