import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { AGENT, runProgram, startHub, stopAll } from '../test/helpers';
import type { TestHub } from '../test/test-hub';
import { FLEET_AGENTS } from './catalog';
import { FLEET_PROGRAMS } from './registry';

// Issue 20: every demo agent answers `help` in chat with its commands, whether it keeps its own chat handler
// (Echo-Bot, Code-Reviewer-AI) or uses the SDK's default one.
describe('Every fleet agent answers help in chat', () => {
  let hub: TestHub;
  let sandbox: string;

  beforeEach(async () => {
    hub = await startHub();
    sandbox = await fs.mkdtemp(path.join(os.tmpdir(), 'chat-help-'));
  });

  afterEach(async () => {
    await stopAll();
    await hub.stop();
    await fs.rm(sandbox, { recursive: true, force: true });
  });

  it.each(FLEET_AGENTS)('%s', async (name) => {
    const config = {
      url: hub.url,
      token: 't',
      flags: { folder: path.join(sandbox, 'storage'), 'poll-interval-ms': '600000', 'report-interval-ms': '600000' },
      env: {},
    };
    const program = FLEET_PROGRAMS[name](config);
    await runProgram(hub, program);
    hub.sendChat(AGENT.id, 'help');
    const reply = await hub.waitFor(() => hub.messages.find((m) => m.senderId === AGENT.id), 2_000, 'help reply');
    for (const command of program.card.commands) expect(reply.text).toContain(`- ${command.name}`);
  });
});
