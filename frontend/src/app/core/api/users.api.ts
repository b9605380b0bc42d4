import { HttpClient } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import type { CreateUserRequest, Page, UpdateUserRequest, UserDto } from '@echocenter/contracts';
import { map, type Observable } from 'rxjs';
import { itemsOf } from './api-error';

@Injectable({ providedIn: 'root' })
export class UsersApi {
  private readonly http = inject(HttpClient);

  list(): Observable<UserDto[]> {
    return this.http.get<UserDto[] | Page<UserDto>>('/api/users').pipe(map(itemsOf));
  }
  create(body: CreateUserRequest): Observable<UserDto> {
    return this.http.post<UserDto>('/api/users', body);
  }
  update(id: number, body: UpdateUserRequest): Observable<UserDto> {
    return this.http.patch<UserDto>(`/api/users/${id}`, body);
  }
  remove(id: number): Observable<void> {
    return this.http.delete<void>(`/api/users/${id}`);
  }
}
