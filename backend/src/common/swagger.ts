import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, ApiResponse } from '@nestjs/swagger';
import type { ApiError, ErrorCode, FieldError } from '@echocenter/contracts';

class FieldErrorDoc implements FieldError {
  @ApiProperty({ example: 'level' }) field: string;
  @ApiProperty({ example: 'level must be one of INFO, SUCCESS, WARNING, ERROR' }) message: string;
}

export class ApiErrorDoc implements ApiError {
  @ApiProperty({ example: 400 }) statusCode: number;
  @ApiProperty({ example: 'VALIDATION_FAILED' }) code: ErrorCode;
  @ApiProperty({ example: 'level: level must be one of ...' }) message: string;
  @ApiPropertyOptional({ type: [FieldErrorDoc] }) details?: FieldError[];
}

const DESCRIPTIONS: Record<number, string> = {
  400: 'Validation failed (field-level details)',
  401: 'Missing, expired or invalid credentials',
  403: 'Authenticated but not allowed',
  404: 'Not found',
  409: 'Conflict with the current state',
  413: 'Body too large',
  429: 'Rate limited',
  503: 'A dependency is down',
};

/** Documents the shared error shape for the given statuses. */
export function ApiErrors(...statuses: number[]): MethodDecorator & ClassDecorator {
  return applyDecorators(...statuses.map((status) => ApiResponse({ status, description: DESCRIPTIONS[status], type: ApiErrorDoc })));
}
