import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../config/config';
import { KEY_FILE, SettingsCrypto, settingsCryptoFor } from './settings-crypto';

describe('settings crypto', () => {
  const crypto = SettingsCrypto.fromSecret('a-test-settings-key-0123456789');

  it('round-trips and never stores the plaintext', () => {
    const sealed = crypto.seal('butler.apiKey', 'sk-plain');
    expect(JSON.stringify(sealed)).not.toContain('sk-plain');
    expect(crypto.open('butler.apiKey', sealed)).toBe('sk-plain');
    // A fresh IV every time: equal secrets do not look equal at rest.
    expect(crypto.seal('butler.apiKey', 'sk-plain').ct).not.toBe(sealed.ct);
  });

  it('refuses a value moved to another setting, tampered with, or sealed with another key', () => {
    const sealed = crypto.seal('butler.apiKey', 'sk-plain');
    expect(() => crypto.open('other.secret', sealed)).toThrow('the stored value is damaged; set it again');
    const flipped = Buffer.from(sealed.ct, 'base64');
    flipped[0] ^= 1;
    expect(() => crypto.open('butler.apiKey', { ...sealed, ct: flipped.toString('base64') })).toThrow('damaged');
    const other = SettingsCrypto.fromSecret('another-settings-key-0123456789');
    expect(() => other.open('butler.apiKey', sealed)).toThrow('stored with a different SETTINGS_KEY; set it again');
  });

  it('binds a secret to its origin: another origin fails to open', () => {
    const sealed = crypto.seal('butler.apiKey', 'sk-plain', 'https://models.example');
    expect(crypto.open('butler.apiKey', sealed)).toBe('sk-plain');
    expect(() => crypto.open('butler.apiKey', { ...sealed, origin: 'https://evil.example' })).toThrow('damaged');
    expect(() => crypto.open('butler.apiKey', { ...sealed, origin: undefined })).toThrow('damaged');
    expect(crypto.open('butler.apiKey', crypto.seal('butler.apiKey', 'sk-plain', null))).toBe('sk-plain');
  });

  it('generates one key file (0600) outside production, none in production', () => {
    const dir = mkdtempSync(join(tmpdir(), 'settings-crypto-'));
    const first = settingsCryptoFor(loadConfig({ DATA_DIR: dir }));
    const again = settingsCryptoFor(loadConfig({ DATA_DIR: dir }));
    expect(first!.kid).toBe(again!.kid);
    expect(statSync(join(dir, KEY_FILE)).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(dir, KEY_FILE), 'utf8').trim().length).toBeGreaterThanOrEqual(40);

    const prod = mkdtempSync(join(tmpdir(), 'settings-crypto-'));
    const base = {
      DATA_DIR: prod,
      NODE_ENV: 'production',
      JWT_SECRET: 'j'.repeat(40),
      ADMIN_PASSWORD: 'a-strong-pass',
    };
    expect(settingsCryptoFor(loadConfig(base))).toBeNull();
    expect(settingsCryptoFor(loadConfig({ ...base, SETTINGS_KEY: 'a-test-settings-key-0123456789' }))!.kid).toBe(
      crypto.kid,
    );
    expect(() => loadConfig({ ...base, SETTINGS_KEY: 'short' })).toThrow('SETTINGS_KEY must be at least 16 characters');
  });
});
