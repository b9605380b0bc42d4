import { Pipe, PipeTransform, inject } from '@angular/core';
import { I18nService, type Params } from './i18n.service';
import type { MessageKey } from './messages.en';

/** `{{ 'nav.dashboard' | t }}`. Impure on purpose: it reads the language signal on each check. */
@Pipe({ name: 't', pure: false })
export class TranslatePipe implements PipeTransform {
  private readonly i18n = inject(I18nService);

  transform(key: MessageKey, params?: Params): string {
    return this.i18n.t(key, params);
  }
}
