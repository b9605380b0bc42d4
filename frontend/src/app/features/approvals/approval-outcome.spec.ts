import { TestBed } from '@angular/core/testing';
import type { ApprovalDto, CommandOutcome } from '@echocenter/contracts';
import { provideSession } from '../../../testing/test-session';
import { I18nService, type Lang } from '../../core/i18n/i18n.service';
import { ApprovalOutcome } from './approval-outcome';

type Shown = Pick<ApprovalDto, 'outcome' | 'result' | 'agentName'>;

describe('ApprovalOutcome', () => {
  function render(a: Partial<Shown>, opts: { lang?: Lang; reveal?: boolean } = {}): HTMLElement {
    TestBed.configureTestingModule({ providers: [...provideSession().providers] });
    TestBed.inject(I18nService).setLang(opts.lang ?? 'en');
    const fixture = TestBed.createComponent(ApprovalOutcome);
    fixture.componentRef.setInput('approval', { outcome: null, result: null, agentName: 'Nap-Agent', ...a });
    if (opts.reveal) fixture.componentRef.setInput('reveal', true);
    fixture.detectChanges();
    return fixture.nativeElement as HTMLElement;
  }
  const outcome = (kind: CommandOutcome['kind'], detail: string | null = null): CommandOutcome => ({ kind, detail });

  it.each([
    [outcome('failed', 'disk is read-only'), 'Failed:disk is read-only', '失败：disk is read-only'],
    [outcome('failed'), 'Failed (no reason given)', '失败（未说明原因）'],
    [outcome('cancelled', 'changed my mind'), 'Cancelled:changed my mind', '已取消：changed my mind'],
    [outcome('cancelled'), 'Cancelled', '已取消'],
    [outcome('timed_out'), 'No answer before the deadline (timed out)', '截止时间前没有回应（超时）'],
    [outcome('expired'), 'Never ran: Nap-Agent did not come online in time', '没有执行：Nap-Agent 未能按时上线'],
    [outcome('no_output'), '(no output)', '（无输出）'],
  ])('words %j in the reader’s language; the agent’s own words stay as written', (o, en, zh) => {
    // The server's English line is never what a console shows once it has the outcome.
    const result = 'an English line from the server';
    expect(render({ outcome: o, result }).textContent).toBe(en);
    TestBed.resetTestingModule();
    expect(render({ outcome: o, result }, { lang: 'zh-CN' }).textContent).toBe(zh);
  });

  it('shows output as written, JSON as the chat renders it (also an error that is JSON)', () => {
    const plain = render({ outcome: outcome('output'), result: 'line 1\n  line 2' });
    expect(plain.querySelector('pre')?.textContent).toBe('line 1\n  line 2');
    TestBed.resetTestingModule();
    const table = render({ outcome: outcome('output'), result: '{"freeBytes": 83348234240, "mount": "/data"}' });
    const cells = [...table.querySelectorAll('tbody tr')].map((tr) =>
      [...tr.querySelectorAll('td')].map((td) => td.textContent),
    );
    expect(cells).toEqual([
      ['freeBytes', '77.6 GiB'],
      ['mount', '/data'],
    ]);
    TestBed.resetTestingModule();
    const error = render({ outcome: outcome('failed', '{"code": 5, "path": "/x"}') }, { lang: 'zh-CN' });
    expect(error.querySelector('[data-testid="approval-outcome-words"]')?.textContent).toBe('失败：');
    expect(error.querySelectorAll('tbody tr')).toHaveLength(2);
  });

  it('marks hidden characters in plain text where asked (the inbox), never inside our own words', () => {
    const el = render({ outcome: outcome('failed', 'bad\u202Ename') }, { reveal: true });
    expect(el.querySelector('pre')?.textContent).toBe('bad⟨U+202E⟩name');
    expect(el.querySelectorAll('mark')).toHaveLength(1);
  });

  it('without an outcome (an older server) shows the stored result as it is, or "(no output)"', () => {
    expect(render({ result: 'failed: boom' }).textContent).toBe('failed: boom');
    TestBed.resetTestingModule();
    expect(render({}, { lang: 'zh-CN' }).textContent).toBe('（无输出）');
  });
});
