import type { ActorsService } from '../actors/actors.service';
import { unauthorized } from '../common/api-error';
import type { AuthActor } from './auth-actor';

/**
 * The caller as the database says now. A socket's actor was fixed at its handshake and a request's at its
 * start; a decision that needs a role (approving, making an allow-rule) reads it again, so a user demoted
 * or disabled a moment ago cannot act on what they used to be.
 */
export async function currentHuman(actors: ActorsService, caller: AuthActor): Promise<AuthActor> {
  const user = await actors.findHuman(caller.id);
  if (!user || user.disabled) throw unauthorized('This account no longer exists or is disabled');
  return { id: user.id, name: user.name, kind: user.kind };
}
