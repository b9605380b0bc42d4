import type { AccessTokenScope, ActorKind } from '@echocenter/contracts';

/** Who is calling, as established by a guard from a JWT, an agent token or a personal access token. */
export interface AuthActor {
  id: number;
  name: string;
  kind: ActorKind;
  /** Set when a human called with a personal access token rather than a console session. */
  accessToken?: { id: number; scope: AccessTokenScope };
}

export const isHuman = (a: AuthActor) => a.kind === 'ADMIN' || a.kind === 'MEMBER';
