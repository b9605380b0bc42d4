import type { UserDto } from '@echocenter/contracts';
import { iso } from '../common/dates';
import type { Actor } from '../actors/actor.entity';

export function toUserDto(a: Actor): UserDto {
  return {
    id: a.id,
    username: a.name,
    role: a.role ?? 'MEMBER',
    disabled: a.disabled,
    createdAt: iso(a.createdAt)!,
    lastSeenAt: iso(a.lastSeenAt),
  };
}
