import type { ActorsService } from '../actors/actors.service';
import type { AuthActor } from '../auth/auth-actor';
import { currentHuman } from '../auth/current-human';
import { forbidden } from '../common/api-error';

/**
 * The caller as an admin right now. The route guard read the role from the token; keys to real machines
 * are worth reading it again, so an admin demoted a moment ago cannot add a node or take a key.
 */
export async function currentAdmin(actors: ActorsService, caller: AuthActor): Promise<AuthActor> {
  const actor = await currentHuman(actors, caller);
  if (actor.kind !== 'ADMIN') throw forbidden('Only an admin manages nodes and SSH keys');
  return actor;
}
