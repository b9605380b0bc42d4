import { HttpClient } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import type { CreateMcpServerRequest, McpServerDto } from '@echocenter/contracts';
import type { Observable } from 'rxjs';

/** MCP servers bridged as agents (admins). */
@Injectable({ providedIn: 'root' })
export class McpServersApi {
  private readonly http = inject(HttpClient);

  list(): Observable<McpServerDto[]> {
    return this.http.get<McpServerDto[]>('/api/mcp-servers');
  }
  create(body: CreateMcpServerRequest): Observable<McpServerDto> {
    return this.http.post<McpServerDto>('/api/mcp-servers', body);
  }
  restart(id: number): Observable<McpServerDto> {
    return this.http.post<McpServerDto>(`/api/mcp-servers/${id}/restart`, {});
  }
  remove(id: number): Observable<void> {
    return this.http.delete<void>(`/api/mcp-servers/${id}`);
  }
}
