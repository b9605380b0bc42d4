import {
  ChangeDetectionStrategy,
  Component,
  ElementRef,
  TemplateRef,
  afterRenderEffect,
  computed,
  inject,
  input,
  viewChild,
} from '@angular/core';
import { NgTemplateOutlet } from '@angular/common';
import { I18nService } from '../../core/i18n/i18n.service';
import { TranslatePipe } from '../../core/i18n/translate.pipe';
import { ChatComposer } from './chat-composer';
import type { TimelineExtra } from './chat.models';
import { ChatStore } from './chat.store';
import { Markdown } from './markdown';
import { buildTimeline } from './timeline';

/**
 * The message list and composer of the ChatStore provided by the page. Scrolling to the top loads older
 * history without jumping; new messages keep the view pinned to the bottom when it already was.
 */
@Component({
  selector: 'ec-chat-view',
  imports: [ChatComposer, Markdown, NgTemplateOutlet, TranslatePipe],
  templateUrl: './chat-view.html',
  styleUrl: './chat-view.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ChatView {
  protected readonly store = inject(ChatStore);
  protected readonly i18n = inject(I18nService);
  readonly peerName = input('');
  readonly extras = input<readonly TimelineExtra[]>([]);
  readonly extraTemplate = input<TemplateRef<{ $implicit: unknown }> | null>(null);
  readonly placeholder = input('');
  private readonly scroller = viewChild.required<ElementRef<HTMLElement>>('scroller');
  private stickToBottom = true;
  private anchor: { height: number; top: number; firstKey: string | undefined } | null = null;

  protected readonly timeline = computed(() =>
    buildTimeline(this.store.messages(), this.store.pending(), this.store.streams(), this.extras(), this.store.meId()),
  );

  constructor() {
    afterRenderEffect(() => {
      const items = this.timeline();
      const el = this.scroller().nativeElement;
      const anchor = this.anchor;
      if (anchor && items[0]?.key !== anchor.firstKey) {
        // Older page prepended: keep the message the operator was reading where it was.
        el.scrollTop = el.scrollHeight - anchor.height + anchor.top;
        this.anchor = null;
      } else if (this.stickToBottom) {
        el.scrollTop = el.scrollHeight;
      }
    });
  }

  protected onScroll(): void {
    const el = this.scroller().nativeElement;
    this.stickToBottom = el.scrollHeight - el.scrollTop - el.clientHeight < 40;
    if (el.scrollTop < 60 && this.store.hasMore() && !this.store.loading()) this.loadOlder();
  }

  protected loadOlder(): void {
    const el = this.scroller().nativeElement;
    this.anchor = { height: el.scrollHeight, top: el.scrollTop, firstKey: this.timeline()[0]?.key };
    void this.store.loadOlder();
  }

  protected send(text: string): void {
    this.stickToBottom = true;
    void this.store.send(text);
  }
}
