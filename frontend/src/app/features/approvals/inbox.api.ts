import { HttpClient, HttpParams } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import type {
  ApprovalContextDto,
  ApprovalDecisionRequest,
  ApprovalDto,
  ApprovalStatus,
  Page,
} from '@echocenter/contracts';
import type { Observable } from 'rxjs';

export interface InboxQuery {
  status?: readonly ApprovalStatus[];
  agentId?: number | null;
  requestedBy?: number | null;
  before?: number | null;
  limit?: number;
}

/** The REST calls of the approvals inbox (GET /api/approvals with filters, an approval's thread context). */
@Injectable({ providedIn: 'root' })
export class InboxApi {
  private readonly http = inject(HttpClient);

  list(q: InboxQuery): Observable<Page<ApprovalDto>> {
    let params = new HttpParams().set('limit', q.limit ?? 100);
    if (q.status?.length) params = params.set('status', q.status.join(','));
    if (q.agentId != null) params = params.set('agentId', q.agentId);
    if (q.requestedBy != null) params = params.set('requestedBy', q.requestedBy);
    if (q.before != null) params = params.set('before', q.before);
    return this.http.get<Page<ApprovalDto>>('/api/approvals', { params });
  }
  get(id: number): Observable<ApprovalDto> {
    return this.http.get<ApprovalDto>(`/api/approvals/${id}`);
  }
  context(id: number): Observable<ApprovalContextDto> {
    return this.http.get<ApprovalContextDto>(`/api/approvals/${id}/context`);
  }
  decide(id: number, body: ApprovalDecisionRequest): Observable<ApprovalDto> {
    return this.http.post<ApprovalDto>(`/api/approvals/${id}/decision`, body);
  }
}
