import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import type { ActorKind } from '@echocenter/contracts';
import type { AuthActor } from './auth-actor';

export const IS_PUBLIC = 'auth:public';
export const ALLOWED_KINDS = 'auth:kinds';

/** No authentication at all (login, health). */
export const Public = () => SetMetadata(IS_PUBLIC, true);

/**
 * Which actor kinds may call a route. Default (no decorator): any human. Agents must be named
 * explicitly, so an agent token never reaches a human-only route by accident.
 */
export const AllowKinds = (...kinds: ActorKind[]) => SetMetadata(ALLOWED_KINDS, kinds);
export const AdminOnly = () => AllowKinds('ADMIN');

export const CurrentActor = createParamDecorator((_: unknown, ctx: ExecutionContext): AuthActor => {
  return ctx.switchToHttp().getRequest<{ actor: AuthActor }>().actor;
});
