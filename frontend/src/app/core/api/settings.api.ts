import { HttpClient, HttpParams } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import type {
  Page,
  SettingsAuditDto,
  SettingsDto,
  SettingsPatch,
  TestModelRequest,
  TestModelResponse,
} from '@echocenter/contracts';
import type { Observable } from 'rxjs';

/** Runtime settings (ADMIN): the System tab's REST client. */
@Injectable({ providedIn: 'root' })
export class SettingsApi {
  private readonly http = inject(HttpClient);

  get(): Observable<SettingsDto> {
    return this.http.get<SettingsDto>('/api/settings');
  }
  patch(body: SettingsPatch): Observable<SettingsDto> {
    return this.http.patch<SettingsDto>('/api/settings', body);
  }
  audit(before?: number, limit = 50): Observable<Page<SettingsAuditDto>> {
    let params = new HttpParams().set('limit', limit);
    if (before !== undefined) params = params.set('before', before);
    return this.http.get<Page<SettingsAuditDto>>('/api/settings/audit', { params });
  }
  testModel(body: TestModelRequest): Observable<TestModelResponse> {
    return this.http.post<TestModelResponse>('/api/settings/test-model', body);
  }
}
