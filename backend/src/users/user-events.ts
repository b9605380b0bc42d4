import { Injectable } from '@nestjs/common';
import { Observable, Subject } from 'rxjs';

/** Why a user's sessions ended; several at once when one update changed several things. */
export type SessionEndReason = 'role' | 'disabled' | 'deleted' | 'password' | 'logout-all';

export interface UserSessionsEnded {
  userId: number;
  reasons: SessionEndReason[];
}

/**
 * What other features learn about account changes. Only UsersService emits; the gateway listens and
 * closes the user's sockets on every node, so an open tab never keeps a role or an account it has lost.
 */
@Injectable()
export class UserEvents {
  private readonly ended = new Subject<UserSessionsEnded>();
  readonly sessionsEnded$: Observable<UserSessionsEnded> = this.ended.asObservable();

  sessionsEnded(userId: number, reasons: SessionEndReason[]): void {
    if (reasons.length) this.ended.next({ userId, reasons });
  }
}
