import { createCipheriv, createDecipheriv, createHash, randomBytes, scryptSync } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AppConfig } from '../config/config';

/** What a secret looks like in the `settings.value` column (as JSON). */
export interface SealedSecret {
  v: 1;
  /** Fingerprint of the key that sealed it, so a changed SETTINGS_KEY is reported as such, not as garbage. */
  kid: string;
  iv: string;
  tag: string;
  ct: string;
  /**
   * The origin the secret may be sent to (null: saved without an endpoint), authenticated with the
   * ciphertext so it cannot be edited in the database. Absent on secrets sealed before it existed.
   */
  origin?: string | null;
}

export const KEY_FILE = 'settings-key';

// A fixed, public salt is fine: the input is already a secret; scrypt only stretches weak passphrases.
const SALT = 'echocenter/settings/v1';

/**
 * AES-256-GCM for settings secrets. The setting's name (and the origin the secret is bound to) is the
 * additional authenticated data, so a ciphertext copied onto another row, given another origin or edited
 * in any way fails to open instead of leaking.
 */
export class SettingsCrypto {
  readonly kid: string;

  constructor(private readonly key: Buffer) {
    this.kid = createHash('sha256').update(key).digest('hex').slice(0, 12);
  }

  static fromSecret(secret: string): SettingsCrypto {
    return new SettingsCrypto(scryptSync(secret, SALT, 32, { N: 1 << 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 }));
  }

  seal(name: string, plain: string, origin?: string | null): SealedSecret {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(aad(name, origin));
    const ct = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    const sealed: SealedSecret = {
      v: 1,
      kid: this.kid,
      iv: iv.toString('base64'),
      tag: cipher.getAuthTag().toString('base64'),
      ct: ct.toString('base64'),
    };
    return origin === undefined ? sealed : { ...sealed, origin };
  }

  /** Throws a message fit for an admin (never containing the secret) when the row cannot be opened. */
  open(name: string, sealed: SealedSecret): string {
    if (sealed?.v !== 1) throw new Error('unknown secret format');
    if (sealed.kid !== this.kid) throw new Error('stored with a different SETTINGS_KEY; set it again');
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(sealed.iv, 'base64'));
      decipher.setAAD(aad(name, sealed.origin));
      decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
      return Buffer.concat([decipher.update(Buffer.from(sealed.ct, 'base64')), decipher.final()]).toString('utf8');
    } catch {
      throw new Error('the stored value is damaged; set it again');
    }
  }
}

function aad(name: string, origin: string | null | undefined): Buffer {
  // Without an origin: the name alone, as secrets sealed before origins existed were.
  return Buffer.from(origin === undefined ? name : `${name}\n${origin ?? ''}`);
}

export function isSealed(value: unknown): value is SealedSecret {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as SealedSecret).v === 1 &&
    typeof (value as SealedSecret).ct === 'string'
  );
}

/**
 * SETTINGS_KEY when set (every node of a cluster must share it). Outside production a key is generated
 * once into the data folder (0600), like the JWT secret. In production without SETTINGS_KEY there is no
 * key: nodes do not share a data folder, so a per-node file would seal secrets that the other nodes
 * cannot open, and reusing JWT_SECRET would lose every stored secret whenever sessions are rotated.
 */
export function settingsCryptoFor(config: AppConfig): SettingsCrypto | null {
  if (config.settingsKey) return SettingsCrypto.fromSecret(config.settingsKey);
  if (config.production) return null;
  const path = join(config.dataDir, KEY_FILE);
  if (!existsSync(path)) {
    mkdirSync(config.dataDir, { recursive: true });
    // 'wx' so two processes starting together cannot overwrite each other's fresh key.
    try {
      writeFileSync(path, randomBytes(32).toString('base64url') + '\n', { mode: 0o600, flag: 'wx' });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    chmodSync(path, 0o600);
  }
  return SettingsCrypto.fromSecret(readFileSync(path, 'utf8').trim());
}
