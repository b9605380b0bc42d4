import { ChangeDetectionStrategy, Component } from '@angular/core';
import { TranslatePipe } from '../../core/i18n/translate.pipe';

@Component({
  selector: 'ec-agents-empty',
  imports: [TranslatePipe],
  template: `<div class="empty-state" data-testid="agents-pick">{{ 'agents.pick' | t }}</div>`,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class AgentsEmpty {}
