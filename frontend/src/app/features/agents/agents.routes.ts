import type { Routes } from '@angular/router';

export const AGENTS_ROUTES: Routes = [
  {
    path: '',
    title: 'EchoCenter · Agents',
    loadComponent: () => import('./agents-page').then((m) => m.AgentsPage),
    children: [
      { path: '', loadComponent: () => import('./agents-empty').then((m) => m.AgentsEmpty) },
      { path: ':id', loadComponent: () => import('./agent-chat-page').then((m) => m.AgentChatPage) },
    ],
  },
];
