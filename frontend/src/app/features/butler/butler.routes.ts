import type { Routes } from '@angular/router';
import { adminGuard } from '../../core/auth/auth.guards';

export const BUTLER_ROUTES: Routes = [
  {
    path: 'monitor',
    canMatch: [adminGuard],
    title: 'EchoCenter · Monitor',
    loadComponent: () => import('./monitor/monitor-page').then((m) => m.MonitorPage),
  },
  {
    path: '',
    title: 'EchoCenter · Butler',
    loadComponent: () => import('./butler-page').then((m) => m.ButlerPage),
    children: [
      { path: '', loadComponent: () => import('./butler-home').then((m) => m.ButlerHome) },
      { path: ':threadId', loadComponent: () => import('./butler-thread-page').then((m) => m.ButlerThreadPage) },
    ],
  },
];
