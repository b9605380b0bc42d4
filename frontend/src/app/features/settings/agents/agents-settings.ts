import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import type { AgentDto } from '@echocenter/contracts';
import { AgentsStore } from '../../../core/data/agents.store';
import { I18nService } from '../../../core/i18n/i18n.service';
import { TranslatePipe } from '../../../core/i18n/translate.pipe';
import { ConfirmButton } from '../../../shared/confirm-button';
import { AddMcpServer } from './add-mcp-server';
import { AgentsSettingsStore } from './agents-settings.store';
import { CommandPolicies } from './command-policies';
import { TokenReveal } from './token-reveal';

/** Agent registry: register (token shown once), rotate, delete, test a token, rule each command of the card. */
@Component({
  selector: 'ec-agents-settings',
  imports: [TranslatePipe, ConfirmButton, TokenReveal, CommandPolicies, AddMcpServer],
  providers: [AgentsSettingsStore],
  templateUrl: './agents-settings.html',
  styleUrl: '../settings.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class AgentsSettings {
  protected readonly store = inject(AgentsSettingsStore);
  protected readonly fleet = inject(AgentsStore);
  protected readonly i18n = inject(I18nService);

  constructor() {
    this.store.load();
  }

  protected needsReview(a: AgentDto): boolean {
    return a.commands.some((c) => c.needsReview);
  }
}
