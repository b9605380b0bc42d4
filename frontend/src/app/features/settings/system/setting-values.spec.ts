import { settingsFields } from '../../../../testing/settings';
import { humanizeMs, isDirty, parseDraft, patchFor, toDraft } from './setting-values';

const field = (key: string) => settingsFields().find((f) => f.key === key)!;

describe('setting values', () => {
  it('nests a patch by the dots of the keys', () => {
    expect(
      patchFor([
        ['butler.model', 'm'],
        ['butler.apiKey', null],
        ['agentCommandTimeoutMs', 5000],
        ['logs.retentionDays', 7],
      ]),
    ).toEqual({
      butler: { model: 'm', apiKey: null },
      agentCommandTimeoutMs: 5000,
      logs: { retentionDays: 7 },
    });
  });

  it('parses drafts by type: integers checked, emptied text is null, booleans as they are', () => {
    expect(parseDraft(field('approvals.ttlMs'), ' 60000 ')).toEqual({ ok: true, value: 60000 });
    expect(parseDraft(field('approvals.ttlMs'), '1.5')).toEqual({ ok: false, key: 'system.errInteger' });
    expect(parseDraft(field('approvals.ttlMs'), '10')).toEqual({
      ok: false,
      key: 'system.errRange',
      params: { min: 1000, max: 604800000 },
    });
    expect(parseDraft({ ...field('butler.model'), readOnly: false }, '   ')).toEqual({ ok: true, value: null });
    expect(parseDraft(field('approvals.requesterMayApprove'), true)).toEqual({ ok: true, value: true });
  });

  it('shows values in controls and compares edits with them', () => {
    const ttl = field('approvals.ttlMs');
    expect(toDraft(ttl)).toBe('900000');
    expect(isDirty(ttl, '900000')).toBe(false);
    expect(isDirty(ttl, 'abc')).toBe(true);
    expect(isDirty(field('butler.apiKey'), 'x')).toBe(false);
  });

  it('says milliseconds in the largest whole unit, in the chosen language', () => {
    expect(humanizeMs(900000, 'en')).toBe('15 minutes');
    expect(humanizeMs(90000, 'en')).toBe('90 seconds');
    expect(humanizeMs(86_400_000, 'en')).toBe('1 day');
    expect(humanizeMs(1500, 'en')).toBe('1,500 milliseconds');
    expect(humanizeMs(900000, 'zh-CN')).toBe('15分钟');
  });
});
