import { ChangeDetectionStrategy, Component, computed, inject, input } from '@angular/core';
import { DomSanitizer } from '@angular/platform-browser';
import DOMPurify from 'dompurify';
import { Marked } from 'marked';
import { I18nService } from '../../core/i18n/i18n.service';
import { jsonToMarkdown } from './json-markdown';

// Raw HTML inside a message is shown as text, never parsed: nothing an agent sends becomes markup
// except Markdown. (Parsing it even inertly makes Chromium report CSP violations for inline handlers.)
const md = new Marked({
  gfm: true,
  breaks: true,
  renderer: { html: ({ text }) => escapeHtml(text) },
});

let hooked = false;

/** Markdown to HTML that is safe to insert: marked parses, DOMPurify strips scripts and handlers. */
export function renderMarkdown(text: string, lang = 'en'): string {
  if (!hooked) {
    hooked = true;
    // Links from agents open elsewhere and cannot reach back into the console.
    DOMPurify.addHook('afterSanitizeAttributes', (node) => {
      if (node.tagName === 'A') {
        node.setAttribute('target', '_blank');
        node.setAttribute('rel', 'noopener noreferrer');
      }
    });
  }
  const html = md.parse(jsonToMarkdown(text, lang) ?? text, { async: false });
  return DOMPurify.sanitize(html, { USE_PROFILES: { html: true }, FORBID_TAGS: ['style', 'form', 'input'] });
}

// "2026-12-05T21:13:30.095Z", "2026-12-05T21:13+08:00": a moment with its zone, so it can be shown in the reader's.
const ISO_MOMENT = /\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})(?![\w:])/g;
// Code keeps its text as written: a timestamp inside backticks is data, not a sentence.
const CODE = /(```[\s\S]*?(?:```|$)|`[^`\n]*`)/;

/**
 * A timestamp in a sentence, in the reader's time zone and language ("Dec 5, 21:13" / "12月5日 21:13"): a model
 * may repeat one it read, and UTC in ISO form is not how people read a time. Code spans and blocks are left alone.
 */
export function localizeTimes(text: string, format: (iso: string) => string): string {
  return text
    .split(CODE)
    .map((part, i) => (i % 2 ? part : part.replace(ISO_MOMENT, (iso) => format(iso))))
    .join('');
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

@Component({
  selector: 'ec-markdown',
  template: `<div class="md" [innerHTML]="html()"></div>`,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class Markdown {
  private readonly sanitizer = inject(DomSanitizer);
  private readonly i18n = inject(I18nService);
  readonly text = input.required<string>();
  /** Show timestamps in sentences in the reader's time zone and language (the Butler's messages). */
  readonly localTimes = input(false);
  protected readonly html = computed(() => {
    const text = this.localTimes() ? localizeTimes(this.text(), (iso) => this.i18n.dateTime(iso, true)) : this.text();
    // Already sanitised by DOMPurify; Angular's own pass would only warn and strip the link targets.
    return this.sanitizer.bypassSecurityTrustHtml(renderMarkdown(text, this.i18n.lang()));
  });
}
