import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { utils } from 'ssh2';
import { fingerprintOf } from '../../src/ops/ssh-key-material';

export const SSHD = '/usr/sbin/sshd';

/** Why an SSH suite cannot run here, or null. Printed as the one line a skipped suite says. */
export function sshdMissing(): string | null {
  if (!existsSync(SSHD)) return `${SSHD} not found (apt-get install openssh-server): SSH suites skipped`;
  return null;
}

/** A throwaway ed25519 pair in OpenSSH format, with its authorized_keys line and fingerprint. */
export function throwawayKey(comment = 'echocenter-test'): {
  privateKey: string;
  publicKey: string;
  fingerprint: string;
} {
  const pair = utils.generateKeyPairSync('ed25519', { comment });
  const parsed = utils.parseKey(pair.public);
  if (parsed instanceof Error) throw parsed;
  return {
    privateKey: pair.private,
    publicKey: pair.public,
    fingerprint: fingerprintOf((Array.isArray(parsed) ? parsed[0] : parsed).getPublicSSH()),
  };
}

/** A throwaway ed25519 pair whose private half ssh-keygen encrypted with `passphrase` (as users make them). */
export function passphraseKey(passphrase: string): TestSshd['userKey'] {
  const dir = mkdtempSync(join(tmpdir(), 'echocenter-key-'));
  try {
    const path = join(dir, 'id_ed25519');
    const res = spawnSync(
      'ssh-keygen',
      ['-q', '-t', 'ed25519', '-N', passphrase, '-C', 'with-passphrase', '-f', path],
      {
        encoding: 'utf8',
      },
    );
    if (res.status !== 0) throw new Error(`ssh-keygen failed: ${res.stderr}`);
    const publicKey = readFileSync(`${path}.pub`, 'utf8');
    const parsed = utils.parseKey(publicKey);
    if (parsed instanceof Error) throw parsed;
    return {
      privateKey: readFileSync(path, 'utf8'),
      publicKey,
      fingerprint: fingerprintOf((Array.isArray(parsed) ? parsed[0] : parsed).getPublicSSH()),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface TestSshd {
  port: number;
  /** The login the test key is authorized for (the current user). */
  username: string;
  /** The throwaway user key (authorized) and the host key's fingerprint, as the hub computes them. */
  userKey: { privateKey: string; publicKey: string; fingerprint: string };
  hostKeyFingerprint: string;
  /** The listening sshd; its session children run the commands. */
  pid: number;
  /** Every process below this sshd (sessions, shells, what they run), with its command line. */
  descendants(): { pid: number; ppid: number; cmd: string }[];
  /** Stops it and starts it again on the same port with a fresh host key (a reinstalled or spoofed server). */
  replaceHostKey(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Our own sshd on a free loopback port, with a throwaway host key and a throwaway user key, in a temp
 * dir: never the system's sshd or keys. sshd needs /run/sshd for privilege separation when run as root.
 */
export async function startSshd(opts: { userKey?: TestSshd['userKey'] } = {}): Promise<TestSshd> {
  const dir = mkdtempSync(join(tmpdir(), 'echocenter-sshd-'));
  const username = userInfo().username;
  const userKey = opts.userKey ?? throwawayKey();
  writeFileSync(join(dir, 'authorized_keys'), userKey.publicKey.trim() + '\n', { mode: 0o600 });
  if (process.getuid?.() === 0) mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
  const port = await freePort();
  let hostKeyFingerprint = newHostKey(dir);
  let child = await launch(dir, port, username);

  const self: TestSshd = {
    port,
    username,
    userKey,
    get hostKeyFingerprint() {
      return hostKeyFingerprint;
    },
    get pid() {
      return child.pid!;
    },
    descendants: () => descendantsOf(child.pid!),
    async replaceHostKey() {
      await stopChild(child);
      hostKeyFingerprint = newHostKey(dir);
      child = await launch(dir, port, username);
    },
    async stop() {
      await stopChild(child);
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return self;
}

function newHostKey(dir: string): string {
  const path = join(dir, 'host_ed25519');
  rmSync(path, { force: true });
  rmSync(`${path}.pub`, { force: true });
  const res = spawnSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', path], { encoding: 'utf8' });
  if (res.status !== 0) throw new Error(`ssh-keygen failed: ${res.stderr}`);
  const parsed = utils.parseKey(readFileSync(`${path}.pub`, 'utf8'));
  if (parsed instanceof Error) throw parsed;
  return fingerprintOf((Array.isArray(parsed) ? parsed[0] : parsed).getPublicSSH());
}

function launch(dir: string, port: number, username: string): Promise<ChildProcess> {
  const config = join(dir, 'sshd_config');
  writeFileSync(
    config,
    [
      `Port ${port}`,
      'ListenAddress 127.0.0.1',
      `HostKey ${join(dir, 'host_ed25519')}`,
      `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
      `PidFile ${join(dir, 'sshd.pid')}`,
      'StrictModes no',
      'UsePAM no',
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'PubkeyAuthentication yes',
      'PermitRootLogin prohibit-password',
      `AllowUsers ${username}`,
      'LogLevel ERROR',
    ].join('\n') + '\n',
  );
  const child = spawn(SSHD, ['-D', '-e', '-f', config], { stdio: ['ignore', 'ignore', 'pipe'] });
  // A test process that dies without its afterAll (a crash, a lost database) must not leave sshd behind.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  child.once('exit', () => process.off('exit', killOnExit));
  return new Promise((resolve, reject) => {
    let stderr = '';
    const timer = setInterval(() => {
      // Listening once a TCP connect succeeds; sshd prints nothing at LogLevel ERROR.
      const probe = connect(port, '127.0.0.1');
      probe.on('connect', () => {
        probe.destroy();
        clearInterval(timer);
        resolve(child);
      });
      probe.on('error', () => probe.destroy());
    }, 50);
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('exit', (code) => {
      clearInterval(timer);
      reject(new Error(`sshd exited (${code}): ${stderr.trim()}`));
    });
  });
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function descendantsOf(root: number): { pid: number; ppid: number; cmd: string }[] {
  const parent = new Map<number, number>();
  const cmd = new Map<number, string>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // The command name may contain spaces and parentheses: the ppid follows the last ')'.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      parent.set(Number(entry), ppid);
      cmd.set(Number(entry), readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' '));
    } catch {
      // Gone meanwhile.
    }
  }
  const below = (pid: number): boolean => {
    for (let p = parent.get(pid), hops = 0; p !== undefined && p > 1 && hops < 64; p = parent.get(p), hops++)
      if (p === root) return true;
    return false;
  };
  return [...cmd.keys()].filter(below).map((pid) => ({ pid, ppid: parent.get(pid)!, cmd: cmd.get(pid)! }));
}

/** Whether a process still exists (and is not a zombie waiting for its parent). */
export function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}
