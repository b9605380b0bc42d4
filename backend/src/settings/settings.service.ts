import { randomUUID } from 'node:crypto';
import { Logger, OnModuleDestroy } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import type { SettingKey, SettingSource, SettingValue } from '@echocenter/contracts';
import type { AppConfig, ApprovalPolicy, ButlerToolsMode } from '../config/config';
import type { DomainEventBus } from '../events/domain-event-bus';
import type { RealtimeService } from '../gateway/realtime.service';
import { keyOriginProblem, originOf } from './key-origin';
import { isSealed, settingsCryptoFor, type SettingsCrypto } from './settings-crypto';
import { SETTINGS, validateValue, type SettingDef } from './settings-schema';
import { SettingRow } from './settings.entities';

/** The effective runtime settings, typed. */
export interface RuntimeSettings {
  butler: {
    baseUrl: string | null;
    model: string | null;
    apiKey: string | null;
    compactionThreshold: number;
    tools: ButlerToolsMode;
    dailyTokenBudget: number;
    pricesPer1k: string | null;
  };
  approvals: { policy: ApprovalPolicy; ttlMs: number; requesterMayApprove: boolean; linksRequireLogin: boolean };
  agentCommandTimeoutMs: number;
  logs: { retentionDays: number };
}

/** One field as resolved from env, database and default. `value` of a secret is the plaintext: internal only. */
export interface ResolvedField {
  def: SettingDef;
  value: SettingValue;
  source: SettingSource;
  updatedAt: Date | null;
  updatedBy: string | null;
  problem?: string;
  /** Stored secrets: the origin they were sealed for (undefined: sealed before origins were recorded). */
  boundOrigin?: string | null;
}

export interface SettingsChange {
  keys: SettingKey[];
  current: RuntimeSettings;
}

/** Safety net behind the broadcast: pub/sub is at-most-once, and a node may miss a message while it reconnects. */
const REFRESH_MS = 60_000;

/**
 * Runtime settings for the whole backend. `current()` and the helpers are synchronous reads of an
 * in-memory copy, so hot paths (every Butler message, every approval) may call them freely. The copy is
 * re-read from the database after a change on this node, when another node announces one through
 * RealtimeService (Redis adapter), and every minute. Created by an async factory (settings.module.ts), so
 * it is loaded before anything that injects it is built.
 */
export class SettingsService implements OnModuleDestroy {
  readonly nodeId = randomUUID();
  readonly crypto: SettingsCrypto | null;
  private fields = new Map<SettingKey, ResolvedField>();
  private typed!: RuntimeSettings;
  private chain: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | null = null;
  private unsubscribe: (() => void) | null = null;
  private readonly logger = new Logger('Settings');
  /** Problems already reported, so the minute refresh does not repeat the same warning forever. */
  private readonly reported = new Map<SettingKey, string>();

  constructor(
    private readonly config: AppConfig,
    private readonly dataSource: DataSource,
    private readonly realtime: RealtimeService,
    private readonly events: DomainEventBus,
  ) {
    this.crypto = settingsCryptoFor(config);
  }

  async init(): Promise<void> {
    await this.reload();
    this.unsubscribe = this.realtime.onServerSide('settings:changed', (payload) => {
      // This node already re-read before announcing; only the others need to.
      if ((payload as { origin?: string } | null)?.origin !== this.nodeId) void this.reload();
    });
    this.timer = setInterval(() => void this.reload(), REFRESH_MS);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    if (this.timer) clearInterval(this.timer);
    this.unsubscribe?.();
  }

  current(): RuntimeSettings {
    return this.typed;
  }

  /** Same shape as `config.butler`, with the runtime fields applied. */
  butler(): AppConfig['butler'] {
    return { ...this.config.butler, ...this.typed.butler };
  }

  /** The model the Butler answers with: null (the offline brain) unless both a base URL and a model are set. */
  butlerModel(): string | null {
    const { baseUrl, model } = this.typed.butler;
    return baseUrl && model ? model : null;
  }

  /** Same shape as `config.approvals`, with the runtime fields applied. */
  approvals(): AppConfig['approvals'] {
    const { policy, ttlMs, requesterMayApprove } = this.typed.approvals;
    const a = { policy, ttlMs, requesterMayApprove };
    // loadConfig caps the warning at half the TTL; the TTL may now differ, so cap again.
    return {
      ...this.config.approvals,
      ...a,
      warnBeforeMs: Math.min(this.config.approvals.warnBeforeMs, Math.floor(a.ttlMs / 2)),
    };
  }

  /** Whether every one-time approval link asks for the admin's password (on top of each channel's own setting). */
  linksRequireLogin(): boolean {
    return this.typed.approvals.linksRequireLogin;
  }

  agentCommandTimeoutMs(): number {
    return this.typed.agentCommandTimeoutMs;
  }

  /** Resolved fields for the API view (secret values must not leave through it). */
  resolved(): ReadonlyMap<SettingKey, ResolvedField> {
    return this.fields;
  }

  /** Called by the writer after its transaction committed: re-read here, then tell the other nodes. */
  async afterWrite(keys: SettingKey[]): Promise<void> {
    await this.reload();
    this.realtime.serverSideEmit('settings:changed', { origin: this.nodeId, keys });
  }

  /** Serialised, so an older read can never land after a newer one. */
  reload(): Promise<void> {
    const next = this.chain.then(() => this.load());
    this.chain = next.catch((err: unknown) => {
      // Keep serving the last good copy; the next event or the timer tries again.
      this.logger.warn(`could not re-read the settings: ${err instanceof Error ? err.message : String(err)}`);
    });
    return next;
  }

  private async load(): Promise<void> {
    const rows = await this.dataSource.getRepository(SettingRow).find();
    const byName = new Map(rows.map((r) => [r.name, r]));
    const fields = new Map<SettingKey, ResolvedField>();
    for (const def of SETTINGS) fields.set(def.key, this.resolve(def, byName.get(def.key)));
    this.bindKeyToOrigin(fields);
    const typed = toTyped(fields);
    const previous = this.typed;
    this.fields = fields;
    this.typed = typed;
    if (!previous) return;
    const keys = SETTINGS.map((d) => d.key).filter(
      (k) => JSON.stringify(get(previous, k)) !== JSON.stringify(get(typed, k)),
    );
    // After a reload changed at least one effective value (on every node, whoever made the change).
    if (keys.length) this.events.emit('settings.changed', { keys, current: typed });
  }

  private resolve(def: SettingDef, row: SettingRow | undefined): ResolvedField {
    if (this.config.envSet.has(def.env))
      return { def, value: def.fromConfig(this.config), source: 'env', updatedAt: null, updatedBy: null };
    const fallback: ResolvedField = {
      def,
      value: def.default,
      source: 'default',
      updatedAt: row?.updatedAt ?? null,
      updatedBy: row?.updatedBy ?? null,
    };
    if (!row) {
      this.reported.delete(def.key);
      return fallback;
    }
    try {
      const stored = JSON.parse(row.value) as unknown;
      let value: unknown = stored;
      if (def.type === 'secret') {
        if (!isSealed(stored)) throw new Error('stored without encryption; set it again');
        if (!this.crypto) throw new Error('SETTINGS_KEY is not set, so the stored value cannot be decrypted');
        value = this.crypto.open(def.key, stored);
      }
      const checked = validateValue(def, value);
      if (!checked.ok) throw new Error(`stored value ${checked.message}`);
      this.reported.delete(def.key);
      const bound = def.type === 'secret' ? { boundOrigin: (stored as { origin?: string | null }).origin } : {};
      return { ...fallback, value: checked.value, source: 'db', ...bound };
    } catch (err) {
      const problem = err instanceof Error ? err.message : String(err);
      // Only the name and the reason: never the row, which might hold a secret.
      if (this.reported.get(def.key) !== problem)
        this.logger.warn(`setting ${def.key} ignored (default used): ${problem}`);
      this.reported.set(def.key, problem);
      return { ...fallback, problem };
    }
  }

  /**
   * The API key is in effect only while the endpoint is on the origin it belongs to (key-origin.ts), so
   * nothing in the hub can send it elsewhere. A key from BUTLER_API_KEY belongs to BUTLER_BASE_URL's
   * origin; a stored key to the one it was saved for. A key stored before origins were recorded belongs
   * to the endpoint it has been used with until it is saved again.
   */
  private bindKeyToOrigin(fields: Map<SettingKey, ResolvedField>): void {
    const key = fields.get('butler.apiKey')!;
    if (key.value === null) return;
    const endpoint = originOf(fields.get('butler.baseUrl')!.value as string | null);
    const fromEnv = key.source === 'env';
    const boundTo = fromEnv
      ? this.config.envSet.has('BUTLER_BASE_URL')
        ? originOf(this.config.butler.baseUrl)
        : null
      : key.boundOrigin === undefined
        ? endpoint
        : key.boundOrigin;
    if (boundTo === endpoint) return;
    const problem =
      fromEnv && boundTo === null
        ? `BUTLER_API_KEY is only sent to the origin of BUTLER_BASE_URL, which is not set`
        : keyOriginProblem(boundTo, endpoint);
    if (this.reported.get(key.def.key) !== problem) this.logger.warn(`setting ${key.def.key} not used: ${problem}`);
    this.reported.set(key.def.key, problem);
    fields.set(key.def.key, { ...key, value: null, problem });
  }
}

function toTyped(fields: Map<SettingKey, ResolvedField>): RuntimeSettings {
  const v = <T>(k: SettingKey) => fields.get(k)!.value as T;
  return {
    butler: {
      baseUrl: v<string | null>('butler.baseUrl'),
      model: v<string | null>('butler.model'),
      apiKey: v<string | null>('butler.apiKey'),
      compactionThreshold: v<number>('butler.compactionThreshold'),
      tools: v<ButlerToolsMode>('butler.tools'),
      dailyTokenBudget: v<number>('butler.dailyTokenBudget'),
      pricesPer1k: v<string | null>('butler.pricesPer1k'),
    },
    approvals: {
      policy: v<ApprovalPolicy>('approvals.policy'),
      ttlMs: v<number>('approvals.ttlMs'),
      requesterMayApprove: v<boolean>('approvals.requesterMayApprove'),
      linksRequireLogin: v<boolean>('approvals.linksRequireLogin'),
    },
    agentCommandTimeoutMs: v<number>('agentCommandTimeoutMs'),
    logs: { retentionDays: v<number>('logs.retentionDays') },
  };
}

/** Reads a dotted key out of RuntimeSettings. */
function get(s: RuntimeSettings, key: SettingKey): unknown {
  return key.split('.').reduce<unknown>((o, part) => (o as Record<string, unknown>)[part], s);
}
