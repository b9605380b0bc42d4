import { HttpClient, HttpParams } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import type { AuditEntryDto, Page } from '@echocenter/contracts';
import type { Observable } from 'rxjs';

export interface AuditListQuery {
  before?: number;
  limit?: number;
  targetType?: string;
}

/** The admin audit trail (ADMIN): `GET /api/audit`, newest first, keyset paged. */
@Injectable({ providedIn: 'root' })
export class AuditApi {
  private readonly http = inject(HttpClient);

  list(q: AuditListQuery = {}): Observable<Page<AuditEntryDto>> {
    let params = new HttpParams().set('limit', q.limit ?? 50);
    if (q.before !== undefined) params = params.set('before', q.before);
    if (q.targetType) params = params.set('targetType', q.targetType);
    return this.http.get<Page<AuditEntryDto>>('/api/audit', { params });
  }
}
