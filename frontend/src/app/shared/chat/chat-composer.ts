import { ChangeDetectionStrategy, Component, input, output, signal } from '@angular/core';
import { TranslatePipe } from '../../core/i18n/translate.pipe';

/** Enter sends, Shift+Enter starts a new line. */
@Component({
  selector: 'ec-chat-composer',
  imports: [TranslatePipe],
  template: `
    <form class="composer" (submit)="$event.preventDefault(); submit()">
      <textarea
        rows="2"
        data-testid="chat-input"
        [attr.aria-label]="'chat.inputLabel' | t"
        [placeholder]="placeholder() || ('chat.placeholder' | t)"
        [value]="text()"
        [disabled]="disabled()"
        #textarea
        (input)="text.set(textarea.value)"
        (keydown)="onKeydown($event)"
      ></textarea>
      <button type="submit" class="primary" data-testid="chat-send" [disabled]="disabled() || !text().trim()">
        {{ 'chat.send' | t }}
      </button>
    </form>
  `,
  styles: `
    .composer { display: flex; gap: .5rem; padding: .75rem; border-top: 1px solid var(--border); }
    textarea { flex: 1; resize: vertical; min-height: 2.6rem; max-height: 12rem; }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ChatComposer {
  readonly disabled = input(false);
  readonly placeholder = input('');
  readonly sent = output<string>();
  protected readonly text = signal('');

  protected onKeydown(e: KeyboardEvent): void {
    // As (keydown.enter) did: a bare Enter only; Shift+Enter is a new line, other chords and IME input are left alone.
    if (e.key !== 'Enter' || e.shiftKey || e.ctrlKey || e.altKey || e.metaKey || e.isComposing) return;
    e.preventDefault();
    this.submit();
  }

  protected submit(): void {
    const value = this.text().trim();
    if (!value || this.disabled()) return;
    this.sent.emit(value);
    this.text.set('');
  }
}
