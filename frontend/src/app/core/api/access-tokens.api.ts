import { HttpClient } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import type { AccessTokenDto, CreateAccessTokenRequest, CreatedAccessTokenDto } from '@echocenter/contracts';
import type { Observable } from 'rxjs';

/** The signed-in user's personal access tokens (REST Bearer and /mcp). */
@Injectable({ providedIn: 'root' })
export class AccessTokensApi {
  private readonly http = inject(HttpClient);

  list(): Observable<AccessTokenDto[]> {
    return this.http.get<AccessTokenDto[]>('/api/access-tokens');
  }
  create(body: CreateAccessTokenRequest): Observable<CreatedAccessTokenDto> {
    return this.http.post<CreatedAccessTokenDto>('/api/access-tokens', body);
  }
  revoke(id: number): Observable<void> {
    return this.http.delete<void>(`/api/access-tokens/${id}`);
  }
}
