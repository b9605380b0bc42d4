import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { ActivatedRoute, Router } from '@angular/router';
import { toUiError } from '../../core/api/api-error';
import { TranslatePipe } from '../../core/i18n/translate.pipe';
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
      @if (error(); as err) { <p class="error-state" role="alert">{{ err }}</p> }
    </div>
    <ec-chat-composer [disabled]="busy()" [placeholder]="'butler.askPlaceholder' | t" (sent)="start($event)" />
  `,
  styles: `
    :host { display: flex; flex-direction: column; height: 100%; }
    .intro { flex: 1; display: flex; flex-direction: column; justify-content: center; align-items: center; text-align: center; padding: 2rem; gap: .5rem; }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ButlerHome {
  private readonly threads = inject(ThreadsStore);
  private readonly router = inject(Router);
  private readonly route = inject(ActivatedRoute);
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
