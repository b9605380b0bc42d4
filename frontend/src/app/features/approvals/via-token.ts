import { ChangeDetectionStrategy, Component, computed, inject, input } from '@angular/core';
import { TranslatePipe } from '../../core/i18n/translate.pipe';
import { OwnTokenNames } from './own-token-names';

/**
 * "via token …" beside a request an assistant made with a personal access token (requestedViaTokenId), so an
 * approver knows it did not come from the requester's own console. The name when it is the viewer's own
 * token, else its id.
 */
@Component({
  selector: 'ec-via-token',
  imports: [TranslatePipe],
  template: `<small class="via-token" data-testid="via-token" [attr.title]="'approval.viaTokenHint' | t">{{
    'approval.viaToken' | t: { token: label() }
  }}</small>`,
  styles: `
    .via-token {
      color: var(--warning-text);
      white-space: nowrap;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ViaToken {
  private readonly names = inject(OwnTokenNames);
  readonly tokenId = input.required<number>();
  protected readonly label = computed(() => {
    const name = this.names.name(this.tokenId());
    return name ? `“${name}”` : `#${this.tokenId()}`;
  });
}
