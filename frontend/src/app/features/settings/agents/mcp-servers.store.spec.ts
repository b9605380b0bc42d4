import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import type { McpServerDto } from '@echocenter/contracts';
import { provideSession } from '../../../../testing/test-session';
import { McpServersStore } from './mcp-servers.store';

const server = (id: number, o: Partial<McpServerDto> = {}): McpServerDto => ({
  id,
  agentId: 40 + id,
  name: `fs${id}`,
  transport: 'stdio',
  command: 'npx',
  args: [],
  envNames: [],
  url: null,
  headerNames: [],
  bridge: 'running',
  createdAt: '2026-01-01T00:00:00Z',
  ...o,
});

describe('McpServersStore', () => {
  let store: McpServersStore;
  let http: HttpTestingController;

  beforeEach(async () => {
    TestBed.configureTestingModule({
      providers: [provideHttpClient(), provideHttpClientTesting(), ...provideSession().providers, McpServersStore],
    });
    store = TestBed.inject(McpServersStore);
    http = TestBed.inject(HttpTestingController);
    const loading = store.load();
    http.expectOne('/api/mcp-servers').flush([server(1)]);
    await loading;
  });

  afterEach(() => http.verify());

  it('adds a stdio server from the lines typed, then forgets the form (env values included)', async () => {
    store.setField('name', ' files ');
    expect(store.canAdd()).toBe(false);
    store.setField('command', 'npx');
    store.setField('args', '-y\n@modelcontextprotocol/server-filesystem\n/srv/share\n');
    store.setField('env', 'ROOT=/srv\nTOKEN=s3cret');
    expect(store.canAdd()).toBe(true);
    const adding = store.add();
    expect(store.busy()).toBe(true);
    const req = http.expectOne({ method: 'POST', url: '/api/mcp-servers' });
    expect(req.request.body).toEqual({
      name: 'files',
      transport: 'stdio',
      command: 'npx',
      args: ['-y', '@modelcontextprotocol/server-filesystem', '/srv/share'],
      env: { ROOT: '/srv', TOKEN: 's3cret' },
    });
    req.flush(server(2, { name: 'files', envNames: ['ROOT', 'TOKEN'] }));
    await expect(adding).resolves.toMatchObject({ id: 2 });
    expect(store.busy()).toBe(false);
    expect(store.servers().map((s) => s.id)).toEqual([1, 2]);
    expect(store.form()).toEqual({ name: '', description: '', command: '', args: '', env: '', url: '', headers: '' });
  });

  it('refuses a header line without a colon before asking the hub, and names the line', async () => {
    store.transport.set('http');
    store.setField('name', 'remote');
    store.setField('url', 'https://tools.example.com/mcp');
    store.setField('headers', 'Authorization Bearer x');
    await expect(store.add()).resolves.toBeNull();
    http.expectNone('/api/mcp-servers');
    expect(store.error()).toContain('Authorization Bearer x');
    expect(store.form().headers).toBe('Authorization Bearer x');

    store.setField('headers', 'Authorization: Bearer x');
    const adding = store.add();
    const req = http.expectOne({ method: 'POST', url: '/api/mcp-servers' });
    expect(req.request.body).toEqual({
      name: 'remote',
      transport: 'http',
      url: 'https://tools.example.com/mcp',
      headers: { Authorization: 'Bearer x' },
    });
    req.flush(
      { statusCode: 400, code: 'VALIDATION_FAILED', message: 'url: not allowed' },
      { status: 400, statusText: 'Bad Request' },
    );
    await expect(adding).resolves.toBeNull();
    expect(store.error()).toBe('url: not allowed');
    expect(store.form().url).toBe('https://tools.example.com/mcp');
  });

  it('restarts a bridge and removes a server', async () => {
    const restarting = store.restart(1);
    http.expectOne({ method: 'POST', url: '/api/mcp-servers/1/restart' }).flush(server(1, { bridge: 'restarting' }));
    await restarting;
    expect(store.servers()[0].bridge).toBe('restarting');
    const removing = store.remove(1);
    http
      .expectOne({ method: 'DELETE', url: '/api/mcp-servers/1' })
      .flush(null, { status: 204, statusText: 'No Content' });
    await removing;
    expect(store.servers()).toEqual([]);
  });
});
