import { ChangeDetectionStrategy, Component, inject, input } from '@angular/core';
import { RouterLink } from '@angular/router';
import type { AgentDto } from '@echocenter/contracts';
import { ClockService } from '../../core/clock.service';
import { I18nService } from '../../core/i18n/i18n.service';
import { TranslatePipe } from '../../core/i18n/translate.pipe';

@Component({
  selector: 'ec-fleet-card',
  imports: [RouterLink, TranslatePipe],
  template: `
    @let a = agent();
    <article class="card" data-testid="fleet-card" [attr.data-agent-name]="a.name" [attr.data-online]="a.online">
      <header>
        <span class="dot" [class.online]="a.online"></span>
        <h3>{{ a.name }}</h3>
        <span class="state" data-testid="fleet-status">{{ (a.online ? 'agent.online' : a.status === 'DISABLED' ? 'agent.disabled' : 'agent.offline') | t }}</span>
      </header>
      @if (a.description) { <p class="desc">{{ a.description }}</p> }
      <dl>
        <dt>{{ 'agent.lastSeen' | t }}</dt>
        <dd>{{ a.online ? ('agent.now' | t) : i18n.relative(a.lastSeenAt, clock.now()) }}</dd>
        <dt>{{ 'agent.lastReport' | t }}</dt>
        <dd class="report" [title]="a.lastReport ?? ''">
          @if (a.lastReport) { {{ a.lastReport }} <small class="muted">· {{ i18n.relative(a.lastReportAt, clock.now()) }}</small> }
          @else { <span class="muted">—</span> }
        </dd>
      </dl>
      @if (a.commands.length) {
        <ul class="commands" [attr.aria-label]="'agent.commands' | t">
          @for (c of a.commands; track c.name) {
            <li class="chip mono" [title]="c.description ?? ''">{{ c.name }}@if (c.policy === 'READ_ONLY') {<span class="ro" [title]="'agent.readOnly' | t">{{ 'agent.roBadge' | t }}</span>} @else if (c.policy === 'DESTRUCTIVE') {<span class="ro destructive" [title]="'policy.DESTRUCTIVE' | t">{{ 'agent.destructiveBadge' | t }}</span>}</li>
          }
        </ul>
      }
      <footer><a [routerLink]="['/agents', a.id]" data-testid="fleet-chat" [title]="a.online ? '' : ('agent.chatOfflineHint' | t: { name: a.name })">{{ (a.online ? 'agent.chat' : 'agent.chatOffline') | t }} →</a>@if (a.version) {<small class="muted">v{{ a.version }}</small>}</footer>
    </article>
  `,
  styles: `
    .card { background: var(--surface); border: 1px solid var(--border); border-radius: 10px; padding: .8rem .9rem; display: flex; flex-direction: column; gap: .4rem; }
    header { display: flex; align-items: center; gap: .5rem; }
    h3 { margin: 0; flex: 1; font-size: .98rem; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
    .state { font-size: .78rem; color: var(--muted); }
    .desc { margin: 0; font-size: .85rem; color: var(--muted); }
    dl { display: grid; grid-template-columns: auto 1fr; gap: .15rem .6rem; margin: 0; font-size: .83rem; }
    dt { color: var(--muted); }
    dd { margin: 0; min-width: 0; }
    .report { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
    .commands { display: flex; flex-wrap: wrap; gap: .25rem; list-style: none; margin: 0; padding: 0; }
    .ro { margin-left: .25rem; font-size: .65rem; color: var(--success); font-weight: 700; }
    .ro.destructive { color: var(--danger); }
    footer { margin-top: auto; display: flex; justify-content: space-between; font-size: .85rem; }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class FleetCard {
  protected readonly i18n = inject(I18nService);
  protected readonly clock = inject(ClockService);
  readonly agent = input.required<AgentDto>();
}
