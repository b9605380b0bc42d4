/**
 * Runtime settings (`/api/settings`, ADMIN only): values an admin changes without a restart. The effective
 * value of a field is its environment variable when set (source `env`, read-only), else the database value
 * (source `db`), else the built-in default (source `default`).
 */

export type SettingKey =
  | 'butler.baseUrl'
  | 'butler.model'
  | 'butler.apiKey'
  | 'butler.compactionThreshold'
  | 'butler.tools'
  | 'butler.dailyTokenBudget'
  | 'butler.pricesPer1k'
  | 'approvals.policy'
  | 'approvals.ttlMs'
  | 'approvals.requesterMayApprove'
  | 'approvals.linksRequireLogin'
  | 'agentCommandTimeoutMs'
  | 'logs.retentionDays';

export type SettingSource = 'env' | 'db' | 'default';
export type SettingType = 'url' | 'string' | 'secret' | 'integer' | 'boolean' | 'enum';
export type SettingValue = string | number | boolean | null;

export interface SettingFieldDto {
  key: SettingKey;
  /** For grouping in the console: 'butler', 'approvals', 'commands', 'logs'. */
  group: string;
  type: SettingType;
  /** The effective value; absent for secrets, which only report `set`. */
  value?: SettingValue;
  /** Secrets only: whether a value is in effect. The value itself never leaves the server. */
  set?: boolean;
  source: SettingSource;
  /** The environment variable that overrides this field. */
  env: string;
  /** True when `source` is `env`: PATCH refuses the field until the variable is unset. */
  readOnly: boolean;
  /** Built-in default (null for secrets). */
  default: SettingValue;
  /** Integers: inclusive bounds. */
  min?: number;
  max?: number;
  /** Enums: the allowed values. */
  options?: string[];
  /** Integers: 'ms', 'days', 'chars' or 'tokens'. */
  unit?: string;
  description: string;
  /** Last database change of this field (null when never stored). */
  updatedAt: string | null;
  updatedBy: string | null;
  /** Something an admin should fix, e.g. a stored secret that the current SETTINGS_KEY cannot decrypt. */
  problem?: string;
}

export interface SettingsDto {
  /** Every field, in display order. */
  fields: SettingFieldDto[];
  /** False in production without SETTINGS_KEY: secrets cannot be stored (PATCH answers 409). */
  secretsWritable: boolean;
  /** Related resources managed elsewhere, e.g. the approval allow-rules (`GET /api/approvals/rules`). */
  links: { allowRules: string; audit: string };
}

/**
 * `PATCH /api/settings`: only the fields to change. `null` removes the database value (the field falls back
 * to its default; for `butler.apiKey` it clears the key). Unknown or env-controlled fields are refused.
 */
export interface SettingsPatch {
  butler?: {
    baseUrl?: string | null;
    model?: string | null;
    apiKey?: string | null;
    compactionThreshold?: number | null;
  };
  approvals?: {
    policy?: 'default' | 'always' | null;
    ttlMs?: number | null;
    requesterMayApprove?: boolean | null;
    linksRequireLogin?: boolean | null;
  };
  agentCommandTimeoutMs?: number | null;
  logs?: { retentionDays?: number | null };
}

/** One change of one field. Values are null when the field had no database value; secrets read '••••'. */
export interface SettingsAuditDto {
  id: number;
  key: SettingKey;
  oldValue: SettingValue;
  newValue: SettingValue;
  /** 'set': first database value; 'changed': replaced; 'cleared': removed (back to the default, or no key). */
  action: 'set' | 'changed' | 'cleared';
  secret: boolean;
  actorId: number | null;
  actorName: string;
  createdAt: string;
}

/** `POST /api/settings/test-model`: any field left out uses the effective setting. */
export interface TestModelRequest {
  baseUrl?: string;
  apiKey?: string;
  model?: string;
}

/** What a model test found the endpoint+model to support (one tiny streamed request with one tiny tool). */
export interface ModelCapabilitiesDto {
  /** Streamed answers work (else the Butler asks for each answer in one piece). */
  streaming: boolean;
  /** Tools: the model 'called' the probe's tool, 'accepted' tools without calling it, or 'refused' them (HTTP 400). */
  tools: 'called' | 'accepted' | 'refused';
  /** Token usage comes at the end of the stream when asked for (`stream_options.include_usage`). */
  streamUsage: boolean;
}

export type TestModelResponse =
  | {
      ok: true;
      models: string[];
      /** Whether the model to test is in the list (null when none given or configured). */
      modelFound: boolean | null;
      /** Null when no model was given or configured, or the model is not in the list. */
      capabilities: ModelCapabilitiesDto | null;
      /** Why the capability probe failed, when it did (the listing still worked). */
      capabilitiesError?: string;
    }
  | { ok: false; error: string };
