import { provideHttpClient } from '@angular/common/http';
import { provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { FakeSocket, provideFakeSocket } from '../../../testing/fake-socket';
import { provideSession } from '../../../testing/test-session';
import { SocketService } from '../realtime/socket.service';
import { CommandOutputStore, LIVE_OUTPUT_CHARS } from './command-output.store';

describe('CommandOutputStore', () => {
  let store: CommandOutputStore;
  let socket: FakeSocket;

  beforeEach(() => {
    const fake = provideFakeSocket();
    TestBed.configureTestingModule({
      providers: [provideRouter([]), provideHttpClient(), provideHttpClientTesting(), ...provideSession().providers, ...fake.providers, SocketService, CommandOutputStore],
    });
    store = TestBed.inject(CommandOutputStore);
    socket = fake.sockets[0];
  });

  it('gathers each command’s streamed lines, apart from other commands', () => {
    socket.serverEmit('command:progress', { commandId: 7, text: '[web-1] hello', agentId: 3 });
    socket.serverEmit('command:progress', { commandId: 8, text: 'other', agentId: 3 });
    socket.serverEmit('command:progress', { commandId: 7, text: '[web-2] hello', agentId: 3 });
    expect(store.output(7)).toBe('[web-1] hello\n[web-2] hello');
    expect(store.output(8)).toBe('other');
    expect(store.output(null)).toBe('');
  });

  it('keeps only the tail of a long stream', () => {
    for (let i = 0; i < 2000; i++) socket.serverEmit('command:progress', { commandId: 1, text: `line ${i}`, agentId: 3 });
    const out = store.output(1);
    expect(out.length).toBe(LIVE_OUTPUT_CHARS + 1);
    expect(out.startsWith('…')).toBe(true);
    expect(out.endsWith('line 1999')).toBe(true);
  });
});
