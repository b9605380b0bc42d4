import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { provideSession, testUser } from '../../../../testing/test-session';
import { UsersSettingsStore } from './users-settings.store';

const refused = (message: string) =>
  [
    { statusCode: 409, code: 'CONFLICT', message },
    { status: 409, statusText: 'Conflict' },
  ] as const;

describe('UsersSettingsStore', () => {
  let store: UsersSettingsStore;
  let http: HttpTestingController;
  const names = () => store.users().map((u) => u.username);

  beforeEach(() => {
    TestBed.configureTestingModule({
      providers: [provideHttpClient(), provideHttpClientTesting(), ...provideSession().providers, UsersSettingsStore],
    });
    store = TestBed.inject(UsersSettingsStore);
    http = TestBed.inject(HttpTestingController);
    expect(store.loading()).toBe(true);
    store.load();
    http.expectOne('/api/users').flush([testUser(), testUser({ id: 2, username: 'bob', role: 'MEMBER' })]);
  });

  afterEach(() => http.verify());

  it('loads the accounts', () => {
    expect(names()).toEqual(['alice', 'bob']);
    expect(store.loading()).toBe(false);
  });

  it('creates an account from the form (name trimmed), empties the form and says so', async () => {
    store.setField('username', '  carol ');
    store.setField('password', 'pw-123456');
    store.setField('role', 'ADMIN');
    const creating = store.create();
    const req = http.expectOne({ method: 'POST', url: '/api/users' });
    expect(req.request.body).toEqual({ username: 'carol', password: 'pw-123456', role: 'ADMIN' });
    req.flush(testUser({ id: 3, username: 'carol' }));
    await creating;
    expect(names()).toEqual(['alice', 'bob', 'carol']);
    expect(store.newUser()).toEqual({ username: '', password: '', role: 'MEMBER' });
    expect(store.notice()).toBe('User carol created.');
  });

  it('sends nothing without a name and a password; a refused account keeps the form and shows why', async () => {
    store.setField('username', '   ');
    store.setField('password', 'pw');
    await store.create();
    http.expectNone('/api/users');

    store.setField('username', 'bob');
    const creating = store.create();
    http.expectOne({ method: 'POST', url: '/api/users' }).flush(...refused('username taken'));
    await creating;
    expect(store.error()).toBe('username taken');
    expect(store.newUser().username).toBe('bob');
    expect(names()).toEqual(['alice', 'bob']);
  });

  it('changes a role in place; a later success clears the last error', async () => {
    const bob = store.users()[1];
    let updating = store.update(bob, { role: 'ADMIN' });
    http.expectOne({ method: 'PATCH', url: '/api/users/2' }).flush(...refused('no'));
    await updating;
    expect(store.error()).toBe('no');

    updating = store.update(bob, { role: 'ADMIN' });
    const req = http.expectOne({ method: 'PATCH', url: '/api/users/2' });
    expect(req.request.body).toEqual({ role: 'ADMIN' });
    req.flush({ ...bob, role: 'ADMIN' });
    await updating;
    expect(store.users()[1].role).toBe('ADMIN');
    expect(store.error()).toBeNull();
  });

  it('resets a password: the row form closes and a notice names the user; an empty password sends nothing', async () => {
    const bob = store.users()[1];
    store.resetFor.set(2);
    await store.resetPassword(bob, '');
    http.expectNone('/api/users/2');
    const resetting = store.resetPassword(bob, 'new-secret-1');
    const req = http.expectOne({ method: 'PATCH', url: '/api/users/2' });
    expect(req.request.body).toEqual({ password: 'new-secret-1' });
    req.flush(bob);
    await resetting;
    expect(store.resetFor()).toBeNull();
    expect(store.notice()).toBe('Password of bob changed.');
  });

  it('removes an account only once the hub deleted it', async () => {
    const bob = store.users()[1];
    let removing = store.remove(bob);
    http.expectOne({ method: 'DELETE', url: '/api/users/2' }).flush(...refused('still referenced'));
    await removing;
    expect(names()).toEqual(['alice', 'bob']);
    removing = store.remove(bob);
    http.expectOne({ method: 'DELETE', url: '/api/users/2' }).flush(null, { status: 204, statusText: 'No Content' });
    await removing;
    expect(names()).toEqual(['alice']);
  });
});
