import { OUTCOME_TEXT } from '../../commands/outcome-text';
import { OFFLINE_TEXT } from '../brain/offline-text';
import { TOOL_TEXT } from '../tools/tool-text';
import { NOTICE_TEXT } from './notice-text';
import { settledNotice } from './approval-notices';
import type { Approval } from '../../approvals/approval.entity';

const HAN = /\p{Script=Han}/u;
const ISO_TIME = /\d{4}-\d\d-\d\dT\d\d:\d\d/;
// English words that would show a 中文 reader an untranslated sentence (names and commands below avoid them).
const ENGLISH = /\b(the|was|is|and|approval|expired|rejected|cancelled|failed|offline|agent|waiting|nothing)\b/i;

/** Every text of a table, its functions called with sample facts (numbers, names, commands that are not words). */
function allTexts(table: object): string[] {
  return Object.entries(table).flatMap(([key, v]): string[] => {
    if (typeof v === 'string') return [v];
    if (typeof v === 'function') {
      const args = Array.from({ length: v.length }, (_, i) => (i === 0 ? 7 : i % 2 ? 'X-9' : 'cmd_1 /tmp'));
      // A boolean flag (`ran`) and nullable parts both ways.
      return [String(v(...args)), String(v(...args.map((a, i) => (i === 0 ? a : null))))];
    }
    if (v && typeof v === 'object') return allTexts(v);
    throw new Error(`unexpected entry ${key}`);
  });
}

describe.each([
  ['notices', NOTICE_TEXT],
  ['tool results', TOOL_TEXT],
  ['command outcomes', OUTCOME_TEXT],
])("the Butler's %s in both languages", (_name, table) => {
  it('has the same entries in English and Chinese', () => {
    expect(Object.keys(table['zh-CN']).sort()).toEqual(Object.keys(table.en).sort());
  });

  it('says every Chinese text in Chinese, with no English sentence around the facts', () => {
    const texts = allTexts(table['zh-CN']);
    expect(texts.filter((t) => !HAN.test(t))).toEqual([]);
    expect(texts.filter((t) => ENGLISH.test(t.replace(/"answer"/g, '')))).toEqual([]);
  });

  it('never writes a timestamp', () => {
    expect([...allTexts(table.en), ...allTexts(table['zh-CN'])].filter((t) => ISO_TIME.test(t))).toEqual([]);
  });
});

describe('settledNotice', () => {
  const approval = (over: Partial<Approval>) =>
    ({
      id: 12,
      agentName: 'Storage-Custodian',
      command: 'clean /tmp',
      proposedCommand: 'clean /tmp',
      decidedByName: 'admin',
      decisionReason: null,
      result: 'freed 2 GB',
      ...over,
    }) as Approval;

  it("tells a rejected and an expired request in the thread's language", () => {
    expect(settledNotice(approval({ status: 'REJECTED', decisionReason: '太危险' }), null, 'zh-CN').text).toBe(
      '审批 #12（Storage-Custodian 上的“clean /tmp”）已被 admin 拒绝（理由：太危险）。没有执行任何操作。',
    );
    expect(settledNotice(approval({ status: 'EXPIRED', decidedByName: null }), null, 'zh-CN').text).toBe(
      '审批 #12（Storage-Custodian 上的“clean /tmp”）无人决定，已过期。没有执行任何操作。',
    );
    expect(settledNotice(approval({ status: 'REJECTED' }), null).text).toBe(
      'Approval #12 for "clean /tmp" on Storage-Custodian was rejected by admin. Nothing was run.',
    );
  });

  it('gives the model the same facts, the output in a field of its own', () => {
    const n = settledNotice(approval({ status: 'SUCCEEDED', command: 'clean /srv' }), null, 'zh-CN');
    expect(n.text).toBe(
      '审批 #12：Storage-Custodian 上的“clean /srv”（由“clean /tmp”修改而来）已被 admin 批准，已执行。Storage-Custodian 的输出见上方的审批卡片。',
    );
    expect(n.data).toMatchObject({ approvalId: 12, status: 'SUCCEEDED', result: 'freed 2 GB' });
  });
});

describe("the offline brain's texts", () => {
  it('has the same entries in English and Chinese, none with a timestamp', () => {
    expect(Object.keys(OFFLINE_TEXT['zh-CN']).sort()).toEqual(Object.keys(OFFLINE_TEXT.en).sort());
    expect(allTexts(OFFLINE_TEXT['zh-CN']).filter((t) => ISO_TIME.test(t))).toEqual([]);
  });
});
