import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import type { ModelCapabilitiesDto } from '@echocenter/contracts';
import type { MessageKey } from '../../../core/i18n/messages.en';
import { TranslatePipe } from '../../../core/i18n/translate.pipe';
import { SystemSettingsStore } from './system-settings.store';

/** "Test the model connection": the endpoint's model list and what the model supports, or why it could not be reached. */
@Component({
  selector: 'ec-model-test',
  imports: [TranslatePipe],
  template: `
    @let test = store.modelTest();
    <div class="test">
      <div class="row">
        <button type="button" data-testid="model-test" [disabled]="test.state === 'running'" (click)="store.testModel()">
          {{ (test.state === 'running' ? 'system.modelTesting' : 'system.modelTest') | t }}</button>
        <span class="muted">{{ 'system.modelExplain' | t }}</span>
      </div>
      @if (test.state === 'done') {
        @if (test.result.ok) {
          <div class="result ok" role="status" data-testid="model-test-result" data-ok="true">
            <strong>{{ 'system.modelOk' | t: { count: test.result.models.length } }}</strong>
            @if (test.result.modelFound === true) { <span data-testid="model-test-found">{{ 'system.modelFound' | t: { model: test.model ?? '' } }}</span> }
            @if (test.result.modelFound === false) { <span class="missing" data-testid="model-test-missing">{{ 'system.modelMissing' | t: { model: test.model ?? '' } }}</span> }
            <ul class="models">
              @for (m of shown(); track m) { <li class="chip mono" data-testid="model-test-model" [class.match]="m === test.model">{{ m }}</li> }
              @if (hidden() > 0) { <li class="muted">{{ 'system.modelMore' | t: { count: hidden() } }}</li> }
            </ul>
            @if (test.result.capabilities; as caps) {
              <dl class="caps" data-testid="model-test-caps">
                <dt>{{ 'system.capsTitle' | t }}</dt><dd></dd>
                <dt>{{ 'system.capStreaming' | t }}</dt>
                <dd data-testid="cap-streaming" [class.missing]="!caps.streaming">{{ (caps.streaming ? 'system.capYes' : 'system.capNoStreaming') | t }}</dd>
                <dt>{{ 'system.capTools' | t }}</dt>
                <dd data-testid="cap-tools" [class.missing]="caps.tools !== 'called'">{{ TOOLS_TEXT[caps.tools] | t }}</dd>
                <dt>{{ 'system.capUsage' | t }}</dt>
                <dd data-testid="cap-usage">{{ (caps.streamUsage ? 'system.capYes' : 'system.capNo') | t }}</dd>
              </dl>
            }
            @if (test.result.capabilitiesError; as error) {
              <span class="missing" data-testid="model-test-caps-failed">{{ 'system.capsFailed' | t: { error } }}</span>
            }
          </div>
        } @else {
          <p class="result failed" role="alert" data-testid="model-test-result" data-ok="false">{{ 'system.modelFailed' | t: { error: test.result.error } }}</p>
        }
      }
    </div>
  `,
  styles: `
    .test { display: flex; flex-direction: column; gap: .5rem; padding: .7rem 0 .2rem; border-top: 1px dashed var(--border); }
    .row { display: flex; gap: .6rem; align-items: center; flex-wrap: wrap; }
    .row .muted { font-size: .86rem; }
    .result { margin: 0; padding: .5rem .7rem; border-radius: 6px; display: flex; flex-direction: column; gap: .3rem; }
    .ok { background: var(--success-soft); }
    .failed { background: var(--danger-soft); color: var(--danger); }
    .missing { color: var(--warning-text); }
    .models { list-style: none; margin: 0; padding: 0; display: flex; gap: .3rem; flex-wrap: wrap; }
    .match { border-color: var(--success); font-weight: 600; }
    .caps { display: grid; grid-template-columns: max-content 1fr; gap: .15rem .8rem; margin: .2rem 0 0; font-size: .9rem; }
    .caps dt:first-child { font-weight: 600; }
    .caps dd { margin: 0; }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ModelTestPanel {
  protected readonly store = inject(SystemSettingsStore);
  protected readonly TOOLS_TEXT = TOOLS_TEXT;
  /** Endpoints like OpenRouter list hundreds of models; the tested one first, then a readable handful. */
  private readonly models = computed(() => {
    const test = this.store.modelTest();
    if (test.state !== 'done' || !test.result.ok) return [];
    const list = test.result.models;
    return test.model && list.includes(test.model) ? [test.model, ...list.filter((m) => m !== test.model)] : list;
  });
  protected readonly shown = computed(() => this.models().slice(0, MAX_SHOWN));
  protected readonly hidden = computed(() => Math.max(0, this.models().length - MAX_SHOWN));
}

const MAX_SHOWN = 30;

const TOOLS_TEXT: Record<ModelCapabilitiesDto['tools'], MessageKey> = {
  called: 'system.capToolsCalled',
  accepted: 'system.capToolsAccepted',
  refused: 'system.capToolsRefused',
};
