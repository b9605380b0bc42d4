import type { Browser, BrowserContext, Page } from 'playwright-core';
import { io, type Socket } from 'socket.io-client';
import { RealtimeService, type Audience } from '../backend/src/gateway/realtime.service';
import { SyncHints } from '../backend/src/gateway/sync-hints';
import { ADMIN, registerAgent, type TestApp } from '../backend/test/support/test-app';
import { CHROMIUM, chromiumMissing, shot, step } from './support/browser';
import { openSignedIn, startConsoleApp } from './support/console-app';

const suite = chromiumMissing() ? describe.skip : describe;
if (chromiumMissing())
  console.log(`browser e2e skipped: no Chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)`);

/**
 * The console catches up by itself: a chat message and a log whose pushes were lost (as when the node that
 * stored them dies before pushing) appear once the hub sends sync:hint, without the operator doing
 * anything, each exactly once, although later ones were pushed live meanwhile.
 */
suite('console catch-up in Chromium (pushes lost, sync:hint)', () => {
  let t: TestApp;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let errors: string[];
  let agent: Socket;
  let agentId: number;
  const byTestId = (p: Page, id: string) => p.locator(`[data-testid="${id}"]`);

  /** Drops the pushes of `event` while `body` runs (the stored rows stay). */
  async function withoutPushes(event: string, body: () => Promise<void>): Promise<void> {
    const realtime = t.app.get(RealtimeService);
    const emit = realtime.emit.bind(realtime);
    const spy = jest.spyOn(realtime, 'emit').mockImplementation(((to: Audience, ev: string, ...args: unknown[]) => {
      if (ev !== event) (emit as (to: Audience, ev: string, ...a: unknown[]) => void)(to, ev, ...args);
    }) as typeof realtime.emit);
    try {
      await body();
    } finally {
      spy.mockRestore();
    }
  }
  const call = (event: string, payload: unknown) =>
    agent.timeout(5000).emitWithAck(event, payload) as Promise<{ ok: boolean }>;

  beforeAll(async () => {
    t = await startConsoleApp();
    const registered = await registerAgent(t, 'Catch-Up-Bot');
    agentId = registered.id;
    agent = io(t.url, {
      auth: { token: registered.token },
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
    });
    await new Promise<void>((ok, fail) => (agent.once('connect', () => ok()), agent.once('connect_error', fail)));
    ({ browser, context, page, errors } = await openSignedIn(t.url));
    // Right after sign-in the console's socket may still be joining its rooms, and a push then is lost before the
    // test begins: wait until one log pushed now shows up live.
    for (let i = 1; ; i++) {
      expect(
        (await call('log:report', { level: 'INFO', content: `console is live (${i})`, localId: `w${i}` })).ok,
      ).toBe(true);
      const shown = await byTestId(page, 'log-row')
        .filter({ hasText: `console is live (${i})` })
        .waitFor({ timeout: 2000 })
        .then(
          () => true,
          () => false,
        );
      if (shown) break;
      if (i === 20) throw new Error('the console never showed a live log');
    }
  }, 90_000);

  afterAll(async () => {
    agent?.close();
    await context?.close().catch(() => undefined);
    await browser?.close();
    await t?.close();
  });

  it('shows a log whose push was lost after the hint, once, below one pushed live', async () => {
    await step(page, 'catch-up-logs', async () => {
      expect((await call('log:report', { level: 'INFO', content: 'pushed live first', localId: 'l1' })).ok).toBe(true);
      await byTestId(page, 'log-row').filter({ hasText: 'pushed live first' }).waitFor();
      await withoutPushes('log:new', async () => {
        expect(
          (await call('log:report', { level: 'WARNING', content: 'push lost with its node', localId: 'l2' })).ok,
        ).toBe(true);
      });
      expect((await call('log:report', { level: 'INFO', content: 'pushed live after', localId: 'l3' })).ok).toBe(true);
      await byTestId(page, 'log-row').filter({ hasText: 'pushed live after' }).waitFor();
      expect(await byTestId(page, 'log-row').filter({ hasText: 'push lost with its node' }).count()).toBe(0);

      t.app.get(SyncHints).hint('peer');
      await byTestId(page, 'log-row').filter({ hasText: 'push lost with its node' }).waitFor({ timeout: 3_000 });
      expect(await byTestId(page, 'log-row').filter({ hasText: 'push lost with its node' }).count()).toBe(1);
      expect(await byTestId(page, 'log-row').filter({ hasText: 'pushed live after' }).count()).toBe(1);
      await shot(page, 'catch-up-logs');
    });
  });

  it('shows a chat message whose push was lost after the hint, once, in order', async () => {
    await step(page, 'catch-up-chat', async () => {
      await page.goto(`/agents/${agentId}`);
      await byTestId(page, 'chat-input').waitFor();
      const admin = (await t.login(ADMIN.username, ADMIN.password)).user.id;
      expect((await call('chat:send', { targetId: admin, text: 'first, pushed live', localId: 'c1' })).ok).toBe(true);
      await byTestId(page, 'chat-message').filter({ hasText: 'first, pushed live' }).waitFor();
      await withoutPushes('chat:message', async () => {
        expect((await call('chat:send', { targetId: admin, text: 'second, push lost', localId: 'c2' })).ok).toBe(true);
      });
      expect((await call('chat:send', { targetId: admin, text: 'third, pushed live', localId: 'c3' })).ok).toBe(true);
      await byTestId(page, 'chat-message').filter({ hasText: 'third, pushed live' }).waitFor();
      expect(await byTestId(page, 'chat-message').filter({ hasText: 'second, push lost' }).count()).toBe(0);

      t.app.get(SyncHints).hint('peer');
      await byTestId(page, 'chat-message').filter({ hasText: 'second, push lost' }).waitFor({ timeout: 3_000 });
      const texts = await byTestId(page, 'chat-message').allInnerTexts();
      const order = ['first, pushed live', 'second, push lost', 'third, pushed live'].map((x) =>
        texts.findIndex((t) => t.includes(x)),
      );
      expect(order).toEqual([...order].sort((a, b) => a - b));
      for (const x of ['first, pushed live', 'second, push lost', 'third, pushed live'])
        expect(texts.filter((t) => t.includes(x))).toHaveLength(1);
      await shot(page, 'catch-up-chat');
    });
    expect(errors).toEqual([]);
  });
});
