import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { ActivatedRoute, Router } from '@angular/router';
import { toUiError } from '../../core/api/api-error';
import { AgentsStore } from '../../core/data/agents.store';
import { ButlerStore } from '../../core/data/butler.store';
import { I18nService } from '../../core/i18n/i18n.service';
import { TranslatePipe } from '../../core/i18n/translate.pipe';
import { butlerExamples } from './butler-examples';
import { ChatComposer } from '../../shared/chat/chat-composer';
import { ThreadsStore, titleFrom } from './threads.store';

/** No thread open: asking something starts a new thread named after the question. */
@Component({
  selector: 'ec-butler-home',
  imports: [ChatComposer, TranslatePipe],
  template: `
    <div class="intro" data-testid="butler-home">
      <h2>{{ 'butler.welcomeTitle' | t }}</h2>
      <p class="muted">{{ 'butler.welcomeText' | t }}</p>
      @if (examples().length) {
        <ul class="examples" [attr.aria-label]="'butler.examples' | t" data-testid="butler-examples">
          @for (e of examples(); track e) {
            <li><button type="button" class="example" [disabled]="busy()" (click)="start(e)">{{ e }}</button></li>
          }
        </ul>
      }
      @if (error(); as err) { <p class="error-state" role="alert">{{ err }}</p> }
    </div>
    <ec-chat-composer [disabled]="busy()" [placeholder]="'butler.askPlaceholder' | t" (sent)="start($event)" />
  `,
  styles: `
    :host { display: flex; flex-direction: column; height: 100%; }
    .intro { flex: 1; display: flex; flex-direction: column; justify-content: center; align-items: center; text-align: center; padding: 2rem; gap: .5rem; }
    .examples { list-style: none; margin: .5rem 0 0; padding: 0; display: flex; flex-wrap: wrap; gap: .4rem; justify-content: center; max-width: 40rem; }
    .example { border-radius: 999px; background: var(--surface); font-size: .88rem; }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ButlerHome {
  private readonly threads = inject(ThreadsStore);
  private readonly router = inject(Router);
  private readonly route = inject(ActivatedRoute);
  private readonly butler = inject(ButlerStore);
  private readonly agents = inject(AgentsStore);
  private readonly i18n = inject(I18nService);
  /** Prompts the current brain understands, in the console's language, naming an agent that exists. */
  protected readonly examples = computed(() => {
    const b = this.butler.butler();
    return b ? butlerExamples(b.brain, this.i18n.lang(), this.agents.agents()[0]?.name ?? null) : [];
  });
  protected readonly busy = signal(false);
  protected readonly error = signal<string | null>(null);

  protected async start(text: string): Promise<void> {
    this.busy.set(true);
    this.error.set(null);
    try {
      const conv = await this.threads.create(titleFrom(text));
      this.threads.setDraft(conv.id, text);
      await this.router.navigate([conv.id], { relativeTo: this.route });
    } catch (err) {
      this.error.set(toUiError(err).message);
    } finally {
      this.busy.set(false);
    }
  }
}
