import { ChangeDetectionStrategy, Component, computed, inject, input } from '@angular/core';
import type { ApprovalDto } from '@echocenter/contracts';
import { I18nService } from '../../core/i18n/i18n.service';
import { jsonToMarkdown } from '../../shared/chat/json-markdown';
import { Markdown } from '../../shared/chat/markdown';
import { VisibleTextView } from './visible-text-view';

/** What is shown of an ended command: our words (in the reader's language), then the agent's own text. */
interface Shown {
  words: string | null;
  /** Output, the agent's error or the cancel reason: data, shown as written. */
  text: string | null;
}

/**
 * How an approval's command ended, in the reader's language: the words come from `outcome` and the catalog,
 * the agent's output or error stays as it wrote it. JSON renders as the chat renders it (a key/value table, a
 * list, indented code). Without an `outcome` (a server before it) the stored `result` is shown as it is.
 */
@Component({
  selector: 'ec-approval-outcome',
  imports: [Markdown, VisibleTextView],
  template: `
    @let s = shown();
    @if (s.words) {
      <p class="words" data-testid="approval-outcome-words">{{ s.words }}</p>
    }
    @if (s.text !== null) {
      @if (json()) {
        <div class="json"><ec-markdown [text]="s.text" /></div>
      } @else if (reveal()) {
        <pre class="mono"><ec-visible-text [text]="s.text" [prose]="true" /></pre>
      } @else {
        <pre class="mono">{{ s.text }}</pre>
      }
    }
  `,
  styles: `
    :host { display: block; }
    .words { margin: 0; font-weight: 600; white-space: normal; }
    .words + * { margin-top: 0.25rem; }
    pre { margin: 0; white-space: pre-wrap; overflow-wrap: anywhere; }
    /* No pre-wrap around rendered markup (tables, lists). */
    .json { white-space: normal; overflow-x: auto; max-width: 100%; }
  `,
  host: { '[attr.data-outcome]': "approval().outcome?.kind ?? 'none'" },
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ApprovalOutcome {
  private readonly i18n = inject(I18nService);
  readonly approval = input.required<Pick<ApprovalDto, 'outcome' | 'result' | 'agentName'>>();
  /** Mark hidden and control characters in plain text, as the inbox does for everything an approver reads. */
  readonly reveal = input(false);

  protected readonly shown = computed((): Shown => {
    const { outcome, result, agentName } = this.approval();
    const t = this.i18n.t.bind(this.i18n);
    if (!outcome)
      return result === null ? { words: t('approval.noResult'), text: null } : { words: null, text: result };
    switch (outcome.kind) {
      case 'output':
        return { words: null, text: result ?? '' };
      case 'no_output':
        return { words: t('approval.noResult'), text: null };
      case 'failed':
        return outcome.detail === null
          ? { words: t('approval.outcome.failedUnknown'), text: null }
          : { words: t('approval.outcome.failed'), text: outcome.detail };
      case 'cancelled':
        return outcome.detail === null
          ? { words: t('approval.outcome.cancelledUnknown'), text: null }
          : { words: t('approval.outcome.cancelled'), text: outcome.detail };
      case 'timed_out':
        return { words: t('approval.outcome.timedOut'), text: null };
      case 'expired':
        return { words: t('approval.outcome.expired', { agent: agentName }), text: null };
    }
  });
  protected readonly json = computed(() => {
    const text = this.shown().text;
    return !!text && jsonToMarkdown(text) !== null;
  });
}
