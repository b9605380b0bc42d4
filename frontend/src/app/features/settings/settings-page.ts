import { ChangeDetectionStrategy, Component } from '@angular/core';
import { RouterLink, RouterLinkActive, RouterOutlet } from '@angular/router';
import { TranslatePipe } from '../../core/i18n/translate.pipe';

@Component({
  selector: 'ec-settings-page',
  imports: [RouterLink, RouterLinkActive, RouterOutlet, TranslatePipe],
  template: `
    <div class="page" data-testid="settings-page">
      <h1>{{ 'nav.settings' | t }}</h1>
      <nav class="tabs" [attr.aria-label]="'nav.settings' | t">
        <a routerLink="users" routerLinkActive="active" data-testid="settings-tab-users">{{ 'settings.users' | t }}</a>
        <a routerLink="agents" routerLinkActive="active" data-testid="settings-tab-agents">{{ 'settings.agents' | t }}</a>
        <a routerLink="nodes" routerLinkActive="active" data-testid="settings-tab-nodes">{{ 'settings.nodes' | t }}</a>
        <a routerLink="ssh-keys" routerLinkActive="active" data-testid="settings-tab-ssh-keys">{{ 'settings.sshKeys' | t }}</a>
        <a routerLink="rules" routerLinkActive="active" data-testid="settings-tab-rules">{{ 'settings.rules' | t }}</a>
        <a routerLink="system" routerLinkActive="active" data-testid="settings-tab-system">{{ 'settings.system' | t }}</a>
        <a routerLink="channels" routerLinkActive="active" data-testid="settings-tab-channels">{{ 'settings.channels' | t }}</a>
        <a routerLink="usage" routerLinkActive="active" data-testid="settings-tab-usage">{{ 'settings.usage' | t }}</a>
        <a routerLink="audit" routerLinkActive="active" data-testid="settings-tab-audit">{{ 'settings.audit' | t }}</a>
      </nav>
      <router-outlet />
    </div>
  `,
  styles: `
    h1 { font-size: 1.4rem; margin: 0 0 .5rem; }
    /* Tabs scroll sideways on a narrow screen rather than widening the page (more settings pages are coming). */
    .tabs { display: flex; gap: .25rem; border-bottom: 1px solid var(--border); margin-bottom: 1rem; overflow-x: auto; scrollbar-width: thin; }
    .tabs a { white-space: nowrap; padding: .45rem .9rem; text-decoration: none; color: var(--muted); border-bottom: 2px solid transparent; }
    .tabs a.active { color: var(--accent); border-bottom-color: var(--accent); font-weight: 600; }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class SettingsPage {}
