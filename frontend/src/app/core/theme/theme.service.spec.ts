import { TestBed } from '@angular/core/testing';
import { MemoryStorage } from '../../../testing/test-session';
import { APP_STORAGE } from '../auth/session-storage';
import { ThemeService } from './theme.service';

describe('ThemeService', () => {
  let storage: MemoryStorage;
  let listeners: ((e: { matches: boolean }) => void)[];

  function setup(systemDark: boolean, saved?: string) {
    storage = new MemoryStorage();
    if (saved) storage.setItem('ec.theme', saved);
    listeners = [];
    window.matchMedia = jest.fn().mockReturnValue({
      matches: systemDark,
      addEventListener: (_: string, l: (e: { matches: boolean }) => void) => listeners.push(l),
      removeEventListener: jest.fn(),
    });
    TestBed.configureTestingModule({ providers: [{ provide: APP_STORAGE, useValue: storage }] });
    return TestBed.inject(ThemeService);
  }

  it('follows the system by default, including later changes', () => {
    const theme = setup(true);
    TestBed.tick();
    expect(theme.preference()).toBe('system');
    expect(theme.theme()).toBe('dark');
    expect(document.documentElement.dataset['theme']).toBe('dark');
    listeners.forEach((l) => l({ matches: false }));
    TestBed.tick();
    expect(theme.theme()).toBe('light');
    expect(document.documentElement.dataset['theme']).toBe('light');
  });

  it('pins and persists an explicit choice', () => {
    const theme = setup(false);
    theme.toggle();
    expect(theme.theme()).toBe('dark');
    expect(storage.getItem('ec.theme')).toBe('dark');
    listeners.forEach((l) => l({ matches: false }));
    expect(theme.theme()).toBe('dark');
    theme.setPreference('system');
    expect(storage.getItem('ec.theme')).toBeNull();
    expect(theme.theme()).toBe('light');
  });

  it('restores a saved choice over the system setting', () => {
    expect(setup(true, 'light').theme()).toBe('light');
  });
});
