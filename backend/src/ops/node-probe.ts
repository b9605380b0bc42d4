import { Client } from 'ssh2';
import type { NodeTestResult } from '@echocenter/contracts';
import { fingerprintOf } from './ssh-key-material';
import type { OpenedKey } from './ssh-keys.service';

export interface ProbeTarget {
  host: string;
  port: number;
  username: string;
}

/**
 * A real SSH handshake and public-key authentication, then goodbye: no command runs. With a pinned host
 * key any other key aborts before authentication (HOST_KEY_MISMATCH); without one the key seen is
 * reported for an admin to confirm.
 */
export function probeNode(
  target: ProbeTarget,
  key: OpenedKey,
  pinned: string | null,
  timeoutMs: number,
): Promise<NodeTestResult> {
  return new Promise((resolve) => {
    const client = new Client();
    const started = performance.now();
    let seen: string | null = null;
    let settled = false;
    const done = (r: Omit<NodeTestResult, 'hostKeyFingerprint' | 'hostKeyPinned'>) => {
      if (settled) return;
      settled = true;
      client.end();
      resolve({ ...r, hostKeyFingerprint: seen, hostKeyPinned: seen !== null && seen === pinned });
    };
    client.on('ready', () =>
      done({ ok: true, rttMs: Math.round(performance.now() - started), errorCode: null, error: null }),
    );
    client.on('error', (err: Error & { level?: string }) => {
      if (seen !== null && pinned !== null && seen !== pinned) {
        done({
          ok: false,
          rttMs: null,
          errorCode: 'HOST_KEY_MISMATCH',
          error: `the host key is ${seen}, not the pinned ${pinned}; an admin must confirm the new key`,
        });
      } else if (err.level === 'client-authentication') {
        done({
          ok: false,
          rttMs: null,
          errorCode: 'AUTH_FAILED',
          error: `${target.username}@${target.host} did not accept the key`,
        });
      } else {
        done({
          ok: false,
          rttMs: null,
          errorCode: err.level === 'client-timeout' ? 'TIMEOUT' : 'UNREACHABLE',
          error: err.message,
        });
      }
    });
    client.on('close', () =>
      done({ ok: false, rttMs: null, errorCode: 'UNREACHABLE', error: 'the connection closed during the handshake' }),
    );
    client.connect({
      host: target.host,
      port: target.port,
      username: target.username,
      privateKey: key.privateKey,
      passphrase: key.passphrase ?? undefined,
      readyTimeout: timeoutMs,
      // Raw key blob in, verdict out: the pinned fingerprint is the whole trust decision.
      hostVerifier: (hostKey: Buffer) => {
        seen = fingerprintOf(hostKey);
        return pinned === null || seen === pinned;
      },
    });
  });
}
