import type { ActorKind } from '@echocenter/contracts';

/** Who is calling, as established by a guard from a JWT or an agent token. */
export interface AuthActor {
  id: number;
  name: string;
  kind: ActorKind;
}

export const isHuman = (a: AuthActor) => a.kind === 'ADMIN' || a.kind === 'MEMBER';
