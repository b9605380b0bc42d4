import type { ActorKind } from '@echocenter/contracts';
import type { AuthActor } from '../auth/auth-actor';
import { SocketException } from './socket-errors';

const NAMES: Record<ActorKind, string> = { ADMIN: 'admins', MEMBER: 'members', AGENT: 'agents', BUTLER: 'the Butler' };

/**
 * The one actor-kind check of every socket handler: FORBIDDEN unless the actor is one of `kinds`. Pass the
 * actor as it is now (re-read where a role change matters, e.g. `currentHuman`), not only as the handshake saw it.
 */
export function requireKinds(actor: AuthActor, ...kinds: ActorKind[]): void {
  if (!kinds.includes(actor.kind))
    throw new SocketException('FORBIDDEN', `Only ${kinds.map((k) => NAMES[k]).join(' or ')} may send this event`);
}

/** Admins and members: the people of the hub. */
export const HUMAN_KINDS: readonly ActorKind[] = ['ADMIN', 'MEMBER'];
