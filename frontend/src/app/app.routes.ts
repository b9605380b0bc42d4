import type { Routes } from '@angular/router';
import { adminGuard, authGuard, guestGuard } from './core/auth/auth.guards';

export const routes: Routes = [
  {
    path: 'login',
    canActivate: [guestGuard],
    title: 'EchoCenter',
    loadComponent: () => import('./features/login/login-page').then((m) => m.LoginPage),
  },
  {
    path: '',
    canActivate: [authGuard],
    loadComponent: () => import('./core/layout/shell').then((m) => m.Shell),
    children: [
      { path: '', pathMatch: 'full', redirectTo: 'dashboard' },
      {
        path: 'dashboard',
        title: 'EchoCenter · Dashboard',
        loadComponent: () => import('./features/dashboard/dashboard-page').then((m) => m.DashboardPage),
      },
      { path: 'agents', loadChildren: () => import('./features/agents/agents.routes').then((m) => m.AGENTS_ROUTES) },
      { path: 'butler', loadChildren: () => import('./features/butler/butler.routes').then((m) => m.BUTLER_ROUTES) },
      {
        path: 'approvals',
        title: 'EchoCenter · Approvals',
        loadComponent: () => import('./features/approvals/approvals-page').then((m) => m.ApprovalsPage),
      },
      {
        path: 'tokens',
        title: 'EchoCenter · Personal tokens',
        loadComponent: () => import('./features/tokens/tokens-page').then((m) => m.TokensPage),
      },
      {
        path: 'settings',
        canMatch: [adminGuard],
        loadChildren: () => import('./features/settings/settings.routes').then((m) => m.SETTINGS_ROUTES),
      },
    ],
  },
  { path: '**', redirectTo: '' },
];
