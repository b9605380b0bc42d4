import { HttpClient } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import type {
  AgentDto,
  AgentWithTokenDto,
  CommandPolicyDto,
  RegisterAgentRequest,
  TestConnectionResponse,
  UpdateCommandPolicyRequest,
} from '@echocenter/contracts';
import type { Observable } from 'rxjs';

@Injectable({ providedIn: 'root' })
export class AgentsApi {
  private readonly http = inject(HttpClient);

  list(): Observable<AgentDto[]> {
    return this.http.get<AgentDto[]>('/api/agents');
  }
  get(id: number): Observable<AgentDto> {
    return this.http.get<AgentDto>(`/api/agents/${id}`);
  }
  register(body: RegisterAgentRequest): Observable<AgentWithTokenDto> {
    return this.http.post<AgentWithTokenDto>('/api/agents', body);
  }
  rotateToken(id: number): Observable<AgentWithTokenDto> {
    return this.http.post<AgentWithTokenDto>(`/api/agents/${id}/token`, {});
  }
  remove(id: number): Observable<void> {
    return this.http.delete<void>(`/api/agents/${id}`);
  }
  testConnection(token: string): Observable<TestConnectionResponse> {
    return this.http.post<TestConnectionResponse>('/api/agents/test-connection', { token });
  }
  policies(id: number): Observable<CommandPolicyDto[]> {
    return this.http.get<CommandPolicyDto[]>(`/api/agents/${id}/policies`);
  }
  updatePolicy(id: number, command: string, body: UpdateCommandPolicyRequest): Observable<CommandPolicyDto> {
    return this.http.put<CommandPolicyDto>(`/api/agents/${id}/policies/${encodeURIComponent(command)}`, body);
  }
}
