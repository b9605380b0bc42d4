import { ChangeDetectionStrategy, Component, input, output, signal } from '@angular/core';
import { TranslatePipe } from '../core/i18n/translate.pipe';
import { Icon, type IconName } from './icon';

/** A destructive action that asks "Sure?" in place instead of opening a dialog. */
@Component({
  selector: 'ec-confirm-button',
  imports: [TranslatePipe, Icon],
  template: `
    @if (asking()) {
      <span class="ask" role="group">
        <button type="button" class="danger" [attr.data-testid]="testId() + '-confirm'" (click)="asking.set(false); confirmed.emit()">{{ 'common.confirm' | t }}</button>
        <button type="button" class="ghost" (click)="asking.set(false)">{{ 'common.cancel' | t }}</button>
      </span>
    } @else {
      <button type="button" class="danger-outline" [class.ghost]="ghost()" [attr.data-testid]="testId()" [attr.aria-label]="ariaLabel()" [attr.title]="ariaLabel()" [disabled]="disabled()" (click)="asking.set(true)">@if (icon(); as name) {<ec-icon [name]="name" />} {{ label() }}</button>
    }
  `,
  styles: `
    .ask { display: inline-flex; gap: .25rem; }
    .danger-outline { color: var(--danger); }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ConfirmButton {
  readonly label = input('');
  /** An icon before the label (or instead of it: then give an ariaLabel). */
  readonly icon = input<IconName | null>(null);
  readonly testId = input('confirm');
  readonly disabled = input(false);
  /** For a label that is an icon. */
  readonly ariaLabel = input<string | null>(null);
  readonly ghost = input(false);
  readonly confirmed = output<void>();
  protected readonly asking = signal(false);
}
