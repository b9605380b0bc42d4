import picomatch from 'picomatch';

/*
 * What an allow-rule's pattern covers. The command text and the pattern are split into tokens at
 * spaces; they match only with the same number of tokens, token by token, so a pattern never covers
 * extra arguments. The first token is the command name, compared exactly (a rule is per agent and
 * command name). A literal token (no glob syntax, or escaped with `\`) covers exactly itself. A token with
 * glob syntax (picomatch: `*`, `?`, `[a-z]`, `{a,b}`, `**`; no negation, no extglobs, dot files included;
 * `*` and `?` stay within one `/` segment, `**` crosses them but never into `..`) covers only plain tokens
 * of letters, digits and `. _ - / : = , @ + %`: no quotes, `;`, `|`, `&`, `$`, backticks, brackets or
 * backslashes, so `restart_service web-*` covers `web-2` but neither `web-2;rm` nor `web-2 rm`.
 * A command with control, bidi or other invisible characters, or a space other than U+0020, is never
 * covered: what the approver read must be what runs.
 */

/** Rules from before scoping (migration 1764710000000) end in this token: any arguments, or none. */
export const ANY_ARGUMENTS = '…';

const MATCH_OPTIONS: picomatch.PicomatchOptions = { dot: true, nonegate: true, noextglob: true, windows: false };
const PLAIN_TOKEN = /^[A-Za-z0-9._\-/:=,@+%]+$/;
// Cc: control (tabs and newlines included), Cf: format (bidi overrides and isolates, zero-width), Zl/Zp:
// line breaks, and any space but U+0020 (no-break, ideographic…): an agent may not split words where we do.
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]|[^\S ]/u;
const GLOB_SPECIAL = /[\\*?[\]{}()!+@|]/g;
const MAX_TOKENS = 64;
// A token with many stars costs a regex polynomial in the token's length; a useful one needs few.
const MAX_STARS = 4;

export function hasInvisible(text: string): boolean {
  return INVISIBLE.test(text);
}

function tokens(text: string): string[] {
  const trimmed = text.trim();
  return trimmed ? trimmed.split(/ +/) : [];
}

function isGlob(token: string): boolean {
  return picomatch.scan(token, MATCH_OPTIONS).isGlob;
}

function unescape(token: string): string {
  return token.replace(/\\(.)/g, '$1');
}

/** The default rule: exactly this command text (glob characters escaped, whitespace runs as one space). */
export function exactPattern(command: string): string {
  const [name, ...args] = tokens(command);
  return [name, ...args.map((t) => t.replace(GLOB_SPECIAL, '\\$&'))].join(' ');
}

/** Why a pattern cannot be a rule for `commandName`, or null when it can. */
export function patternProblem(pattern: string, commandName: string): string | null {
  if (hasInvisible(pattern)) return 'must not contain control, bidi or other invisible characters';
  const [name, ...args] = tokens(pattern);
  if (name !== commandName) return `must start with the command name "${commandName}"`;
  if (args.length + 1 > MAX_TOKENS) return `must have at most ${MAX_TOKENS} words`;
  for (const token of args) {
    if (token === ANY_ARGUMENTS) return `"${ANY_ARGUMENTS}" (any arguments) is not allowed in new rules`;
    if (!isGlob(token)) continue;
    if ((token.match(/\*/g) ?? []).length > MAX_STARS) return `a word may hold at most ${MAX_STARS} "*"`;
    try {
      picomatch.makeRe(token, MATCH_OPTIONS);
    } catch {
      return `"${token}" is not a valid glob`;
    }
  }
  return null;
}

/** Whether a rule's pattern covers this command text. */
export function patternCovers(pattern: string, command: string): boolean {
  if (hasInvisible(command) || hasInvisible(pattern)) return false;
  const want = tokens(pattern);
  const got = tokens(command);
  if (!want.length || want[0] !== got[0]) return false;
  if (want.length === 2 && want[1] === ANY_ARGUMENTS) return true;
  if (want.length !== got.length) return false;
  return want.every((p, i) => i === 0 || tokenCovers(p, got[i]));
}

function tokenCovers(pattern: string, token: string): boolean {
  if (!isGlob(pattern)) return unescape(pattern) === token;
  return PLAIN_TOKEN.test(token) && picomatch.isMatch(token, pattern, MATCH_OPTIONS);
}
