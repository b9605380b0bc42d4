import { HttpException, HttpStatus } from '@nestjs/common';
import type { ErrorCode, FieldError } from '@echocenter/contracts';

/** An HTTP error that already carries the protocol's error code and field details. */
export class ApiException extends HttpException {
  constructor(
    status: number,
    readonly code: ErrorCode,
    message: string,
    readonly details?: FieldError[],
  ) {
    super({ statusCode: status, code, message, ...(details ? { details } : {}) }, status);
  }
}

export const notFound = (what: string) => new ApiException(HttpStatus.NOT_FOUND, 'NOT_FOUND', `${what} not found`);
export const conflict = (message: string, details?: FieldError[]) =>
  new ApiException(HttpStatus.CONFLICT, 'CONFLICT', message, details);
export const forbidden = (message = 'You are not allowed to do this') =>
  new ApiException(HttpStatus.FORBIDDEN, 'FORBIDDEN', message);
export const badRequest = (message: string, details?: FieldError[]) =>
  new ApiException(HttpStatus.BAD_REQUEST, 'VALIDATION_FAILED', message, details);
export const unauthorized = (message = 'Authentication required') =>
  new ApiException(HttpStatus.UNAUTHORIZED, 'UNAUTHORIZED', message);

/** Default code for a status when a framework exception carries none of ours. */
export function codeForStatus(status: number): ErrorCode {
  switch (status) {
    case 400:
    case 422:
      return 'VALIDATION_FAILED';
    case 401:
      return 'UNAUTHORIZED';
    case 403:
      return 'FORBIDDEN';
    case 404:
      return 'NOT_FOUND';
    case 409:
      return 'CONFLICT';
    case 413:
      return 'PAYLOAD_TOO_LARGE';
    case 429:
      return 'RATE_LIMITED';
    case 503:
      return 'UNAVAILABLE';
    default:
      return status >= 500 ? 'INTERNAL_ERROR' : 'VALIDATION_FAILED';
  }
}
