import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../config/config';
import { flattenPatch, SETTINGS, validateValue } from './settings-schema';

describe('settings schema', () => {
  it('has the defaults loadConfig has when no variable is set', () => {
    const config = loadConfig({ DATA_DIR: mkdtempSync(join(tmpdir(), 'settings-schema-')) });
    for (const def of SETTINGS) expect([def.key, def.fromConfig(config)]).toEqual([def.key, def.default]);
    expect(config.envSet.has('BUTLER_MODEL')).toBe(false);
  });

  it('knows which variables are set (empty counts as unset, as in loadConfig)', () => {
    const config = loadConfig({
      DATA_DIR: mkdtempSync(join(tmpdir(), 'settings-schema-')),
      APPROVAL_POLICY: 'always',
      BUTLER_MODEL: '',
    });
    expect(config.envSet.has('APPROVAL_POLICY')).toBe(true);
    expect(config.envSet.has('BUTLER_MODEL')).toBe(false);
  });

  it('flattens a nested patch and names unknown or misplaced fields', () => {
    const { entries, errors } = flattenPatch({
      butler: { model: 'm', colour: 1 },
      approvals: 'x',
      agentCommandTimeoutMs: 5,
    });
    expect(entries.map(([d, v]) => [d.key, v])).toEqual([
      ['butler.model', 'm'],
      ['agentCommandTimeoutMs', 5],
    ]);
    expect(errors).toEqual([
      { field: 'butler.colour', message: 'is not a known setting' },
      { field: 'approvals', message: 'must be an object' },
    ]);
    expect(flattenPatch('x').errors).toEqual([{ field: 'body', message: 'must be a JSON object' }]);
  });

  it('normalises values: trimmed strings, empty → null, bounds and types checked', () => {
    const def = (key: string) => SETTINGS.find((d) => d.key === key)!;
    expect(validateValue(def('butler.model'), '  llama  ')).toEqual({ ok: true, value: 'llama' });
    expect(validateValue(def('butler.baseUrl'), '')).toEqual({ ok: true, value: null });
    expect(validateValue(def('butler.apiKey'), ' sk-pasted\n')).toEqual({ ok: true, value: 'sk-pasted' });
    expect(validateValue(def('butler.model'), 'a\nb')).toEqual({
      ok: false,
      message: 'must not contain control characters',
    });
    expect(validateValue(def('logs.retentionDays'), -1)).toEqual({ ok: false, message: 'must be between 0 and 36500' });
    expect(validateValue(def('logs.retentionDays'), null)).toEqual({ ok: true, value: null });
  });
});
