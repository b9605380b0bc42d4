import type { Routes } from '@angular/router';

export const SETTINGS_ROUTES: Routes = [
  {
    path: '',
    title: 'EchoCenter · Settings',
    loadComponent: () => import('./settings-page').then((m) => m.SettingsPage),
    children: [
      { path: '', pathMatch: 'full', redirectTo: 'users' },
      { path: 'users', loadComponent: () => import('./users/users-settings').then((m) => m.UsersSettings) },
      { path: 'agents', loadComponent: () => import('./agents/agents-settings').then((m) => m.AgentsSettings) },
      { path: 'nodes', loadComponent: () => import('./ops/nodes-settings').then((m) => m.NodesSettings) },
      { path: 'ssh-keys', loadComponent: () => import('./ops/ssh-keys-settings').then((m) => m.SshKeysSettings) },
      { path: 'rules', loadComponent: () => import('./rules/rules-settings').then((m) => m.RulesSettings) },
      { path: 'system', loadComponent: () => import('./system/system-settings').then((m) => m.SystemSettings) },
      { path: 'channels', loadComponent: () => import('./channels/channels-settings').then((m) => m.ChannelsSettings) },
      { path: 'usage', loadComponent: () => import('./usage/usage-report').then((m) => m.UsageReport) },
      { path: 'audit', loadComponent: () => import('./audit/audit-trail').then((m) => m.AuditTrail) },
    ],
  },
];
