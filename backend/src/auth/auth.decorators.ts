import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import type { ActorKind } from '@echocenter/contracts';
import type { AuthActor } from './auth-actor';

export const IS_PUBLIC = 'auth:public';
export const ALLOWED_KINDS = 'auth:kinds';
export const SESSION_ONLY = 'auth:session-only';

/** No authentication at all (login, health). */
export const Public = () => SetMetadata(IS_PUBLIC, true);

/**
 * Which actor kinds may call a route. Default (no decorator): any human. Agents must be named
 * explicitly, so an agent token never reaches a human-only route by accident.
 */
export const AllowKinds = (...kinds: ActorKind[]) => SetMetadata(ALLOWED_KINDS, kinds);
export const AdminOnly = () => AllowKinds('ADMIN');

/**
 * Account and hub control (users, settings, ops keys and nodes, agent credentials, notification channels,
 * policies, allow-rules, approval decisions, MCP servers): a console session only, never a personal access
 * token, whatever its owner may do. A leaked token (or an assistant talked into misusing one) must not become
 * a new admin, a password reset, the model's URL, an agent's credential or a human's approval.
 */
export const SessionOnly = () => SetMetadata(SESSION_ONLY, true);

export const CurrentActor = createParamDecorator((_: unknown, ctx: ExecutionContext): AuthActor => {
  return ctx.switchToHttp().getRequest<{ actor: AuthActor }>().actor;
});
