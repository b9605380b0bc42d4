import { Inject, Injectable } from '@nestjs/common';
import * as bcrypt from 'bcrypt';
import type { HumanRole, UserDto } from '@echocenter/contracts';
import type { Actor } from '../actors/actor.entity';
import { ActorsService, type HumanChanges } from '../actors/actors.service';
import { isUniqueViolation } from '../database/db-errors';
import { AuditService, type AuditActor } from '../audit/audit.service';
import { conflict, notFound } from '../common/api-error';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/config';
import { DomainEventBus } from '../events/domain-event-bus';
import type { UpdateUserDto } from './dto/user.dto';
import { toUserDto } from './user.mapper';
import type { SessionEndReason } from './user-events';

@Injectable()
export class UsersService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly actors: ActorsService,
    private readonly audit: AuditService,
    private readonly events: DomainEventBus,
  ) {}

  async list(): Promise<UserDto[]> {
    const users = await this.actors.listOfType('HUMAN');
    return users.map(toUserDto);
  }

  async create(username: string, password: string, role: HumanRole = 'MEMBER', by?: AuditActor): Promise<UserDto> {
    const passwordHash = await bcrypt.hash(password, this.config.bcryptCost);
    try {
      const saved = await this.actors.createHuman(username, role, passwordHash);
      if (by)
        await this.audit.record(by, {
          action: 'user.created',
          targetType: 'user',
          targetId: saved.id,
          targetName: saved.name,
          details: { role },
        });
      return toUserDto(saved);
    } catch (err) {
      if (isUniqueViolation(err))
        throw conflict(`The username "${username}" is taken`, [{ field: 'username', message: 'already taken' }]);
      throw err;
    }
  }

  async update(id: number, dto: UpdateUserDto, by?: AuditActor): Promise<UserDto> {
    const user = await this.require(id);
    const losesAdmin =
      user.role === 'ADMIN' &&
      !user.disabled &&
      ((dto.role !== undefined && dto.role !== 'ADMIN') || dto.disabled === true);
    if (losesAdmin) await this.assertNotLastAdmin(id);
    const patch: HumanChanges = {};
    if (dto.role !== undefined) patch.role = dto.role;
    if (dto.disabled !== undefined) patch.disabled = dto.disabled;
    if (dto.password !== undefined) patch.passwordHash = await bcrypt.hash(dto.password, this.config.bcryptCost);
    // Each of these ends every session of the account: its tokens and its open sockets.
    const ended: SessionEndReason[] = [];
    if (dto.role !== undefined && dto.role !== user.role) ended.push('role');
    if (dto.disabled === true && !user.disabled) ended.push('disabled');
    if (dto.password !== undefined) ended.push('password');
    if (Object.keys(patch).length) {
      await this.actors.updateHuman(id, patch, ended.length > 0);
      // What changed, never the password itself.
      const details = {
        ...(dto.role !== undefined ? { role: dto.role } : {}),
        ...(dto.disabled !== undefined ? { disabled: dto.disabled } : {}),
        ...(dto.password !== undefined ? { password: 'reset' } : {}),
      };
      if (ended.length) this.events.emit('users.sessionsEnded', { userId: id, reasons: ended });
      if (by)
        await this.audit.record(by, {
          action: 'user.updated',
          targetType: 'user',
          targetId: id,
          targetName: user.name,
          details,
        });
    }
    return toUserDto(await this.require(id));
  }

  async remove(id: number, by?: AuditActor): Promise<void> {
    const user = await this.require(id);
    if (user.role === 'ADMIN' && !user.disabled) await this.assertNotLastAdmin(id);
    await this.actors.remove(id);
    this.events.emit('users.sessionsEnded', { userId: id, reasons: ['deleted'] });
    if (by)
      await this.audit.record(by, { action: 'user.deleted', targetType: 'user', targetId: id, targetName: user.name });
  }

  /** "Sign out everywhere": every token the caller holds stops working, every socket of theirs closes. */
  async endAllSessions(user: AuditActor & { id: number }): Promise<void> {
    await this.actors.endSessions(user.id);
    this.events.emit('users.sessionsEnded', { userId: user.id, reasons: ['logout-all'] });
    await this.audit.record(user, {
      action: 'user.sessions_revoked',
      targetType: 'user',
      targetId: user.id,
      targetName: user.name,
    });
  }

  /** The hub must always keep one enabled admin, or nobody could administer it again. */
  private async assertNotLastAdmin(id: number): Promise<void> {
    if ((await this.actors.countOtherEnabledAdmins(id)) === 0)
      throw conflict('The last enabled admin cannot be removed, disabled or demoted');
  }

  private async require(id: number): Promise<Actor> {
    const user = await this.actors.findHuman(id);
    if (!user) throw notFound('User');
    return user;
  }
}
