/** A piece of text as shown to an approver: either the text itself, or a marker standing for a hidden character. */
export interface VisiblePart {
  text: string;
  /** True for a marker (⟨TAB⟩, ⟨U+202E⟩…) that replaces a control, bidi, invisible or odd-space character. */
  hidden: boolean;
}

const NAMED: Record<string, string> = {
  '\t': 'TAB',
  '\n': 'LF',
  '\r': 'CR',
  '\x1b': 'ESC',
  '\x7f': 'DEL',
  '\0': 'NUL',
};

// C0/C1 controls; bidi embeddings, overrides, isolates and marks (the "Trojan Source" set); zero-width and
// invisible characters; spaces that look like a space but are not one; line/paragraph separators;
// variation selectors; Unicode tag characters (invisible ASCII look-alikes).
const HIDDEN =
  /[\u0000-\u001f\u007f-\u009f\u00a0\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e\u2000-\u200f\u2028-\u202f\u205f-\u206f\u3000\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff9-\ufffb]|\udb40[\udc00-\udc7f]/g;

const ANY_HIDDEN = new RegExp(HIDDEN.source);

function marker(ch: string): string {
  const name = NAMED[ch] ?? `U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
  return `⟨${name}⟩`;
}

/**
 * Splits a command into plain text and markers for every character an approver could not see or could
 * misread: U+202E (right-to-left override) becomes ⟨U+202E⟩, a tab ⟨TAB⟩, an escape ⟨ESC⟩. A newline
 * keeps its line break after its ⟨LF⟩ marker, so a multi-line command still reads as lines.
 */
export function visibleParts(text: string, opts: { prose?: boolean } = {}): VisiblePart[] {
  const parts: VisiblePart[] = [];
  let last = 0;
  for (const m of text.matchAll(HIDDEN)) {
    const at = m.index;
    // In prose (messages, reasons, results) line breaks and tabs are layout, not something to hide.
    if (opts.prose && (m[0] === '\n' || m[0] === '\t')) continue;
    if (at > last) parts.push({ text: text.slice(last, at), hidden: false });
    parts.push({ text: marker(m[0]), hidden: true });
    if (m[0] === '\n') parts.push({ text: '\n', hidden: false });
    last = at + m[0].length;
  }
  if (last < text.length) parts.push({ text: text.slice(last), hidden: false });
  return parts;
}

/** The same as one string (for titles, copies and tests). */
export function visibleText(text: string, opts: { prose?: boolean } = {}): string {
  return visibleParts(text, opts)
    .map((p) => p.text)
    .join('');
}

/** Whether the text holds any character `visibleParts` would mark. */
export function hasHiddenCharacters(text: string): boolean {
  return ANY_HIDDEN.test(text);
}
