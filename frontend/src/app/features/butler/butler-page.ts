import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { RouterOutlet } from '@angular/router';
import { ButlerStore } from '../../core/data/butler.store';
import { ButlerTabs } from './butler-tabs';
import { ThreadList } from './thread-list';
import { ThreadsStore } from './threads.store';

/** The Butler workspace: threads on the side, the open conversation in the outlet. */
@Component({
  selector: 'ec-butler-page',
  imports: [RouterOutlet, ButlerTabs, ThreadList],
  providers: [ThreadsStore],
  template: `
    <ec-butler-tabs active="threads" />
    <div class="layout" data-testid="butler-page">
      <ec-thread-list class="panel" />
      <section class="content panel"><router-outlet /></section>
    </div>
  `,
  styles: `
    :host { display: flex; flex-direction: column; height: 100%; }
    .layout { flex: 1; min-height: 0; display: grid; grid-template-columns: 280px 1fr; gap: .75rem; padding: .75rem; }
    ec-thread-list { min-height: 0; padding: .6rem; }
    .content { padding: 0; min-height: 0; overflow: hidden; display: flex; flex-direction: column; }
    @media (max-width: 760px) { .layout { grid-template-columns: 1fr; grid-template-rows: auto 1fr; } ec-thread-list { max-height: 32vh; } }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ButlerPage {
  constructor() {
    inject(ThreadsStore).load();
    inject(ButlerStore).refreshIfUnsettled();
  }
}
