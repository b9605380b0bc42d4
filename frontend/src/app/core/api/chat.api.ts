import { HttpClient, HttpParams } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import type { ChatMessageDto, Page } from '@echocenter/contracts';
import type { Observable } from 'rxjs';

export interface HistoryQuery {
  before?: number;
  after?: number;
  limit?: number;
  conversationId?: number | null;
}

@Injectable({ providedIn: 'root' })
export class ChatApi {
  private readonly http = inject(HttpClient);

  /** Items come newest-first with `before`, oldest-first with `after`; callers sort by id anyway. */
  history(peerId: number, q: HistoryQuery): Observable<Page<ChatMessageDto>> {
    let params = new HttpParams().set('limit', q.limit ?? 50);
    if (q.before != null) params = params.set('before', q.before);
    if (q.after != null) params = params.set('after', q.after);
    if (q.conversationId != null) params = params.set('conversationId', q.conversationId);
    return this.http.get<Page<ChatMessageDto>>(`/api/chat/${peerId}/messages`, { params });
  }
}
