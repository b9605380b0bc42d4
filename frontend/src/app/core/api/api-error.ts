import { HttpErrorResponse } from '@angular/common/http';
import type { ApiError, ErrorCode, Page } from '@echocenter/contracts';

/** A REST failure normalised to the contract's error shape, keeping Retry-After for rate limits. */
export interface UiError extends ApiError {
  retryAfterSeconds?: number;
}

const KNOWN_CODES = new Set<string>([
  'VALIDATION_FAILED',
  'UNAUTHORIZED',
  'INVALID_CREDENTIALS',
  'FORBIDDEN',
  'NOT_FOUND',
  'CONFLICT',
  'RATE_LIMITED',
  'PAYLOAD_TOO_LARGE',
  'AGENT_OFFLINE',
  'TIMEOUT',
  'UNKNOWN_EVENT',
  'UNAVAILABLE',
  'INTERNAL_ERROR',
]);

function codeForStatus(status: number): ErrorCode {
  if (status === 0) return 'UNAVAILABLE';
  if (status === 400) return 'VALIDATION_FAILED';
  if (status === 401) return 'UNAUTHORIZED';
  if (status === 403) return 'FORBIDDEN';
  if (status === 404) return 'NOT_FOUND';
  if (status === 409) return 'CONFLICT';
  if (status === 413) return 'PAYLOAD_TOO_LARGE';
  if (status === 429) return 'RATE_LIMITED';
  if (status === 503 || status === 502 || status === 504) return 'UNAVAILABLE';
  return 'INTERNAL_ERROR';
}

export function toUiError(err: unknown): UiError {
  if (err instanceof HttpErrorResponse) {
    const body = err.error as Partial<ApiError> | null;
    const code =
      body && typeof body.code === 'string' && KNOWN_CODES.has(body.code) ? body.code : codeForStatus(err.status);
    const retry = retryAfter(err);
    return {
      statusCode: err.status,
      code,
      message: (body && typeof body.message === 'string' && body.message) || err.message,
      details: body?.details,
      retryAfterSeconds: Number.isFinite(retry) && retry > 0 ? retry : undefined,
    };
  }
  const message = err instanceof Error ? err.message : String(err);
  return { statusCode: 0, code: 'INTERNAL_ERROR', message };
}

// Named throttlers answer `Retry-After-<name>` (e.g. Retry-After-login-user) instead of the plain header.
function retryAfter(err: HttpErrorResponse): number {
  const headers = err.headers;
  if (!headers) return NaN;
  const name =
    headers.get('Retry-After') !== null ? 'Retry-After' : headers.keys().find((k) => /^retry-after/i.test(k));
  return name ? Number(headers.get(name)) : NaN;
}

/** Some list endpoints answer a plain array, others a keyset page; callers want the items either way. */
export function itemsOf<T>(res: T[] | Page<T>): T[] {
  return Array.isArray(res) ? res : res.items;
}
