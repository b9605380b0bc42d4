import { Injectable } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import { ApiException, unauthorized } from '../common/api-error';

/** passport-jwt with our error shape: expired and tampered tokens say which. */
@Injectable()
export class JwtAuthGuard extends AuthGuard('jwt') {
  override handleRequest<T>(err: unknown, user: T, info: unknown): T {
    if (err instanceof ApiException) throw err;
    if (err || !user) {
      const name = (info as { name?: string } | undefined)?.name;
      throw unauthorized(name === 'TokenExpiredError' ? 'Token expired' : 'Invalid token');
    }
    return user;
  }
}
