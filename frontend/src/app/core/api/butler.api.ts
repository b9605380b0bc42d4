import { HttpClient, HttpParams } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import type {
  AgentCommandDto,
  ButlerDto,
  ConversationDto,
  CreateConversationRequest,
  MonitorEventDto,
  Page,
  UpdateConversationRequest,
} from '@echocenter/contracts';
import { map, type Observable } from 'rxjs';
import { itemsOf } from './api-error';

@Injectable({ providedIn: 'root' })
export class ButlerApi {
  private readonly http = inject(HttpClient);

  butler(): Observable<ButlerDto> {
    return this.http.get<ButlerDto>('/api/butler');
  }
  conversations(): Observable<ConversationDto[]> {
    return this.http.get<ConversationDto[] | Page<ConversationDto>>('/api/conversations').pipe(map(itemsOf));
  }
  createConversation(body: CreateConversationRequest): Observable<ConversationDto> {
    return this.http.post<ConversationDto>('/api/conversations', body);
  }
  updateConversation(id: number, body: UpdateConversationRequest): Observable<ConversationDto> {
    return this.http.patch<ConversationDto>(`/api/conversations/${id}`, body);
  }
  deleteConversation(id: number): Observable<void> {
    return this.http.delete<void>(`/api/conversations/${id}`);
  }
  /** Cancels a queued or running command (its requester or an admin). */
  cancelCommand(id: number, reason?: string): Observable<AgentCommandDto> {
    return this.http.post<AgentCommandDto>(`/api/commands/${id}/cancel`, reason ? { reason } : {});
  }
  /** This thread's commands QUEUED for an offline agent that the caller may cancel. */
  waitingCommands(conversationId: number): Observable<AgentCommandDto[]> {
    return this.http.get<AgentCommandDto[]>('/api/commands/waiting', {
      params: new HttpParams().set('conversationId', conversationId),
    });
  }
  monitor(q: { agentId?: number; before?: number; limit?: number }): Observable<Page<MonitorEventDto>> {
    let params = new HttpParams().set('limit', q.limit ?? 50);
    if (q.agentId != null) params = params.set('agentId', q.agentId);
    if (q.before != null) params = params.set('before', q.before);
    return this.http.get<Page<MonitorEventDto>>('/api/butler/monitor', { params });
  }
}
