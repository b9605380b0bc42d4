import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateEd25519, importPrivateKey } from './ssh-key-material';

const keygen = spawnSync('ssh-keygen', ['-?']).error ? null : 'ssh-keygen';

/** Makes a key with the real ssh-keygen and returns its private text and OpenSSH's own fingerprint. */
function sshKeygen(args: string[]): { privateKey: string; fingerprint: string } {
  const dir = mkdtempSync(join(tmpdir(), 'ssh-key-material-'));
  try {
    const path = join(dir, 'key');
    spawnSync('ssh-keygen', ['-q', ...args, '-f', path, '-C', 't'], { encoding: 'utf8' });
    const fp = spawnSync('ssh-keygen', ['-l', '-E', 'sha256', '-f', `${path}.pub`], { encoding: 'utf8' }).stdout.split(
      ' ',
    )[1]!;
    return { privateKey: readFileSync(path, 'utf8'), fingerprint: fp };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('SSH key material', () => {
  it('generates an ed25519 pair with an authorized_keys line and a SHA256 fingerprint', () => {
    const k = generateEd25519('deploy');
    expect(k.keyType).toBe('ssh-ed25519');
    expect(k.publicKey).toMatch(/^ssh-ed25519 AAAA\S+ deploy$/);
    expect(k.fingerprint).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
    expect(importPrivateKey(k.privateKey, null, 'again').fingerprint).toBe(k.fingerprint);
  });

  (keygen ? it : it.skip)('imports OpenSSH (with a passphrase) and PEM keys; fingerprints match ssh-keygen -l', () => {
    const ed = sshKeygen(['-t', 'ed25519', '-N', 'secret pass']);
    expect(importPrivateKey(ed.privateKey, 'secret pass', 'x').fingerprint).toBe(ed.fingerprint);
    expect(() => importPrivateKey(ed.privateKey, null, 'x')).toThrow(/encrypted: give its passphrase/);
    expect(() => importPrivateKey(ed.privateKey, 'wrong', 'x')).toThrow(/not a usable private key/);
    const pem = sshKeygen(['-t', 'rsa', '-b', '2048', '-m', 'PEM', '-N', '']);
    expect(pem.privateKey).toContain('BEGIN RSA PRIVATE KEY');
    expect(importPrivateKey(pem.privateKey, null, 'x')).toMatchObject({
      keyType: 'ssh-rsa',
      fingerprint: pem.fingerprint,
    });
  });

  it('refuses a public key or garbage, without echoing it', () => {
    const k = generateEd25519('p');
    expect(() => importPrivateKey(k.publicKey, null, 'x')).toThrow(/public key/);
    expect(() => importPrivateKey('not-a-key-' + 'z'.repeat(40), null, 'x')).toThrow(/not a usable private key/);
    try {
      importPrivateKey('SECRET-MATERIAL-' + 'z'.repeat(40), null, 'x');
    } catch (err) {
      expect((err as Error).message).not.toContain('SECRET-MATERIAL');
    }
  });
});
