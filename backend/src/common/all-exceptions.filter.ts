import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Response } from 'express';
import type { ApiError } from '@echocenter/contracts';
import { DATABASE_UNAVAILABLE, isDatabaseUnavailable } from '../lifecycle/unavailable';
import { codeForStatus } from './api-error';

/** Every REST error leaves in the one shape of PROTOCOL.md; 5xx never carry internals. */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('HTTP');

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw exception;
    const res = host.switchToHttp().getResponse<Response>();
    const body = this.toBody(exception);
    if (body.statusCode >= 500)
      this.logger.error(exception instanceof Error ? (exception.stack ?? exception.message) : String(exception));
    if (!res.headersSent) res.status(body.statusCode).json(body);
  }

  private toBody(exception: unknown): ApiError {
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const response = exception.getResponse();
      if (typeof response === 'object' && response && 'code' in response) return response as ApiError;
      const raw = typeof response === 'string' ? response : (response as { message?: unknown }).message;
      const message =
        status >= 500
          ? 'Internal server error'
          : Array.isArray(raw)
            ? raw.join('; ')
            : String(raw ?? exception.message);
      return { statusCode: status, code: codeForStatus(status), message };
    }
    // A database outage answers 503 UNAVAILABLE (retry later), not a 500 that reads as a bug.
    if (isDatabaseUnavailable(exception))
      return { statusCode: 503, code: 'UNAVAILABLE', message: DATABASE_UNAVAILABLE };
    return { statusCode: 500, code: 'INTERNAL_ERROR', message: 'Internal server error' };
  }
}
