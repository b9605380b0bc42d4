import { InjectionToken } from '@angular/core';
import type { UserDto } from '@echocenter/contracts';

export interface Session {
  token: string;
  user: UserDto;
  /** Epoch ms after which the JWT is no longer accepted. */
  expiresAt: number;
  /** The hub said this admin signed in with the default password (LoginResponse.defaultPassword). */
  defaultPassword?: boolean;
}

export const SESSION_KEY = 'ec.session';

/** Browser storage behind a token so specs can swap it; localStorage keeps the session across tabs. */
export const APP_STORAGE = new InjectionToken<Storage>('APP_STORAGE', {
  providedIn: 'root',
  factory: () => localStorage,
});

export function readSession(storage: Storage, now = Date.now()): Session | null {
  try {
    const raw = storage.getItem(SESSION_KEY);
    if (!raw) return null;
    const s = JSON.parse(raw) as Session;
    if (typeof s?.token !== 'string' || typeof s.expiresAt !== 'number' || !s.user) return null;
    return s.expiresAt > now ? s : null;
  } catch {
    return null;
  }
}

export function writeSession(storage: Storage, session: Session | null): void {
  if (session) storage.setItem(SESSION_KEY, JSON.stringify(session));
  else storage.removeItem(SESSION_KEY);
}
