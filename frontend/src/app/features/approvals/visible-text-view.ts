import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import { visibleParts } from './visible-text';

/**
 * Text an approver must be able to trust: every control, bidi or invisible character shows as a marked
 * ⟨…⟩ token, so nothing reorders or hides what is displayed. `prose` keeps line breaks and tabs as layout.
 */
@Component({
  selector: 'ec-visible-text',
  template: `@for (p of parts(); track $index) {@if (p.hidden) {<mark class="hidden-char">{{ p.text }}</mark>} @else {{{ p.text }}}}`,
  styles: `
    :host { white-space: pre-wrap; overflow-wrap: anywhere; unicode-bidi: isolate; }
    .hidden-char { background: var(--warning-soft); color: var(--warning-text); border: 1px solid var(--warning); border-radius: 3px; padding: 0 .15rem; margin: 0 .05rem; font-size: .85em; }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class VisibleTextView {
  readonly text = input.required<string>();
  readonly prose = input(false);
  protected readonly parts = computed(() => visibleParts(this.text(), { prose: this.prose() }));
}
