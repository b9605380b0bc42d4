import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import * as bcrypt from 'bcrypt';
import type { LoginResponse, UserDto } from '@echocenter/contracts';
import { ActorsService } from '../actors/actors.service';
import { ApiException } from '../common/api-error';
import { APP_CONFIG } from '../config/config.module';
import { DEFAULT_ADMIN_PASSWORD, type AppConfig } from '../config/config';
import { toUserDto } from '../users/user.mapper';
import type { JwtPayload } from './jwt-payload';

const invalidCredentials = () =>
  new ApiException(HttpStatus.UNAUTHORIZED, 'INVALID_CREDENTIALS', 'Invalid username or password');

@Injectable()
export class AuthService {
  /** Compared against when the user does not exist, so timing does not tell whether it does. */
  private readonly dummyHash: Promise<string>;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly actors: ActorsService,
    private readonly jwt: JwtService,
  ) {
    this.dummyHash = bcrypt.hash('not-a-real-password', config.bcryptCost);
  }

  async login(username: string, password: string): Promise<LoginResponse> {
    const user = await this.actors.findLogin(username);
    const ok = await bcrypt.compare(password, user?.passwordHash ?? (await this.dummyHash));
    if (!user || !ok || user.disabled) throw invalidCredentials();
    const payload: JwtPayload = { sub: user.id, name: user.name, tv: user.tokenVersion };
    return {
      accessToken: await this.jwt.signAsync(payload),
      expiresIn: this.config.jwt.expiresInSeconds,
      user: toUserDto(user),
      // Known only here, where the password was just checked: the hash cannot be compared later without it.
      ...(user.role === 'ADMIN' && password === DEFAULT_ADMIN_PASSWORD ? { defaultPassword: true } : {}),
    };
  }

  async me(id: number): Promise<UserDto> {
    const user = await this.actors.findById(id);
    if (!user) throw invalidCredentials();
    return toUserDto(user);
  }
}
