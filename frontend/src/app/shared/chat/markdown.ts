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
  // Already sanitised by DOMPurify; Angular's own pass would only warn and strip the link targets.
  protected readonly html = computed(() => this.sanitizer.bypassSecurityTrustHtml(renderMarkdown(this.text(), this.i18n.lang())));
}
