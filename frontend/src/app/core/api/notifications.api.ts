import { HttpClient, HttpParams } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import type {
  NotificationAttemptDto,
  NotificationChannelDto,
  NotificationChannelRequest,
  NotificationChannelSaved,
  NotificationDto,
  NotificationStatus,
  Page,
} from '@echocenter/contracts';
import type { Observable } from 'rxjs';

/** Out-of-band approval channels (ADMIN): `/api/notifications/...`. */
@Injectable({ providedIn: 'root' })
export class NotificationsApi {
  private readonly http = inject(HttpClient);

  channels(): Observable<NotificationChannelDto[]> {
    return this.http.get<NotificationChannelDto[]>('/api/notifications/channels');
  }
  create(body: NotificationChannelRequest): Observable<NotificationChannelSaved> {
    return this.http.post<NotificationChannelSaved>('/api/notifications/channels', body);
  }
  update(id: number, body: NotificationChannelRequest): Observable<NotificationChannelSaved> {
    return this.http.put<NotificationChannelSaved>(`/api/notifications/channels/${id}`, body);
  }
  remove(id: number): Observable<void> {
    return this.http.delete<void>(`/api/notifications/channels/${id}`);
  }
  test(id: number): Observable<NotificationDto[]> {
    return this.http.post<NotificationDto[]>(`/api/notifications/channels/${id}/test`, {});
  }
  deliveries(id: number, limit = 25): Observable<Page<NotificationAttemptDto>> {
    return this.http.get<Page<NotificationAttemptDto>>(`/api/notifications/channels/${id}/deliveries`, {
      params: new HttpParams().set('limit', limit),
    });
  }
  outbox(q: { status?: NotificationStatus; channelId?: number; limit?: number }): Observable<Page<NotificationDto>> {
    let params = new HttpParams().set('limit', q.limit ?? 25);
    if (q.status) params = params.set('status', q.status);
    if (q.channelId !== undefined) params = params.set('channelId', q.channelId);
    return this.http.get<Page<NotificationDto>>('/api/notifications/outbox', { params });
  }
  retry(id: number): Observable<NotificationDto> {
    return this.http.post<NotificationDto>(`/api/notifications/outbox/${id}/retry`, {});
  }
}
