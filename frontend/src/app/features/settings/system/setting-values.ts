import type { SettingFieldDto, SettingKey, SettingsPatch, SettingValue } from '@echocenter/contracts';
import type { MessageKey } from '../../../core/i18n/messages.en';

/** What a form control holds: text for inputs and selects, a boolean for checkboxes. */
export type Draft = string | boolean;

export type Parsed =
  { ok: true; value: SettingValue } | { ok: false; key: MessageKey; params?: Record<string, number> };

/** The control's starting content for a field's effective value. */
export function toDraft(field: SettingFieldDto): Draft {
  if (field.type === 'boolean') return field.value === true;
  return field.value == null ? '' : String(field.value);
}

/**
 * A draft as the API wants it. Integers are checked here so a typo never costs a round trip; everything else
 * (URL syntax, lengths, the endpoint-needs-a-model rule) stays the server's call, which answers per field.
 */
export function parseDraft(field: SettingFieldDto, draft: Draft): Parsed {
  switch (field.type) {
    case 'boolean':
      return { ok: true, value: draft === true };
    case 'integer': {
      const text = String(draft).trim();
      if (!/^-?\d+$/.test(text)) return { ok: false, key: 'system.errInteger' };
      const n = Number(text);
      if ((field.min !== undefined && n < field.min) || (field.max !== undefined && n > field.max)) {
        return { ok: false, key: 'system.errRange', params: { min: field.min ?? n, max: field.max ?? n } };
      }
      return { ok: true, value: n };
    }
    default: {
      // An emptied text field means "no value": the server treats '' the same, null says it plainly.
      const text = String(draft).trim();
      return { ok: true, value: text === '' ? null : text };
    }
  }
}

/** Whether the control differs from what is in effect (secrets have their own flow and never count). */
export function isDirty(field: SettingFieldDto, draft: Draft | undefined): boolean {
  if (draft === undefined || field.type === 'secret' || field.readOnly) return false;
  const parsed = parseDraft(field, draft);
  return !parsed.ok || parsed.value !== (field.value ?? null);
}

/** 'butler.model' → { butler: { model } }: the PATCH body nests by the key's dots. */
export function patchFor(changes: ReadonlyArray<readonly [SettingKey, SettingValue]>): SettingsPatch {
  const body: Record<string, unknown> = {};
  for (const [key, value] of changes) {
    const path = key.split('.');
    let node = body;
    for (const part of path.slice(0, -1)) node = (node[part] ??= {}) as Record<string, unknown>;
    node[path[path.length - 1]] = value;
  }
  return body as SettingsPatch;
}

const UNITS: ReadonlyArray<readonly [Intl.NumberFormatOptions['unit'], number]> = [
  ['day', 86_400_000],
  ['hour', 3_600_000],
  ['minute', 60_000],
  ['second', 1_000],
];

/** 900000 → "15 minutes" / "15分钟": milliseconds are hard to read, the largest whole unit is not. */
export function humanizeMs(ms: number, lang: string): string {
  const [unit, size] = UNITS.find(([, s]) => ms >= s && ms % s === 0) ?? ['millisecond', 1];
  return new Intl.NumberFormat(lang, { style: 'unit', unit, unitDisplay: 'long' }).format(ms / size);
}

/** Message keys for a field's label and help; a key the console does not know yet falls back to the server's text. */
export const FIELD_TEXT: Partial<Record<SettingKey, { label: MessageKey; help: MessageKey }>> = {
  'butler.baseUrl': { label: 'system.field.butler.baseUrl', help: 'system.help.butler.baseUrl' },
  'butler.model': { label: 'system.field.butler.model', help: 'system.help.butler.model' },
  'butler.apiKey': { label: 'system.field.butler.apiKey', help: 'system.help.butler.apiKey' },
  'butler.tools': { label: 'system.field.butler.tools', help: 'system.help.butler.tools' },
  'butler.compactionThreshold': {
    label: 'system.field.butler.compactionThreshold',
    help: 'system.help.butler.compactionThreshold',
  },
  'butler.dailyTokenBudget': {
    label: 'system.field.butler.dailyTokenBudget',
    help: 'system.help.butler.dailyTokenBudget',
  },
  'butler.pricesPer1k': { label: 'system.field.butler.pricesPer1k', help: 'system.help.butler.pricesPer1k' },
  'approvals.policy': { label: 'system.field.approvals.policy', help: 'system.help.approvals.policy' },
  'approvals.ttlMs': { label: 'system.field.approvals.ttlMs', help: 'system.help.approvals.ttlMs' },
  'approvals.requesterMayApprove': {
    label: 'system.field.approvals.requesterMayApprove',
    help: 'system.help.approvals.requesterMayApprove',
  },
  'approvals.linksRequireLogin': {
    label: 'system.field.approvals.linksRequireLogin',
    help: 'system.help.approvals.linksRequireLogin',
  },
  agentCommandTimeoutMs: { label: 'system.field.agentCommandTimeoutMs', help: 'system.help.agentCommandTimeoutMs' },
  'logs.retentionDays': { label: 'system.field.logs.retentionDays', help: 'system.help.logs.retentionDays' },
};

export const GROUP_TEXT: Record<string, MessageKey> = {
  butler: 'system.group.butler',
  approvals: 'system.group.approvals',
  commands: 'system.group.commands',
  logs: 'system.group.logs',
};

export const UNIT_TEXT: Record<string, MessageKey> = {
  ms: 'system.unit.ms',
  days: 'system.unit.days',
  chars: 'system.unit.chars',
  tokens: 'system.unit.tokens',
};
