import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { type ComponentFixture, TestBed } from '@angular/core/testing';
import type { SshKeyDto } from '@echocenter/contracts';
import { provideSession } from '../../../../testing/test-session';
import { SshKeysSettings } from './ssh-keys-settings';

const key = (o: Partial<SshKeyDto> = {}): SshKeyDto => ({
  id: 1,
  name: 'deploy',
  publicKey: 'ssh-ed25519 AAAAC3 deploy',
  fingerprint: 'SHA256:abc',
  keyType: 'ssh-ed25519',
  usedBy: [],
  createdByName: 'admin',
  createdAt: '2026-03-01T00:00:00Z',
  ...o,
});

describe('SshKeysSettings (Settings → SSH keys)', () => {
  let fixture: ComponentFixture<SshKeysSettings>;
  let http: HttpTestingController;
  let el: HTMLElement;
  const one = (id: string) => el.querySelector<HTMLElement>(`[data-testid="${id}"]`);
  const type = (id: string, value: string) => {
    const input = one(id) as HTMLInputElement;
    input.value = value;
    input.dispatchEvent(new Event('input'));
    fixture.detectChanges();
  };

  async function open(keys: SshKeyDto[]) {
    fixture = TestBed.createComponent(SshKeysSettings);
    el = fixture.nativeElement;
    http.expectOne('/api/ops/keys').flush(keys);
    await fixture.whenStable();
    fixture.detectChanges();
  }

  beforeEach(() => {
    TestBed.configureTestingModule({
      providers: [provideHttpClient(), provideHttpClientTesting(), ...provideSession().providers],
    });
    http = TestBed.inject(HttpTestingController);
  });
  afterEach(() => http.verify());

  it('sends a pasted key once and clears it from the form, even when the hub refuses it', async () => {
    await open([]);
    type('key-name', 'ci');
    type('key-private', '-----BEGIN OPENSSH PRIVATE KEY-----\nnot really\n-----END OPENSSH PRIVATE KEY-----');
    type('key-passphrase', 'pw');
    one('key-add')!.click();
    const req = http.expectOne('/api/ops/keys');
    expect(req.request.body).toEqual({
      name: 'ci',
      privateKey: expect.stringContaining('BEGIN OPENSSH'),
      passphrase: 'pw',
    });
    req.flush(
      { statusCode: 400, code: 'VALIDATION_FAILED', message: 'privateKey: not a usable private key' },
      { status: 400, statusText: 'Bad Request' },
    );
    await fixture.whenStable();
    fixture.detectChanges();
    expect(one('keys-error')!.textContent).toContain('not a usable private key');
    expect((one('key-private') as HTMLTextAreaElement).value).toBe('');
    expect((one('key-passphrase') as HTMLInputElement).value).toBe('');
    expect((one('key-name') as HTMLInputElement).value).toBe('ci');
  });

  it('generates a pair and shows its fingerprint; a key in use cannot be deleted', async () => {
    await open([key({ usedBy: ['web-1'] })]);
    type('key-name', 'fresh');
    one('key-generate')!.click();
    const req = http.expectOne('/api/ops/keys');
    expect(req.request.body).toEqual({ name: 'fresh', generate: true });
    req.flush(key({ id: 2, name: 'fresh', fingerprint: 'SHA256:new' }));
    await fixture.whenStable();
    fixture.detectChanges();
    const rows = [...el.querySelectorAll<HTMLElement>('[data-testid="key-row"]')];
    expect(rows.map((r) => r.getAttribute('data-key-name'))).toEqual(['deploy', 'fresh']);
    expect(rows[1]!.querySelector('[data-testid="key-fingerprint"]')!.textContent).toBe('SHA256:new');
    expect((rows[0]!.querySelector('[data-testid="key-delete"]') as HTMLButtonElement).disabled).toBe(true);
    expect((rows[1]!.querySelector('[data-testid="key-delete"]') as HTMLButtonElement).disabled).toBe(false);
  });
});
