import { HttpClient, HttpParams } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import type { ThreadUsageDto, UsageReportDto } from '@echocenter/contracts';
import type { Observable } from 'rxjs';

/** Model usage: one thread's (its owner) and the report per user, model and day (ADMIN). */
@Injectable({ providedIn: 'root' })
export class UsageApi {
  private readonly http = inject(HttpClient);

  thread(conversationId: number): Observable<ThreadUsageDto> {
    return this.http.get<ThreadUsageDto>(`/api/conversations/${conversationId}/usage`);
  }

  report(q: { from?: string; to?: string } = {}): Observable<UsageReportDto> {
    let params = new HttpParams();
    if (q.from) params = params.set('from', q.from);
    if (q.to) params = params.set('to', q.to);
    return this.http.get<UsageReportDto>('/api/usage', { params });
  }
}
