import picomatch from 'picomatch';

/**
 * picomatch still compiles to a backtracking RegExp: each `*` becomes `[^/]*?`, and k of them cost
 * O(length^k) on a name that almost matches (measured on a 255-character name: 3 stars 40 ms, 4 stars
 * 3.5 s, 5 stars 3 min). So a pattern may hold at most 3 runs of `*`.
 */
export const MAX_STAR_RUNS = 3;
const MAX_PATTERN_LENGTH = 200;

const OPTIONS: picomatch.PicomatchOptions = {
  nocase: true,
  // `*` matched dot files before; keep it so.
  dot: true,
  // Extglobs nest quantifiers (more backtracking) and braces expand ranges; neither is needed to find a file.
  noextglob: true,
  nobrace: true,
  nonegate: true,
  windows: false,
  maxLength: MAX_PATTERN_LENGTH,
};

/** `*` and `?` match within a path segment, `**` across segments, `[abc]` one of a set; case-insensitive. */
export function globMatcher(pattern: string): (path: string) => boolean {
  if (pattern.length > MAX_PATTERN_LENGTH) throw new Error(`a pattern has at most ${MAX_PATTERN_LENGTH} characters`);
  const runs = pattern.match(/\*+/g)?.length ?? 0;
  if (runs > MAX_STAR_RUNS) throw new Error(`a pattern has at most ${MAX_STAR_RUNS} runs of *, got ${runs}`);
  const isMatch = picomatch(pattern, OPTIONS);
  // Without a slash the pattern is about file names, wherever they live. (picomatch's `basename` option
  // would also apply to patterns with a slash.) One argument only: a second asks for a result object.
  return pattern.includes('/') ? (path) => isMatch(path) : (path) => isMatch(path.slice(path.lastIndexOf('/') + 1));
}

/** Only `*` or `?` make a pattern a glob, as before: "report[1]" is still looked for as text. */
export function isGlob(pattern: string): boolean {
  return /[*?]/.test(pattern);
}
