import { hasHiddenCharacters, visibleParts, visibleText } from './visible-text';

describe('visibleText', () => {
  it('leaves an ordinary command as it is', () => {
    expect(visibleText('cleanup_tmp --older-than 7d "a b"')).toBe('cleanup_tmp --older-than 7d "a b"');
    expect(visibleParts('restart web-1')).toEqual([{ text: 'restart web-1', hidden: false }]);
    expect(hasHiddenCharacters('restart web-1')).toBe(false);
    expect(visibleText('')).toBe('');
  });

  it('shows a right-to-left override and the other bidi controls by code point', () => {
    // "rm -rf /‮txt.exe" would render the tail reversed.
    expect(visibleText('get_file a\u202Etxt.exe')).toBe('get_file a⟨U+202E⟩txt.exe');
    expect(visibleText('\u2066x\u2069 \u200F\u061C')).toBe('⟨U+2066⟩x⟨U+2069⟩ ⟨U+200F⟩⟨U+061C⟩');
    expect(visibleParts('a\u202Eb')).toEqual([
      { text: 'a', hidden: false },
      { text: '⟨U+202E⟩', hidden: true },
      { text: 'b', hidden: false },
    ]);
    expect(hasHiddenCharacters('a\u202Eb')).toBe(true);
  });

  it('names tabs, carriage returns, escapes and other controls; a newline keeps its line break', () => {
    expect(visibleText('a\tb\rc\x1b[31md\x7f\0')).toBe('a⟨TAB⟩b⟨CR⟩c⟨ESC⟩[31md⟨DEL⟩⟨NUL⟩');
    expect(visibleText('one\ntwo')).toBe('one⟨LF⟩\ntwo');
    expect(visibleText('\x07\x85')).toBe('⟨U+0007⟩⟨U+0085⟩');
  });

  it('marks zero-width characters, odd spaces and invisible tag characters', () => {
    expect(visibleText('rm\u200B -rf')).toBe('rm⟨U+200B⟩ -rf');
    expect(visibleText('a\u00A0b\u3000c\uFEFF')).toBe('a⟨U+00A0⟩b⟨U+3000⟩c⟨U+FEFF⟩');
    // U+E0041 (TAG LATIN CAPITAL LETTER A): one marker for the whole surrogate pair.
    expect(visibleText('ok\u{E0041}')).toBe('ok⟨U+E0041⟩');
  });

  it('in prose keeps line breaks and tabs as layout, but still marks bidi and other controls', () => {
    expect(visibleText('line one\n\tline two\u202E!\r', { prose: true })).toBe('line one\n\tline two⟨U+202E⟩!⟨CR⟩');
    expect(visibleParts('a\nb', { prose: true })).toEqual([{ text: 'a\nb', hidden: false }]);
  });

  it('keeps other scripts and emoji as they are', () => {
    expect(visibleText('清理 /tmp 🚀 café')).toBe('清理 /tmp 🚀 café');
  });
});
