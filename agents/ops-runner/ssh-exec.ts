import { createHash } from 'node:crypto';
import { Client, type ClientChannel } from 'ssh2';
import type { NodeCredentialDto } from '@echocenter/contracts';
import { wrapRemote } from './remote-wrapper';
import { TailBuffer } from './tail-buffer';
import { Utf8Stream } from './utf8-stream';

/** How one node's part of a command ended. */
export interface NodeOutcome {
  node: string;
  /** The remote exit code; null when it did not exit by itself (killed, cancelled, lost). */
  exitCode: number | null;
  /** What ended it otherwise: `HOST_KEY_MISMATCH: …`, `cancelled: …`, `connection lost: …`. */
  error: string | null;
  output: string;
  truncated: boolean;
  droppedBytes: number;
  durationMs: number;
}

export interface ExecOptions {
  signal: AbortSignal;
  onOutput(text: string): void;
  maxOutputBytes: number;
  connectTimeoutMs: number;
  /** Between the TERM and KILL signals on cancel, before the channel is closed. */
  killGraceMs: number;
}

/** `SHA256:<base64, no padding>`, as OpenSSH prints it and as the hub pins it. */
export function fingerprintOf(hostKey: Buffer): string {
  return `SHA256:${createHash('sha256').update(hostKey).digest('base64').replace(/=+$/, '')}`;
}

/**
 * Runs one command on one node over SSH, refusing any host key but the pinned one. Output streams as it
 * comes; only its tail is kept. A cancel (or the deadline) has the remote wrapper kill the command's
 * process group (remote-wrapper.ts); a lost connection ends this node's part with an error.
 */
export function execOnNode(cred: NodeCredentialDto, command: string, opts: ExecOptions): Promise<NodeOutcome> {
  return new Promise((resolve) => {
    const started = performance.now();
    const client = new Client();
    const output = new TailBuffer(opts.maxOutputBytes);
    let channel: ClientChannel | null = null;
    let exitCode: number | null = null;
    let exitSignal: string | null = null;
    let seenKey: string | null = null;
    let stopping: string | null = null;
    let settled = false;
    const stdout = new Utf8Stream(opts.onOutput);
    const stderr = new Utf8Stream(opts.onOutput);

    const finish = (error: string | null) => {
      if (settled) return;
      settled = true;
      stdout.end();
      stderr.end();
      opts.signal.removeEventListener('abort', onAbort);
      client.end();
      resolve({
        node: cred.node,
        exitCode,
        error: stopping
          ? `cancelled: ${stopping}`
          : (error ?? (exitCode === null && exitSignal ? `killed by SIG${exitSignal}` : null)),
        output: output.text(),
        truncated: output.truncated,
        droppedBytes: output.droppedBytes,
        durationMs: Math.round(performance.now() - started),
      });
    };
    // The tail keeps bytes (decoded once at the end); the live stream is decoded per stream as it comes.
    const onData = (text: Utf8Stream) => (chunk: Buffer) => {
      output.push(chunk);
      text.push(chunk);
    };
    const onAbort = () => {
      stopping = reasonOf(opts.signal);
      if (!channel) return finish(null);
      // EOF on the wrapper's stdin makes it kill the command's process group (TERM, then KILL a second
      // later); the signal request is for servers that honour it. Close is the last resort.
      channel.signal('TERM');
      channel.end();
      setTimeout(() => {
        channel?.close();
        setTimeout(() => finish(null), 200).unref();
      }, opts.killGraceMs + 1500).unref();
    };

    if (opts.signal.aborted) {
      stopping = reasonOf(opts.signal);
      return finish(null);
    }
    opts.signal.addEventListener('abort', onAbort, { once: true });
    client.on('ready', () => {
      client.exec(wrapRemote(command), (err, stream) => {
        if (err) return finish(`exec refused: ${err.message}`);
        channel = stream;
        if (stopping) return onAbort();
        stream.on('data', onData(stdout));
        stream.stderr.on('data', onData(stderr));
        stream.on('exit', (code: number | null, signal?: string) => {
          exitCode = typeof code === 'number' ? code : null;
          exitSignal = signal ?? null;
        });
        stream.on('close', () =>
          finish(
            exitCode === null && !exitSignal ? 'connection lost: the channel closed before the command exited' : null,
          ),
        );
      });
    });
    client.on('error', (err: Error & { level?: string }) => {
      if (seenKey !== null && seenKey !== cred.hostKeyFingerprint) {
        return finish(
          `HOST_KEY_MISMATCH: ${cred.node} shows ${seenKey}, not the pinned ${cred.hostKeyFingerprint}; refused (an admin must re-confirm)`,
        );
      }
      if (err.level === 'client-authentication')
        return finish(`authentication failed for ${cred.username}@${cred.host}`);
      finish(`connection lost: ${err.message}`);
    });
    client.on('close', () => finish('connection lost: the connection closed'));
    client.connect({
      host: cred.host,
      port: cred.port,
      username: cred.username,
      privateKey: cred.privateKey,
      passphrase: cred.passphrase ?? undefined,
      readyTimeout: opts.connectTimeoutMs,
      keepaliveInterval: 10_000,
      keepaliveCountMax: 3,
      hostVerifier: (key: Buffer) => {
        seenKey = fingerprintOf(key);
        return seenKey === cred.hostKeyFingerprint;
      },
    });
  });
}

function reasonOf(signal: AbortSignal): string {
  const reason = signal.reason as { message?: string } | string | undefined;
  return typeof reason === 'string' ? reason : (reason?.message ?? 'cancelled');
}
