import { Injectable, Logger } from '@nestjs/common';
import { DataSource, In, type EntityManager } from 'typeorm';
import type {
  FieldError,
  Page,
  SettingFieldDto,
  SettingKey,
  SettingsAuditDto,
  SettingsDto,
  SettingValue,
} from '@echocenter/contracts';
import type { AuthActor } from '../auth/auth-actor';
import { badRequest, conflict } from '../common/api-error';
import { iso } from '../common/dates';
import { toPage } from '../common/pagination';
import { transaction } from '../database/transaction';
import { originOf } from './key-origin';
import { isSealed } from './settings-crypto';
import { flattenPatch, SETTINGS, validateValue, type SettingDef } from './settings-schema';
import { SettingAuditRow, SettingRow } from './settings.entities';
import { SettingsService } from './settings.service';

/** How secrets appear in audit rows: that a value existed, never which. */
export const MASK = '••••';

interface Change {
  def: SettingDef;
  value: SettingValue;
  /** Secrets: the origin they are bound to (the endpoint's after this patch). */
  origin?: string | null;
}

/** The admin side of the settings: the API view, validated and audited writes, the audit list. */
@Injectable()
export class SettingsAdminService {
  private readonly logger = new Logger('Settings');

  constructor(
    private readonly settings: SettingsService,
    private readonly dataSource: DataSource,
  ) {}

  view(): SettingsDto {
    const fields = [...this.settings.resolved().values()].map((f): SettingFieldDto => {
      const { def } = f;
      const secret = def.type === 'secret';
      return {
        key: def.key,
        group: def.group,
        type: def.type,
        ...(secret ? { set: f.value !== null } : { value: f.value }),
        source: f.source,
        env: def.env,
        readOnly: f.source === 'env',
        default: secret ? null : def.default,
        ...(def.min !== undefined ? { min: def.min, max: def.max } : {}),
        ...(def.options ? { options: def.options } : {}),
        ...(def.unit ? { unit: def.unit } : {}),
        description: def.description,
        updatedAt: iso(f.updatedAt),
        updatedBy: f.updatedBy,
        ...(f.problem ? { problem: f.problem } : {}),
      };
    });
    return {
      fields,
      secretsWritable: this.settings.crypto !== null,
      links: { allowRules: '/api/approvals/rules', audit: '/api/settings/audit' },
    };
  }

  async patch(actor: AuthActor, body: unknown): Promise<SettingsDto> {
    const changes = this.check(body);
    const changed = await transaction(this.dataSource, (em) => this.write(em, actor, changes));
    if (changed.length) {
      // Names only: values (and secrets above all) stay out of the logs.
      this.logger.log(`${actor.name} changed ${changed.join(', ')}`);
      await this.settings.afterWrite(changed);
    }
    return this.view();
  }

  async audit(before: number | undefined, limit: number): Promise<Page<SettingsAuditDto>> {
    const qb = this.dataSource
      .getRepository(SettingAuditRow)
      .createQueryBuilder('a')
      .orderBy('a.id', 'DESC')
      .take(limit + 1);
    if (before !== undefined) qb.where('a.id < :before', { before });
    return toPage((await qb.getMany()).map(toAuditDto), limit);
  }

  /** All validation before any write: 400 with every field's problem, 409 for what the state forbids. */
  private check(body: unknown): Change[] {
    const { entries, errors } = flattenPatch(body);
    const changes: Change[] = [];
    for (const [def, raw] of entries) {
      const checked = validateValue(def, raw);
      if (checked.ok) changes.push({ def, value: checked.value });
      else errors.push({ field: def.key, message: checked.message });
    }
    if (errors.length) throw badRequest(summary(errors), errors);

    const locked = changes.filter((c) => this.settings.resolved().get(c.def.key)!.source === 'env');
    if (locked.length) {
      const details = locked.map((c) => ({
        field: c.def.key,
        message: `is set by the environment variable ${c.def.env}; unset it and restart to manage it here`,
      }));
      throw conflict(summary(details), details);
    }
    const secrets = changes.filter((c) => c.def.type === 'secret' && c.value !== null);
    if (secrets.length && !this.settings.crypto) {
      const details = secrets.map((c) => ({
        field: c.def.key,
        message: 'cannot be stored: set SETTINGS_KEY (the same on every node) to store secrets in production',
      }));
      throw conflict(summary(details), details);
    }

    // Cross-field rule of loadConfig, applied to the result: an endpoint needs a model name.
    const patched = new Map(changes.map((c) => [c.def.key, c.value ?? c.def.default]));
    const after = (key: SettingKey) => (patched.has(key) ? patched.get(key) : this.settings.resolved().get(key)!.value);
    if (after('butler.baseUrl') !== null && after('butler.model') === null) {
      throw badRequest('butler.model: is required when butler.baseUrl is set', [
        { field: 'butler.model', message: 'is required when butler.baseUrl is set' },
      ]);
    }

    // The key is only ever sent to the origin it was saved for (key-origin.ts): an endpoint on another
    // origin needs the key again in the same request, so nobody can point the stored key at their server.
    const endpointBefore = originOf(this.settings.resolved().get('butler.baseUrl')!.value as string | null);
    const endpointAfter = originOf(after('butler.baseUrl') as string | null);
    const key = this.settings.resolved().get('butler.apiKey')!;
    // (A key from BUTLER_API_KEY cannot be entered here; it belongs to BUTLER_BASE_URL, and the field says so.)
    if (
      key.source === 'db' &&
      key.value !== null &&
      !patched.has('butler.apiKey') &&
      endpointAfter !== null &&
      endpointAfter !== endpointBefore
    ) {
      const message = `must be entered again: the stored key belongs to ${endpointBefore ?? 'no endpoint'} and is never sent to ${endpointAfter}`;
      throw badRequest(`butler.apiKey: ${message}`, [{ field: 'butler.apiKey', message }]);
    }
    for (const c of changes) if (c.def.type === 'secret') c.origin = endpointAfter;
    return changes;
  }

  private async write(em: EntityManager, actor: AuthActor, changes: Change[]): Promise<SettingKey[]> {
    if (!changes.length) return [];
    const repo = em.getRepository(SettingRow);
    // On MySQL concurrent patches of the same field queue here, so each audit row's "old" is exact.
    // SQLite has one writer at a time anyway (and TypeORM refuses the lock there).
    const mysql = em.connection.options.type === 'mysql';
    const rows = await repo.find({
      where: { name: In(changes.map((c) => c.def.key)) },
      ...(mysql ? { lock: { mode: 'pessimistic_write' as const } } : {}),
    });
    const byName = new Map(rows.map((r) => [r.name, r]));
    const changed: SettingKey[] = [];
    const now = new Date();
    for (const { def, value, origin } of changes) {
      const row = byName.get(def.key);
      const old = row ? this.storedValue(def, row) : null;
      // A secret entered again for another endpoint is a change, even when the text is the same.
      const rebound = def.type === 'secret' && row !== undefined && sealedOrigin(row) !== origin;
      if (row && old !== undefined && old === value && !rebound) continue;
      if (!row && value === null) continue;
      if (value === null) await repo.delete({ name: def.key });
      else {
        const stored =
          def.type === 'secret' ? this.settings.crypto!.seal(def.key, value as string, origin ?? null) : value;
        await repo.upsert({ name: def.key, value: JSON.stringify(stored), updatedAt: now, updatedBy: actor.name }, [
          'name',
        ]);
      }
      const secret = def.type === 'secret';
      await em.getRepository(SettingAuditRow).insert({
        name: def.key,
        oldValue: row ? JSON.stringify(secret ? MASK : (old ?? null)) : null,
        newValue: value === null ? null : JSON.stringify(secret ? MASK : value),
        action: value === null ? 'cleared' : row ? 'changed' : 'set',
        actorId: actor.id,
        actorName: actor.name,
      });
      changed.push(def.key);
    }
    return changed;
  }

  /** The stored value for comparison; undefined when unreadable (then any new value counts as a change). */
  private storedValue(def: SettingDef, row: SettingRow): SettingValue | undefined {
    try {
      const stored = JSON.parse(row.value) as unknown;
      if (def.type !== 'secret') return stored as SettingValue;
      return isSealed(stored) && this.settings.crypto ? this.settings.crypto.open(def.key, stored) : undefined;
    } catch {
      return undefined;
    }
  }
}

function sealedOrigin(row: SettingRow): string | null | undefined {
  try {
    return (JSON.parse(row.value) as { origin?: string | null }).origin;
  } catch {
    return undefined;
  }
}

function summary(details: FieldError[]): string {
  return details.map((d) => `${d.field}: ${d.message}`).join('; ');
}

function toAuditDto(a: SettingAuditRow): SettingsAuditDto {
  const parse = (v: string | null): SettingValue => (v === null ? null : (JSON.parse(v) as SettingValue));
  return {
    id: a.id,
    key: a.name as SettingKey,
    oldValue: parse(a.oldValue),
    newValue: parse(a.newValue),
    action: a.action,
    secret: SETTINGS.find((d) => d.key === a.name)?.type === 'secret',
    actorId: a.actorId,
    actorName: a.actorName,
    createdAt: iso(a.createdAt)!,
  };
}
