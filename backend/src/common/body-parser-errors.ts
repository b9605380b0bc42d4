import type { NextFunction, Request, Response } from 'express';
import type { ApiError } from '@echocenter/contracts';
import { codeForStatus } from './api-error';

/**
 * Express error middleware placed right after the body parsers: malformed or oversized bodies
 * never reach Nest's router, so they are answered here in the protocol's error shape.
 */
export function bodyParserErrors(
  err: { type?: string; status?: number } | undefined,
  _req: Request,
  res: Response,
  next: NextFunction,
): void {
  if (
    !err ||
    typeof err.type !== 'string' ||
    (!err.type.startsWith('entity.') && !err.type.startsWith('encoding.') && !err.type.startsWith('charset.'))
  ) {
    next(err);
    return;
  }
  const statusCode = err.status ?? 400;
  const message =
    err.type === 'entity.parse.failed'
      ? 'Malformed JSON body'
      : err.type === 'entity.too.large'
        ? 'Request body too large'
        : 'Unreadable request body';
  const body: ApiError = { statusCode, code: codeForStatus(statusCode), message };
  res.status(statusCode).json(body);
}
