import { ChangeDetectionStrategy, Component, computed, effect, inject, input, signal, untracked } from '@angular/core';
import { AgentsStore } from '../../core/data/agents.store';
import { I18nService } from '../../core/i18n/i18n.service';
import { TranslatePipe } from '../../core/i18n/translate.pipe';
import { ChatStore } from '../../shared/chat/chat.store';
import { ChatView } from '../../shared/chat/chat-view';

@Component({
  selector: 'ec-agent-chat-page',
  imports: [ChatView, TranslatePipe],
  providers: [ChatStore],
  template: `
    @if (agent(); as a) {
      <header class="head" data-testid="agent-chat-header">
        <span class="dot" [class.online]="a.online"></span>
        <div class="title">
          <h2>{{ a.name }}</h2>
          <small class="muted">{{ (a.online ? 'agent.online' : 'agent.offline') | t }}@if (a.description) { · {{ a.description }} }</small>
        </div>
        @if (a.commands.length) {
          <button type="button" class="ghost" [attr.aria-expanded]="showCard()" (click)="showCard.set(!showCard())">{{ 'agent.card' | t }}</button>
        }
      </header>
      @if (showCard()) {
        <ul class="card" data-testid="agent-card">
          @for (c of a.commands; track c.name) {
            <li><code>{{ c.name }}@if (c.args) { {{ c.args }} }</code>
              @if (c.policy === 'READ_ONLY') { <span class="chip">{{ 'agent.readOnly' | t }}</span> }
              @else if (c.policy === 'DESTRUCTIVE') { <span class="chip">{{ 'policy.DESTRUCTIVE' | t }}</span> }
              <span class="muted">{{ c.description }}</span></li>
          }
        </ul>
      }
      @if (!a.online) {
        <!-- Said before anyone types: an offline agent cannot answer now, so silence is not a broken chat. -->
        <p class="offline-note" role="status" data-testid="agent-offline-note">{{ 'agent.chatOfflineHint' | t: { name: a.name } }}</p>
      }
      <ec-chat-view [peerName]="a.name" [placeholder]="i18n.t('chat.placeholderAgent', { name: a.name })" />
    } @else {
      <div class="empty-state">{{ (agents.loading() ? 'common.loading' : 'agents.notFound') | t }}</div>
    }
  `,
  styles: `
    :host { display: flex; flex-direction: column; height: 100%; min-height: 0; }
    .head { display: flex; align-items: center; gap: .6rem; padding: .6rem .9rem; border-bottom: 1px solid var(--border); }
    .title { flex: 1; min-width: 0; }
    h2 { margin: 0; }
    .card { margin: 0; padding: .5rem 1rem .5rem 2rem; border-bottom: 1px solid var(--border); font-size: .88rem; display: flex; flex-direction: column; gap: .2rem; max-height: 30%; overflow: auto; }
    .card li { display: flex; gap: .5rem; align-items: baseline; flex-wrap: wrap; }
    ec-chat-view { flex: 1; min-height: 0; }
    .offline-note { margin: 0; padding: .45rem .9rem; background: var(--warning-soft); color: var(--warning-text); border-bottom: 1px solid var(--border); font-size: .88rem; }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class AgentChatPage {
  protected readonly agents = inject(AgentsStore);
  protected readonly i18n = inject(I18nService);
  private readonly chat = inject(ChatStore);
  /** Route parameter. */
  readonly id = input.required<string>();
  private readonly agentId = computed(() => Number(this.id()));
  protected readonly agent = computed(() => this.agents.byId().get(this.agentId()) ?? null);
  protected readonly showCard = signal(false);

  constructor() {
    effect(() => {
      const peerId = this.agentId();
      untracked(() => void this.chat.open({ peerId, conversationId: null }));
    });
  }
}
