import { Inject, Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { ActorsService } from '../actors/actors.service';
import { unauthorized } from '../common/api-error';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/config';
import type { AuthActor } from './auth-actor';
import { tokenVersionOf, type JwtPayload } from './jwt-payload';

@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, 'jwt') {
  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly actors: ActorsService,
  ) {
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      secretOrKey: config.jwt.secret,
      algorithms: ['HS256'],
    });
  }

  /**
   * A disabled or deleted user's token stops working at once, and role changes apply at once; so does a
   * token issued before the account's sessions were ended (password or role change, sign out everywhere).
   */
  async validate(payload: JwtPayload): Promise<AuthActor> {
    const user = await this.actors.findById(Number(payload.sub));
    if (!user || user.type !== 'HUMAN' || user.disabled)
      throw unauthorized('This account no longer exists or is disabled');
    if (tokenVersionOf(payload) !== user.tokenVersion) throw unauthorized('This session has been ended; sign in again');
    return { id: user.id, name: user.name, kind: user.kind };
  }
}
