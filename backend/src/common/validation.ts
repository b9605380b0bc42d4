import { ValidationError, ValidationPipe } from '@nestjs/common';
import type { FieldError } from '@echocenter/contracts';
import { badRequest } from './api-error';

/** Flattens nested class-validator errors into `{field, message}` with dotted paths. */
export function flattenValidationErrors(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((e) => {
    const field = parent ? `${parent}.${e.property}` : e.property;
    const own = Object.values(e.constraints ?? {}).map((message) => ({ field, message }));
    return [...own, ...flattenValidationErrors(e.children ?? [], field)];
  });
}

/** Strict DTO validation: unknown fields are rejected, types converted only where declared. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    stopAtFirstError: false,
    exceptionFactory: (errors) => {
      const details = flattenValidationErrors(errors);
      return badRequest(details.map((d) => `${d.field}: ${d.message}`).join('; ') || 'Validation failed', details);
    },
  });
}
