import type { Provider } from '@angular/core';
import type { HumanRole, UserDto } from '@echocenter/contracts';
import { APP_STORAGE, SESSION_KEY, type Session } from '../app/core/auth/session-storage';

export class MemoryStorage implements Storage {
  private readonly data = new Map<string, string>();
  get length(): number {
    return this.data.size;
  }
  clear(): void {
    this.data.clear();
  }
  getItem(key: string): string | null {
    return this.data.get(key) ?? null;
  }
  key(index: number): string | null {
    return [...this.data.keys()][index] ?? null;
  }
  removeItem(key: string): void {
    this.data.delete(key);
  }
  setItem(key: string, value: string): void {
    this.data.set(key, value);
  }
}

export function testUser(overrides: Partial<UserDto> = {}): UserDto {
  return {
    id: 1,
    username: 'alice',
    role: 'ADMIN',
    disabled: false,
    createdAt: '2026-01-01T00:00:00Z',
    lastSeenAt: null,
    ...overrides,
  };
}

/** Storage that already holds a valid session for `role`, so the app starts signed in. */
export function provideSession(
  role: HumanRole | null = 'ADMIN',
  userId = 1,
): { storage: MemoryStorage; providers: Provider[] } {
  const storage = new MemoryStorage();
  if (role) {
    const session: Session = {
      token: 'jwt-token',
      user: testUser({ id: userId, role }),
      expiresAt: Date.now() + 3_600_000,
    };
    storage.setItem(SESSION_KEY, JSON.stringify(session));
  }
  return { storage, providers: [{ provide: APP_STORAGE, useValue: storage }] };
}
