import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, ApiResponse } from '@nestjs/swagger';
import type { ApiError, ErrorCode, FieldError } from '@echocenter/contracts';
import { codeForStatus } from './api-error';

class FieldErrorDoc implements FieldError {
  @ApiProperty({ example: 'level' }) field: string;
  @ApiProperty({ example: 'level must be one of INFO, SUCCESS, WARNING, ERROR' }) message: string;
}

// Every ErrorCode of the contract; `satisfies` fails the build when the contract gains one this list lacks.
const ERROR_CODES = [
  'VALIDATION_FAILED',
  'UNAUTHORIZED',
  'TOKEN_EXPIRED',
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
  'HOST_KEY_MISMATCH',
  'HOST_KEY_UNCONFIRMED',
] as const satisfies readonly ErrorCode[];
type MissingCode = Exclude<ErrorCode, (typeof ERROR_CODES)[number]>;
const allCodesListed: MissingCode extends never ? true : MissingCode = true;
void allCodesListed;

export class ApiErrorDoc implements ApiError {
  @ApiProperty({ example: 400 }) statusCode: number;
  @ApiProperty({ type: String, enum: ERROR_CODES, example: 'VALIDATION_FAILED' }) code: ErrorCode;
  @ApiProperty({ example: 'level: level must be one of ...' }) message: string;
  @ApiPropertyOptional({ type: [FieldErrorDoc] }) details?: FieldError[];
}

interface ErrorCase {
  description: string;
  message: string;
  details?: FieldError[];
}

// One example per status: the schema's own example would show the 400 body under every status.
const CASES: Record<number, ErrorCase> = {
  400: {
    description: 'Validation failed (field-level details)',
    message: 'name: name must be shorter than or equal to 64 characters',
    details: [{ field: 'name', message: 'name must be shorter than or equal to 64 characters' }],
  },
  401: { description: 'Missing, expired or invalid credentials', message: 'Authentication required' },
  403: { description: 'Authenticated but not allowed', message: 'You are not allowed to do this' },
  404: { description: 'Not found', message: 'Agent not found' },
  409: {
    description: 'Conflict with the current state',
    message: 'Approval #12 is already APPROVED (decided by alice)',
  },
  413: { description: 'Body too large', message: 'Request body is larger than the limit' },
  429: { description: 'Rate limited', message: 'Too many attempts, try again later' },
  503: { description: 'A dependency is down', message: 'The database is unreachable' },
};

/** The error body the hub actually sends for `status` (see AllExceptionsFilter). */
export function errorExample(status: number): ApiError {
  const c = CASES[status];
  return {
    statusCode: status,
    code: codeForStatus(status),
    message: c?.message ?? 'Error',
    ...(c?.details ? { details: c.details } : {}),
  };
}

/** Documents the shared error shape for the given statuses, each with its own example. */
export function ApiErrors(...statuses: number[]): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ...statuses.map((status) =>
      ApiResponse({
        status,
        description: CASES[status]?.description ?? 'Error',
        type: ApiErrorDoc,
        example: errorExample(status),
      }),
    ),
  );
}
