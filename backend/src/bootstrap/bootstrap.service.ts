import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { ActorsService } from '../actors/actors.service';
import { ConfigError, type AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import { UsersService } from '../users/users.service';
import { isUniqueViolation } from '../database/db-errors';

/** Creates the first admin when none exists, and the Butler actor. Safe to run on every node at once. */
@Injectable()
export class BootstrapService implements OnApplicationBootstrap {
  private readonly logger = new Logger('Bootstrap');

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly actors: ActorsService,
    private readonly users: UsersService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.ensureButler();
    await this.ensureAdmin();
  }

  private async ensureButler(): Promise<void> {
    if (await this.actors.findByName('BUTLER', 'Butler')) return;
    try {
      await this.actors.createButler();
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
    }
  }

  private async ensureAdmin(): Promise<void> {
    const admins = await this.actors.countAdmins();
    if (admins > 0) return;
    const { username, password, isDefaultPassword } = this.config.admin;
    if (this.config.production && isDefaultPassword) {
      throw new ConfigError(['ADMIN_PASSWORD is required on the first start in production (no admin exists yet)']);
    }
    try {
      await this.users.create(username, password, 'ADMIN');
    } catch (err) {
      // Another node created it in the meantime.
      if ((err as { getStatus?: () => number }).getStatus?.() !== 409) throw err;
      return;
    }
    if (isDefaultPassword)
      this.logger.warn(
        `Created admin "${username}" with the default password "${password}": change it (or set ADMIN_PASSWORD)`,
      );
    else this.logger.log(`Created admin "${username}"`);
  }
}
