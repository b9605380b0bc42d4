/** Why a user's sessions ended; several at once when one update changed several things. */
export type SessionEndReason = 'role' | 'disabled' | 'deleted' | 'password' | 'logout-all';

/**
 * Every session of a user ended (DomainEvents 'users.sessionsEnded'; only UsersService emits): the gateway
 * closes the user's sockets on every node, so an open tab never keeps a role or an account it has lost.
 */
export interface UserSessionsEnded {
  userId: number;
  reasons: SessionEndReason[];
}
