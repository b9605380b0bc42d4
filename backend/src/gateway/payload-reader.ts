import type { FieldError } from '@echocenter/contracts';
import { SocketException } from './socket-errors';

interface StrRule {
  min?: number;
  max: number;
  pattern?: RegExp;
  patternMessage?: string;
}

interface IntRule {
  min?: number;
  max?: number;
}

/**
 * Hand-written payload checks for the socket hot path (class-validator per message halves throughput,
 * see STACK.md). Collects every field problem, then `done()` throws one VALIDATION_FAILED with details.
 * Unknown fields are ignored: clients may send sender fields, which the server never reads.
 */
export class PayloadReader {
  readonly errors: FieldError[] = [];

  private constructor(
    private readonly body: Record<string, unknown>,
    private readonly prefix: string,
  ) {}

  static of(payload: unknown, prefix = ''): PayloadReader {
    if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) {
      throw new SocketException('VALIDATION_FAILED', 'payload must be an object', [
        { field: prefix || 'payload', message: 'must be an object' },
      ]);
    }
    return new PayloadReader(payload as Record<string, unknown>, prefix);
  }

  has(field: string): boolean {
    return this.body[field] !== undefined && this.body[field] !== null;
  }

  raw(field: string): unknown {
    return this.body[field];
  }

  fail(field: string, message: string): void {
    this.errors.push({ field: this.prefix + field, message });
  }

  int(field: string, rule: IntRule = {}): number {
    const v = this.body[field];
    const min = rule.min ?? 1;
    const max = rule.max ?? 2 ** 31 - 1;
    if (typeof v !== 'number' || !Number.isInteger(v)) this.fail(field, 'must be an integer');
    else if (v < min || v > max) this.fail(field, `must be between ${min} and ${max}`);
    else return v;
    return 0;
  }

  optInt(field: string, rule: IntRule = {}): number | undefined {
    return this.has(field) ? this.int(field, rule) : undefined;
  }

  str(field: string, rule: StrRule): string {
    const v = this.body[field];
    const min = rule.min ?? 1;
    if (typeof v !== 'string') this.fail(field, 'must be a string');
    else if (v.length < min) this.fail(field, min === 1 ? 'must not be empty' : `must be at least ${min} characters`);
    else if (v.length > rule.max) this.fail(field, `must be at most ${rule.max} characters`);
    else if (rule.pattern && !rule.pattern.test(v)) this.fail(field, rule.patternMessage ?? 'has an invalid format');
    else return v;
    return '';
  }

  optStr(field: string, rule: StrRule): string | undefined {
    return this.has(field) ? this.str(field, rule) : undefined;
  }

  bool(field: string): boolean {
    const v = this.body[field];
    if (typeof v !== 'boolean') this.fail(field, 'must be a boolean');
    return v === true;
  }

  optBool(field: string): boolean | undefined {
    return this.has(field) ? this.bool(field) : undefined;
  }

  oneOf<T extends string>(field: string, allowed: readonly T[]): T {
    const v = this.body[field];
    if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v))
      this.fail(field, `must be one of ${allowed.join(', ')}`);
    return v as T;
  }

  /** Throws the collected problems, if any. */
  done(): void {
    if (!this.errors.length) return;
    throw new SocketException(
      'VALIDATION_FAILED',
      this.errors.map((e) => `${e.field}: ${e.message}`).join('; '),
      this.errors,
    );
  }
}
