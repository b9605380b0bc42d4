import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { type ComponentFixture, TestBed } from '@angular/core/testing';
import type { NodeTestResult, OpsNodeDto, SshKeyDto } from '@echocenter/contracts';
import { provideSession } from '../../../../testing/test-session';
import { NodesSettings } from './nodes-settings';

const FP = 'SHA256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU';
const KEY: SshKeyDto = {
  id: 1,
  name: 'deploy',
  publicKey: 'ssh-ed25519 AAAA deploy',
  fingerprint: 'SHA256:x',
  keyType: 'ssh-ed25519',
  usedBy: [],
  createdByName: 'admin',
  createdAt: '2026-03-01T00:00:00Z',
};

function nodeDto(o: Partial<OpsNodeDto> = {}): OpsNodeDto {
  return {
    id: 5,
    name: 'web-1',
    host: '10.0.0.5',
    port: 22,
    username: 'deploy',
    keyId: 1,
    keyName: 'deploy',
    tags: ['web'],
    description: null,
    hostKeyFingerprint: null,
    hostKeyConfirmedByName: null,
    hostKeyConfirmedAt: null,
    createdAt: '2026-03-01T00:00:00Z',
    ...o,
  };
}

describe('NodesSettings (Settings → Nodes)', () => {
  let fixture: ComponentFixture<NodesSettings>;
  let http: HttpTestingController;
  let el: HTMLElement;
  const one = (id: string) => el.querySelector<HTMLElement>(`[data-testid="${id}"]`);
  const settle = async () => {
    await fixture.whenStable();
    fixture.detectChanges();
  };

  async function open(nodes: OpsNodeDto[]) {
    fixture = TestBed.createComponent(NodesSettings);
    el = fixture.nativeElement;
    http.expectOne('/api/ops/nodes').flush(nodes);
    await Promise.resolve();
    http.expectOne('/api/ops/keys').flush([KEY]);
    await settle();
  }

  beforeEach(() => {
    TestBed.configureTestingModule({
      providers: [provideHttpClient(), provideHttpClientTesting(), ...provideSession().providers],
    });
    http = TestBed.inject(HttpTestingController);
  });
  afterEach(() => http.verify());

  it('adds a node with tags and the only key preselected', async () => {
    await open([]);
    const type = (id: string, value: string) => {
      const input = one(id) as HTMLInputElement;
      input.value = value;
      input.dispatchEvent(new Event('input'));
    };
    type('node-name', 'db-1');
    type('node-host', 'db.internal');
    type('node-user', 'ops');
    type('node-tags', 'db, Prod');
    fixture.detectChanges();
    one('node-add')!.click();
    const req = http.expectOne('/api/ops/nodes');
    expect(req.request.body).toEqual({
      name: 'db-1',
      host: 'db.internal',
      port: 22,
      username: 'ops',
      keyId: 1,
      tags: ['db', 'prod'],
    });
    req.flush(nodeDto({ id: 6, name: 'db-1' }));
    await settle();
    expect(el.querySelectorAll('[data-testid="node-row"]')).toHaveLength(1);
  });

  it('tests a node, shows the host key it presented, and pins it when the admin confirms', async () => {
    await open([nodeDto()]);
    expect(one('node-host-key')!.textContent).toContain('not confirmed');
    one('node-test')!.click();
    const result: NodeTestResult = {
      ok: true,
      rttMs: 12,
      hostKeyFingerprint: FP,
      hostKeyPinned: false,
      errorCode: null,
      error: null,
    };
    http.expectOne('/api/ops/nodes/5/test').flush(result);
    await settle();
    expect(one('node-test-result')!.textContent).toContain('12 ms');
    expect(one('node-seen-key')!.textContent).toBe(FP);
    one('node-confirm-key')!.click();
    const confirm = http.expectOne('/api/ops/nodes/5/host-key');
    expect(confirm.request.body).toEqual({ fingerprint: FP });
    confirm.flush(
      nodeDto({ hostKeyFingerprint: FP, hostKeyConfirmedByName: 'admin', hostKeyConfirmedAt: '2026-03-01T01:00:00Z' }),
    );
    await settle();
    expect(one('node-host-key')!.textContent).toContain(FP);
    expect(one('node-host-key')!.textContent).toContain('pinned by admin');
    expect(one('node-confirm-key')).toBeNull();
  });

  it('shows a changed host key as HOST_KEY_MISMATCH with the new key to re-confirm', async () => {
    await open([nodeDto({ hostKeyFingerprint: 'SHA256:old', hostKeyConfirmedByName: 'admin' })]);
    one('node-test')!.click();
    http.expectOne('/api/ops/nodes/5/test').flush({
      ok: false,
      rttMs: null,
      hostKeyFingerprint: FP,
      hostKeyPinned: false,
      errorCode: 'HOST_KEY_MISMATCH',
      error: 'the host key is new',
    });
    await settle();
    expect(one('node-test-error')!.textContent).toContain('HOST_KEY_MISMATCH');
    expect(one('node-confirm-key')).not.toBeNull();
  });

  it('edits a node in the same form and warns that moving it unpins its host key', async () => {
    await open([nodeDto({ hostKeyFingerprint: FP })]);
    one('node-edit')!.click();
    fixture.detectChanges();
    expect((one('node-name') as HTMLInputElement).value).toBe('web-1');
    expect(one('node-unpin-warning')).toBeNull();
    const port = one('node-port') as HTMLInputElement;
    port.value = '2222';
    port.dispatchEvent(new Event('input'));
    fixture.detectChanges();
    expect(one('node-unpin-warning')).not.toBeNull();
    one('node-add')!.click();
    const req = http.expectOne('/api/ops/nodes/5');
    expect(req.request.method).toBe('PATCH');
    expect(req.request.body).toMatchObject({ name: 'web-1', port: 2222, tags: ['web'] });
    req.flush(nodeDto({ port: 2222 }));
    await settle();
    expect(one('node-host-key')!.textContent).toContain('not confirmed');
    expect((one('node-name') as HTMLInputElement).value).toBe('');
  });
});
