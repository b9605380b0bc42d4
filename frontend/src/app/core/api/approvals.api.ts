import { HttpClient, HttpParams } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import type { AllowRuleDto, ApprovalDecisionRequest, ApprovalDto, ApprovalStatus, Page } from '@echocenter/contracts';
import { map, type Observable } from 'rxjs';
import { itemsOf } from './api-error';

@Injectable({ providedIn: 'root' })
export class ApprovalsApi {
  private readonly http = inject(HttpClient);

  list(status?: ApprovalStatus, limit = 200): Observable<ApprovalDto[]> {
    let params = new HttpParams().set('limit', limit);
    if (status) params = params.set('status', status);
    return this.http.get<ApprovalDto[] | Page<ApprovalDto>>('/api/approvals', { params }).pipe(map(itemsOf));
  }
  get(id: number): Observable<ApprovalDto> {
    return this.http.get<ApprovalDto>(`/api/approvals/${id}`);
  }
  decide(id: number, body: ApprovalDecisionRequest): Observable<ApprovalDto> {
    return this.http.post<ApprovalDto>(`/api/approvals/${id}/decision`, body);
  }
  rules(): Observable<AllowRuleDto[]> {
    return this.http.get<AllowRuleDto[] | Page<AllowRuleDto>>('/api/approvals/rules').pipe(map(itemsOf));
  }
  deleteRule(id: number): Observable<void> {
    return this.http.delete<void>(`/api/approvals/rules/${id}`);
  }
}
