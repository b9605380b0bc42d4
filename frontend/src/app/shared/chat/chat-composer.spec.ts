import { TestBed } from '@angular/core/testing';
import { ChatComposer } from './chat-composer';

describe('ChatComposer', () => {
  function open() {
    const fixture = TestBed.createComponent(ChatComposer);
    const sent: string[] = [];
    fixture.componentInstance.sent.subscribe((text) => sent.push(text));
    fixture.detectChanges();
    const box = (fixture.nativeElement as HTMLElement).querySelector<HTMLTextAreaElement>(
      '[data-testid="chat-input"]',
    )!;
    const type = (text: string) => {
      box.value = text;
      box.dispatchEvent(new Event('input'));
      fixture.detectChanges();
    };
    const press = (init: KeyboardEventInit) => {
      const e = new KeyboardEvent('keydown', { cancelable: true, ...init });
      box.dispatchEvent(e);
      fixture.detectChanges();
      return e.defaultPrevented;
    };
    return { sent, box, type, press };
  }

  it('sends the trimmed text on a bare Enter and empties the box', () => {
    const c = open();
    c.type('  hello  ');
    expect(c.press({ key: 'Enter' })).toBe(true);
    expect(c.sent).toEqual(['hello']);
    expect(c.box.value).toBe('');
  });

  it('leaves Shift+Enter (a new line), other chords, IME input and other keys to the textarea', () => {
    const c = open();
    c.type('draft');
    for (const init of [
      { shiftKey: true },
      { ctrlKey: true },
      { altKey: true },
      { metaKey: true },
      { isComposing: true },
    ]) {
      expect(c.press({ key: 'Enter', ...init })).toBe(false);
    }
    expect(c.press({ key: 'a' })).toBe(false);
    expect(c.sent).toEqual([]);
  });
});
