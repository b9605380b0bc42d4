/**
 * What actually runs on the node. sshd (OpenSSH 9.2 at least) ignores a client's channel `signal`, and
 * killing the session's shell would orphan its children, so the command runs in its own process group
 * (setsid) while a watcher reads the channel's stdin: when the agent sends EOF (cancel, deadline) or the
 * connection drops (sshd closes the pipe), the watcher sends TERM to the whole group, then KILL after a
 * grace second. Needs a POSIX sh on the node; without setsid the command's own process is signalled.
 */
const WRAPPER = [
  // An asynchronous list's stdin is /dev/null unless redirected: keep the channel's stdin on fd 3.
  'exec 3<&0',
  'if command -v setsid >/dev/null 2>&1; then setsid sh -c "$1" </dev/null & else sh -c "$1" </dev/null & fi',
  'p=$!',
  '{ cat <&3 >/dev/null; kill -TERM -"$p" 2>/dev/null || kill -TERM "$p"; sleep 1; kill -KILL -"$p" 2>/dev/null || kill -KILL "$p"; } >/dev/null 2>&1 &',
  'w=$!',
  'exec 3<&-',
  'wait "$p"; rc=$?',
  'kill "$w" 2>/dev/null',
  'exit "$rc"',
].join('\n');

/** Single-quotes a string for a POSIX shell. */
export function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/** The exec request's text for `command`: the wrapper, with the command as its one argument (never re-parsed). */
export function wrapRemote(command: string): string {
  return `sh -c ${shellQuote(WRAPPER)} ops-runner ${shellQuote(command)}`;
}
