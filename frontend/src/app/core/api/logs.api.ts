import { HttpClient, HttpParams } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import type { LogDto, LogQuery, Page } from '@echocenter/contracts';
import type { Observable } from 'rxjs';

@Injectable({ providedIn: 'root' })
export class LogsApi {
  private readonly http = inject(HttpClient);

  list(q: LogQuery): Observable<Page<LogDto>> {
    let params = new HttpParams();
    for (const [key, value] of Object.entries(q)) {
      if (value !== undefined && value !== null && value !== '') params = params.set(key, String(value));
    }
    return this.http.get<Page<LogDto>>('/api/logs', { params });
  }
}
