import { HttpClient } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import type {
  CreateOpsNodeRequest,
  CreateSshKeyRequest,
  NodeTestResult,
  OpsNodeDto,
  SshKeyDto,
  UpdateOpsNodeRequest,
} from '@echocenter/contracts';
import type { Observable } from 'rxjs';

/** The ops inventory (admins): SSH keys (public halves only) and nodes with their pinned host keys. */
@Injectable({ providedIn: 'root' })
export class OpsApi {
  private readonly http = inject(HttpClient);

  keys(): Observable<SshKeyDto[]> {
    return this.http.get<SshKeyDto[]>('/api/ops/keys');
  }
  addKey(body: CreateSshKeyRequest): Observable<SshKeyDto> {
    return this.http.post<SshKeyDto>('/api/ops/keys', body);
  }
  deleteKey(id: number): Observable<void> {
    return this.http.delete<void>(`/api/ops/keys/${id}`);
  }
  nodes(): Observable<OpsNodeDto[]> {
    return this.http.get<OpsNodeDto[]>('/api/ops/nodes');
  }
  addNode(body: CreateOpsNodeRequest): Observable<OpsNodeDto> {
    return this.http.post<OpsNodeDto>('/api/ops/nodes', body);
  }
  updateNode(id: number, body: UpdateOpsNodeRequest): Observable<OpsNodeDto> {
    return this.http.patch<OpsNodeDto>(`/api/ops/nodes/${id}`, body);
  }
  deleteNode(id: number): Observable<void> {
    return this.http.delete<void>(`/api/ops/nodes/${id}`);
  }
  test(id: number): Observable<NodeTestResult> {
    return this.http.post<NodeTestResult>(`/api/ops/nodes/${id}/test`, {});
  }
  confirmHostKey(id: number, fingerprint: string): Observable<OpsNodeDto> {
    return this.http.post<OpsNodeDto>(`/api/ops/nodes/${id}/host-key`, { fingerprint });
  }
}
