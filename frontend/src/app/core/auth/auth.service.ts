import { HttpClient } from '@angular/common/http';
import { DestroyRef, Injectable, computed, inject, signal } from '@angular/core';
import { Router } from '@angular/router';
import type { LoginRequest, LoginResponse, UserDto } from '@echocenter/contracts';
import { firstValueFrom } from 'rxjs';
import { APP_STORAGE, readSession, writeSession, type Session } from './session-storage';

export type LogoutReason = 'manual' | 'expired';

@Injectable({ providedIn: 'root' })
export class AuthService {
  private readonly http = inject(HttpClient);
  private readonly router = inject(Router);
  private readonly storage = inject(APP_STORAGE);
  private readonly session = signal<Session | null>(readSession(this.storage));
  private expiryTimer: ReturnType<typeof setTimeout> | undefined;

  readonly user = computed(() => this.session()?.user ?? null);
  readonly token = computed(() => this.session()?.token ?? null);
  readonly isLoggedIn = computed(() => this.session() !== null);
  readonly isAdmin = computed(() => this.session()?.user.role === 'ADMIN');
  /** Until they sign in with another password, an admin using the default one is asked to change it. */
  readonly usesDefaultPassword = computed(() => this.isAdmin() && this.session()?.defaultPassword === true);

  constructor() {
    this.scheduleExpiry();
    inject(DestroyRef).onDestroy(() => clearTimeout(this.expiryTimer));
  }

  async login(body: LoginRequest): Promise<UserDto> {
    const res = await firstValueFrom(this.http.post<LoginResponse>('/api/auth/login', body));
    this.setSession({
      token: res.accessToken,
      user: res.user,
      expiresAt: Date.now() + res.expiresIn * 1000,
      ...(res.defaultPassword ? { defaultPassword: true } : {}),
    });
    return res.user;
  }

  /** Re-reads the user (role or disabled flag may have changed since the token was issued). */
  async refreshUser(): Promise<void> {
    const current = this.session();
    if (!current) return;
    const user = await firstValueFrom(this.http.get<UserDto>('/api/auth/me'));
    if (this.session()?.token === current.token) this.setSession({ ...current, user });
  }

  /**
   * "Sign out everywhere": the hub ends every token of this account (this one too) and closes its sockets
   * in every tab and browser; then this tab signs out. A failure leaves the session as it was.
   */
  async logoutEverywhere(): Promise<void> {
    await firstValueFrom(this.http.post<void>('/api/auth/logout-all', {}));
    this.logout();
  }

  logout(reason: LogoutReason = 'manual'): void {
    if (!this.session()) return;
    this.setSession(null);
    void this.router.navigate(['/login'], { queryParams: reason === 'expired' ? { reason } : {} });
  }

  private setSession(session: Session | null): void {
    writeSession(this.storage, session);
    this.session.set(session);
    this.scheduleExpiry();
  }

  // The JWT dies at a known time: send the operator to the login page then rather than on the next failure.
  private scheduleExpiry(): void {
    clearTimeout(this.expiryTimer);
    const s = this.session();
    if (!s) return;
    const ms = Math.min(s.expiresAt - Date.now(), 2 ** 31 - 1);
    this.expiryTimer = setTimeout(() => this.logout('expired'), Math.max(ms, 0));
  }
}
