import { AGENT, runProgram, startHub, stopAll } from '../test/helpers';
import { FakeLlm } from '../test/fake-llm';
import type { TestHub } from '../test/test-hub';
import { createCodeReviewer } from './agent';
import { llmConfigFromEnv } from './llm';

const SNIPPET = 'const x: any = 1;\nconsole.log(x);\n';

describe('Code-Reviewer-AI', () => {
  let hub: TestHub;
  let llm: FakeLlm | undefined;

  beforeEach(async () => {
    hub = await startHub();
  });

  afterEach(async () => {
    await stopAll();
    await hub.stop();
    await llm?.stop();
    llm = undefined;
  });

  it('reviews with heuristics when no model is configured', async () => {
    await runProgram(hub, createCodeReviewer());
    const result = await hub.runCommand(AGENT.id, 'review', SNIPPET).result;
    expect(result.ok).toBe(true);
    expect(result.result).toContain('Heuristic review: 2 lines of javascript');
    expect(result.result).toContain('- L1 warning [any-type]');
    expect(result.result).toContain('- L2 warning [console-log]');
    await expect(hub.runCommand(AGENT.id, 'review', '  ').result).resolves.toMatchObject({ ok: false });
  });

  it('accepts code inline in the command text, newlines kept', async () => {
    await runProgram(hub, createCodeReviewer());
    const result = await hub.runCommand(AGENT.id, `review ${SNIPPET}`).result;
    expect(result.result).toContain('- L2 warning [console-log]');
  });

  it('streams a model review when a model is configured', async () => {
    llm = await FakeLlm.start(['Verdict: ', 'avoid any.', '\n- L1 warning: use unknown']);
    const config = llmConfigFromEnv({ AGENT_LLM_BASE_URL: llm.baseURL, BUTLER_MODEL: 'reviewer-1' });
    await runProgram(hub, createCodeReviewer({ llm: config, streamIntervalMs: 1 }));
    const running = hub.runCommand(AGENT.id, 'review', SNIPPET);
    await expect(running.result).resolves.toMatchObject({
      ok: true,
      result: 'Verdict: avoid any.\n- L1 warning: use unknown',
    });
    expect(running.progress().join('')).toBe('Verdict: avoid any.\n- L1 warning: use unknown');
    expect(llm.requests[0]!.model).toBe('reviewer-1');
    expect(llm.requests[0]!.messages[1]!.content).toContain('L1 any-type');
  });

  it('falls back to heuristics and logs a WARNING when the model fails', async () => {
    llm = await FakeLlm.start([]);
    llm.failWith = 400;
    await runProgram(hub, createCodeReviewer({ llm: { baseURL: llm.baseURL, apiKey: 'k', model: 'm' } }));
    const result = await hub.runCommand(AGENT.id, 'review', SNIPPET).result;
    expect(result.result).toMatch(/^Heuristic review \(the model was unavailable\)/);
    expect(hub.logs.some((l) => l.level === 'WARNING' && l.content.startsWith('LLM review failed'))).toBe(true);
  });

  it('reads AGENT_LLM_* first and BUTLER_* as the fallback', () => {
    expect(llmConfigFromEnv({})).toBeUndefined();
    expect(llmConfigFromEnv({ BUTLER_BASE_URL: 'http://b', BUTLER_MODEL: 'bm', AGENT_LLM_MODEL: 'am' })).toEqual({
      baseURL: 'http://b',
      model: 'am',
      apiKey: 'not-needed',
    });
  });
});
