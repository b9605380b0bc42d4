import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { startFakeOpenAi, type FakeOpenAi } from '../../backend/test/fakes/fake-openai';

// Debian's interpreter (no SDK is packaged for it: the package speaks plain HTTP). ECHO_PYTHON overrides.
const PYTHON = process.env.ECHO_PYTHON ?? '/usr/bin/python3';
const suite = existsSync(PYTHON) ? describe : describe.skip;
if (!existsSync(PYTHON)) process.stdout.write(`Python persona tests skipped: no ${PYTHON} (set ECHO_PYTHON)\n`);

/** The Python package's persona chat against the same fake OpenAI server the hub's tests use. */
suite('Python persona chat (plain HTTP to an OpenAI-compatible endpoint)', () => {
  let llm: FakeOpenAi;

  beforeAll(async () => {
    llm = await startFakeOpenAi({ record: true });
  });
  afterAll(async () => {
    await llm?.close();
  });

  it('passes tests/test_persona.py: tool call → command → answer, refusals, the hub ruling', async () => {
    // Asynchronous: the fake server answers on this process's event loop while Python waits on it.
    const { code, output } = await new Promise<{ code: number | null; output: string }>((resolve) => {
      const child = spawn(PYTHON, ['-m', 'unittest', '-v', 'tests.test_persona'], {
        cwd: __dirname,
        env: { ...process.env, FAKE_OPENAI_URL: llm.url },
      });
      let output = '';
      child.stdout.on('data', (d) => (output += d));
      child.stderr.on('data', (d) => (output += d));
      child.on('close', (code) => resolve({ code, output }));
    });
    expect(output).not.toContain('skipped');
    expect(output).toMatch(/Ran \d+ tests/);
    expect({ code, output }).toMatchObject({ code: 0 });
    // The requests really came from Python: tools are the read-only commands only.
    const withTools = llm.requests.find((r) => r.tools?.length);
    expect((withTools!.tools as { function: { name: string } }[]).map((t) => t.function.name)).toEqual(['get_status']);
  });
});
