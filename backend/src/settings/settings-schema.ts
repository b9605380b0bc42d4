import type { FieldError, SettingKey, SettingType, SettingValue } from '@echocenter/contracts';
import { parsePrices } from '../butler/usage/prices';
import type { AppConfig } from '../config/config';

/**
 * The one description of every runtime setting: type, bounds, default, the environment variable that
 * overrides it and how to read that variable's (already validated) value from AppConfig. Validation,
 * the API and the console all follow from this table, so adding a setting is one entry here.
 */
export interface SettingDef {
  key: SettingKey;
  group: 'butler' | 'approvals' | 'commands' | 'logs';
  type: SettingType;
  env: string;
  /** Defaults equal loadConfig's when the variable is unset (checked by settings-schema.spec.ts). */
  default: SettingValue;
  fromConfig: (c: AppConfig) => SettingValue;
  min?: number;
  max?: number;
  maxLength?: number;
  options?: string[];
  unit?: 'ms' | 'days' | 'chars' | 'tokens';
  /** Strings: a further check of the trimmed text; returns the field message, or null when fine. */
  check?: (text: string) => string | null;
  description: string;
}

export const SETTINGS: readonly SettingDef[] = [
  {
    key: 'butler.baseUrl',
    group: 'butler',
    type: 'url',
    env: 'BUTLER_BASE_URL',
    default: null,
    fromConfig: (c) => c.butler.baseUrl,
    maxLength: 500,
    description:
      'OpenAI-compatible endpoint of the Butler model (e.g. http://localhost:11434/v1); empty → the offline brain',
  },
  {
    key: 'butler.model',
    group: 'butler',
    type: 'string',
    env: 'BUTLER_MODEL',
    default: null,
    fromConfig: (c) => c.butler.model,
    maxLength: 200,
    description: 'Model name; required with an endpoint',
  },
  {
    key: 'butler.apiKey',
    group: 'butler',
    type: 'secret',
    env: 'BUTLER_API_KEY',
    default: null,
    fromConfig: (c) => c.butler.apiKey,
    maxLength: 1000,
    description: 'API key of the endpoint; stored encrypted, never shown again',
  },
  {
    key: 'butler.compactionThreshold',
    group: 'butler',
    type: 'integer',
    env: 'BUTLER_COMPACTION_THRESHOLD',
    default: 12000,
    fromConfig: (c) => c.butler.compactionThreshold,
    min: 200,
    max: 10_000_000,
    unit: 'chars',
    description: 'Characters of thread context after which older turns are folded into a summary',
  },
  {
    key: 'butler.tools',
    group: 'butler',
    type: 'enum',
    env: 'BUTLER_TOOLS',
    default: 'auto',
    fromConfig: (c) => c.butler.tools,
    options: ['auto', 'on', 'off'],
    description:
      "Tools for the model: 'auto' (used unless the model refuses them), 'on' (always), 'off' (answers in words; explicit commands still work)",
  },
  {
    key: 'butler.dailyTokenBudget',
    group: 'butler',
    type: 'integer',
    env: 'BUTLER_DAILY_TOKEN_BUDGET',
    default: 0,
    fromConfig: (c) => c.butler.dailyTokenBudget,
    min: 0,
    max: 1_000_000_000_000,
    unit: 'tokens',
    description:
      'Model tokens (prompt + completion) each user may spend per UTC day; a turn over it is answered with a message, not sent to the model. 0 = no budget',
  },
  {
    key: 'butler.pricesPer1k',
    group: 'butler',
    type: 'string',
    env: 'BUTLER_PRICES_PER_1K',
    default: null,
    fromConfig: (c) => c.butler.pricesPer1k,
    maxLength: 2000,
    check: (text) => parsePrices(text).error,
    description:
      'Price per 1,000 tokens by model, as model=price pairs ("gpt-4o=0.005, llama3=0"); the usage report shows cost from it',
  },
  {
    key: 'approvals.policy',
    group: 'approvals',
    type: 'enum',
    env: 'APPROVAL_POLICY',
    default: 'default',
    fromConfig: (c) => c.approvals.policy,
    options: ['default', 'always'],
    description: "'default': read-only commands run without approval; 'always': every command needs one",
  },
  {
    key: 'approvals.ttlMs',
    group: 'approvals',
    type: 'integer',
    env: 'APPROVAL_TTL',
    default: 15 * 60_000,
    fromConfig: (c) => c.approvals.ttlMs,
    min: 1_000,
    max: 7 * 86_400_000,
    unit: 'ms',
    description: 'How long a pending approval waits before it expires',
  },
  {
    key: 'approvals.requesterMayApprove',
    group: 'approvals',
    type: 'boolean',
    env: 'APPROVAL_REQUESTER_MAY_APPROVE',
    default: false,
    fromConfig: (c) => c.approvals.requesterMayApprove,
    description: 'Let the operator who asked decide their own approvals (admins always may)',
  },
  {
    key: 'approvals.linksRequireLogin',
    group: 'approvals',
    type: 'boolean',
    env: 'APPROVAL_LINK_REQUIRES_LOGIN',
    default: false,
    fromConfig: (c) => c.notifications.linkRequiresLogin,
    description: "Every one-time approval link also asks for the admin's console password, whatever its channel says",
  },
  {
    key: 'agentCommandTimeoutMs',
    group: 'commands',
    type: 'integer',
    env: 'AGENT_COMMAND_TIMEOUT_MS',
    default: 30_000,
    fromConfig: (c) => c.agentCommandTimeoutMs,
    min: 100,
    max: 3_600_000,
    unit: 'ms',
    description: 'Deadline of a command sent to an agent',
  },
  {
    key: 'logs.retentionDays',
    group: 'logs',
    type: 'integer',
    env: 'LOG_RETENTION_DAYS',
    default: 0,
    fromConfig: (c) => c.logRetentionDays,
    min: 0,
    max: 36_500,
    unit: 'days',
    description: 'System logs older than this are deleted daily; 0 keeps them forever',
  },
];

export const SETTING_BY_KEY = new Map<string, SettingDef>(SETTINGS.map((d) => [d.key, d]));

/** Patch body → [key, value] pairs; unknown names and wrong nesting become field errors. */
export function flattenPatch(body: unknown): { entries: [SettingDef, unknown][]; errors: FieldError[] } {
  const entries: [SettingDef, unknown][] = [];
  const errors: FieldError[] = [];
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return { entries, errors: [{ field: 'body', message: 'must be a JSON object' }] };
  }
  const walk = (obj: Record<string, unknown>, prefix: string) => {
    for (const [name, value] of Object.entries(obj)) {
      const path = prefix ? `${prefix}.${name}` : name;
      const def = SETTING_BY_KEY.get(path);
      if (def) entries.push([def, value]);
      else if (SETTINGS.some((d) => d.key.startsWith(`${path}.`))) {
        if (typeof value === 'object' && value !== null && !Array.isArray(value))
          walk(value as Record<string, unknown>, path);
        else errors.push({ field: path, message: 'must be an object' });
      } else errors.push({ field: path, message: 'is not a known setting' });
    }
  };
  walk(body as Record<string, unknown>, '');
  return { entries, errors };
}

/** Checks one value against its definition; returns the normalised value or an error message. */
export function validateValue(
  def: SettingDef,
  value: unknown,
): { ok: true; value: SettingValue } | { ok: false; message: string } {
  // null removes the stored value: the field falls back to its default (for a secret: no key).
  if (value === null) return { ok: true, value: null };
  switch (def.type) {
    case 'url': {
      if (typeof value !== 'string') return { ok: false, message: 'must be a URL string or null' };
      const text = value.trim();
      if (text === '') return { ok: true, value: null };
      if (text.length > def.maxLength!) return { ok: false, message: `must be at most ${def.maxLength} characters` };
      try {
        const u = new URL(text);
        if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error();
      } catch {
        return { ok: false, message: 'must be an http:// or https:// URL' };
      }
      return { ok: true, value: text };
    }
    case 'string':
    case 'secret': {
      // Messages never echo the value: for a secret that would put it in a response (and maybe a log).
      if (typeof value !== 'string') return { ok: false, message: 'must be a string or null' };
      // Trimmed for secrets too: a key pasted with a trailing newline would otherwise fail every call.
      const text = value.trim();
      if (text === '') return { ok: true, value: null };
      if (text.length > def.maxLength!) return { ok: false, message: `must be at most ${def.maxLength} characters` };
      if (/[\u0000-\u001f]/.test(text)) return { ok: false, message: 'must not contain control characters' };
      const problem = def.check?.(text) ?? null;
      if (problem) return { ok: false, message: problem };
      return { ok: true, value: text };
    }
    case 'integer':
      if (typeof value !== 'number' || !Number.isInteger(value)) return { ok: false, message: 'must be an integer' };
      if (value < def.min! || value > def.max!)
        return { ok: false, message: `must be between ${def.min} and ${def.max}` };
      return { ok: true, value };
    case 'boolean':
      if (typeof value !== 'boolean') return { ok: false, message: 'must be true or false' };
      return { ok: true, value };
    case 'enum':
      if (typeof value !== 'string' || !def.options!.includes(value))
        return { ok: false, message: `must be one of ${def.options!.join(', ')}` };
      return { ok: true, value };
  }
}
