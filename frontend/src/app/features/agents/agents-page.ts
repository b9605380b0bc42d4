import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { RouterLink, RouterLinkActive, RouterOutlet } from '@angular/router';
import { ClockService } from '../../core/clock.service';
import { AgentsStore } from '../../core/data/agents.store';
import { I18nService } from '../../core/i18n/i18n.service';
import { TranslatePipe } from '../../core/i18n/translate.pipe';

/** Agent list with presence on the side; the chosen agent's chat in the outlet. */
@Component({
  selector: 'ec-agents-page',
  imports: [RouterLink, RouterLinkActive, RouterOutlet, TranslatePipe],
  template: `
    <div class="layout" data-testid="agents-page">
      <aside class="list panel">
        <input type="search" [placeholder]="'agents.filter' | t" [attr.aria-label]="'agents.filter' | t"
               #queryInput [value]="query()" (input)="query.set(queryInput.value)" />
        <ul role="list">
          @for (a of shown(); track a.id) {
            <li>
              <a [routerLink]="[a.id]" routerLinkActive="active" data-testid="agent-item" [attr.data-agent-name]="a.name">
                <span class="dot" [class.online]="a.online" [attr.aria-label]="(a.online ? 'agent.online' : 'agent.offline') | t"></span>
                <span class="name">{{ a.name }}</span>
                <small class="muted">{{ a.online ? ('agent.online' | t) : i18n.relative(a.lastSeenAt, clock.now()) }}</small>
              </a>
            </li>
          } @empty {
            <li class="empty-state">{{ (agents.loading() ? 'common.loading' : 'dash.noAgents') | t }}</li>
          }
        </ul>
      </aside>
      <section class="content panel"><router-outlet /></section>
    </div>
  `,
  styles: `
    :host { display: block; height: 100%; }
    .layout { display: grid; grid-template-columns: 260px 1fr; gap: .75rem; padding: .75rem; height: 100%; }
    .list { display: flex; flex-direction: column; gap: .5rem; padding: .6rem; min-height: 0; overflow: auto; }
    ul { list-style: none; margin: 0; padding: 0; }
    li a { display: grid; grid-template-columns: auto 1fr; grid-template-rows: auto auto; column-gap: .5rem; align-items: center; padding: .45rem .5rem; border-radius: 6px; color: var(--text); text-decoration: none; }
    li a small { grid-column: 2; }
    li a:hover { background: var(--surface-2); }
    li a.active { background: var(--accent-soft); }
    .name { font-weight: 600; overflow: hidden; text-overflow: ellipsis; }
    .content { padding: 0; min-height: 0; overflow: hidden; display: flex; flex-direction: column; }
    @media (max-width: 760px) { .layout { grid-template-columns: 1fr; grid-template-rows: auto 1fr; } .list { max-height: 30vh; } }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class AgentsPage {
  protected readonly agents = inject(AgentsStore);
  protected readonly i18n = inject(I18nService);
  protected readonly clock = inject(ClockService);
  protected readonly query = signal('');
  protected readonly shown = computed(() => {
    const q = this.query().trim().toLowerCase();
    return q ? this.agents.agents().filter((a) => a.name.toLowerCase().includes(q)) : this.agents.agents();
  });
}
