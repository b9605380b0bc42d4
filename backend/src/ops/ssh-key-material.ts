import { createHash } from 'node:crypto';
import { utils, type ParsedKey } from 'ssh2';

/** A private key checked by ssh2, with what the console may show of it. */
export interface KeyMaterial {
  privateKey: string;
  passphrase: string | null;
  keyType: string;
  /** authorized_keys line. */
  publicKey: string;
  fingerprint: string;
}

/** `SHA256:<base64, no padding>` of an SSH public key blob, as OpenSSH prints it. */
export function fingerprintOf(publicBlob: Buffer): string {
  return `SHA256:${createHash('sha256').update(publicBlob).digest('base64').replace(/=+$/, '')}`;
}

/** A fresh ed25519 pair, made in the hub so the private half never travels. */
export function generateEd25519(comment: string): KeyMaterial {
  const pair = utils.generateKeyPairSync('ed25519', { comment });
  return describe(pair.private, null, comment);
}

/** Parses an OpenSSH or PEM private key; throws a message fit for a 400 (never the key itself). */
export function importPrivateKey(privateKey: string, passphrase: string | null, comment: string): KeyMaterial {
  return describe(privateKey.trim() + '\n', passphrase, comment);
}

function describe(privateKey: string, passphrase: string | null, comment: string): KeyMaterial {
  const parsed = parseOne(privateKey, passphrase);
  if (!parsed.isPrivateKey()) throw new Error('this is a public key; paste the private key');
  const blob = parsed.getPublicSSH();
  return {
    privateKey,
    passphrase,
    keyType: parsed.type,
    publicKey: `${parsed.type} ${blob.toString('base64')} ${comment}`.trim(),
    fingerprint: fingerprintOf(blob),
  };
}

function parseOne(text: string, passphrase: string | null): ParsedKey {
  const parsed = utils.parseKey(text, passphrase ?? undefined);
  if (parsed instanceof Error) {
    // ssh2's messages name the problem (bad passphrase, unsupported cipher) without echoing the input.
    const encrypted = /encrypted/i.test(parsed.message) || /passphrase/i.test(parsed.message);
    throw new Error(
      encrypted && !passphrase
        ? 'the key is encrypted: give its passphrase'
        : `not a usable private key: ${parsed.message}`,
    );
  }
  return Array.isArray(parsed) ? parsed[0]! : parsed;
}
