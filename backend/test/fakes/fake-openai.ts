import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A fake OpenAI-compatible endpoint for tests, benchmarks and demos: `POST /v1/chat/completions`
 * (streamed SSE or plain JSON) and `GET /v1/models`. What it answers is scripted by the conversation:
 *
 *   [[tool:NAME {json}]]   in the last user message → a tool call (several directives → parallel calls)
 *   [[error:429]]          → that HTTP error            [[hang]] → never answers (client timeouts)
 *   a tool result last     → "Tool results: …" with the tools' JSON
 *   an approval_update data block last → "Update: <its summary> <agent> → <result>"
 *   a "Summarize" request  → "SUMMARY: …" (or a 500 when `failSummaries`)
 *   anything else          → "You said: <text>"
 *
 * Run by hand: `npx tsx backend/test/fakes/fake-openai.ts --port 4010 --delay 800`, then start the hub
 * with BUTLER_BASE_URL=http://127.0.0.1:4010/v1 BUTLER_MODEL=fake-butler.
 */
export interface FakeOpenAiOptions {
  /** Latency before the first byte of every answer. */
  delayMs?: number;
  /** Pause between streamed pieces. */
  chunkDelayMs?: number;
  failSummaries?: boolean;
  /** Drop every connection at once, like an endpoint that is down. */
  unreachable?: boolean;
  /** Keep every request body (tests inspect prompts); off for benchmarks. */
  record?: boolean;
}

interface Message {
  role: string;
  content?: string | null;
  tool_call_id?: string;
}

interface CompletionRequest {
  model: string;
  messages: Message[];
  stream?: boolean;
  tools?: unknown[];
}

type Answer = { text: string } | { toolCalls: { name: string; arguments: string }[] } | { error: number } | { hang: true };

export interface FakeOpenAi {
  url: string;
  /** Every request body seen (when recording). */
  requests: CompletionRequest[];
  /** Most chat completions in flight at once: proves concurrency without timing anything. */
  readonly peakInFlight: number;
  resetPeak(): void;
  options: FakeOpenAiOptions;
  close(): Promise<void>;
}

const MODEL = 'fake-butler';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function decide(req: CompletionRequest, opts: FakeOpenAiOptions): Answer {
  const msgs = req.messages ?? [];
  const last = msgs[msgs.length - 1];
  if (msgs[0]?.role === 'system' && String(msgs[0].content).startsWith('Summarize')) {
    if (opts.failSummaries) return { error: 500 };
    const block = dataBlockOf(last);
    return { text: `SUMMARY: ${(block ? JSON.stringify(block.data) : String(last?.content ?? '')).replace(/\s+/g, ' ').slice(0, 300)}` };
  }
  if (last?.role === 'tool') {
    const results = [];
    for (let i = msgs.length - 1; i >= 0 && msgs[i].role === 'tool'; i--) results.unshift(msgs[i].content);
    return { text: `Tool results: ${results.join(' | ')}` };
  }
  const update = dataBlockOf(last);
  if (update?.kind === 'approval_update') {
    const u = update.data as { summary: string; agent: string; result?: string };
    return { text: `Update: ${u.summary}${u.result === undefined ? '' : ` ${u.agent} → ${u.result}`}` };
  }
  const text = String(last?.content ?? '');
  if (/\[\[hang\]\]/.test(text)) return { hang: true };
  const error = /\[\[error:(\d{3})\]\]/.exec(text);
  if (error) return { error: Number(error[1]) };
  const calls = [...text.matchAll(/\[\[tool:(\w+)\s*(\{.*?\})?\]\]/g)].map((m) => ({ name: m[1], arguments: m[2] ?? '{}' }));
  if (calls.length && req.tools?.length) return { toolCalls: calls };
  return { text: `You said: ${text}` };
}

/** A user-role data block the hub sends (backend/src/butler/brain/untrusted-data.ts): its kind and its JSON. */
function dataBlockOf(m: Message | undefined): { kind: string; data: unknown } | null {
  const match = m?.role === 'user' ? /^\[EchoCenter data: (\w+)[^\n]*\n(.*)$/s.exec(String(m.content ?? '')) : null;
  return match ? { kind: match[1], data: JSON.parse(match[2]) as unknown } : null;
}

function chunk(id: string, delta: object, finish: string | null): string {
  return `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created: Math.floor(Date.now() / 1000), model: MODEL, choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
}

/** Splits text into a few pieces so streaming is real but cheap. */
function pieces(text: string): string[] {
  const words = text.split(/(?<=\s)/);
  const size = Math.max(1, Math.ceil(words.length / 4));
  const out: string[] = [];
  for (let i = 0; i < words.length; i += size) out.push(words.slice(i, i + size).join(''));
  return out;
}

async function answer(req: CompletionRequest, res: ServerResponse, opts: FakeOpenAiOptions): Promise<void> {
  const plan = decide(req, opts);
  if ('hang' in plan) return; // the client's timeout must end this
  await sleep(opts.delayMs ?? 0);
  if ('error' in plan) {
    res.writeHead(plan.error, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: { message: `scripted error ${plan.error}`, type: 'fake_error', code: String(plan.error) } }));
    return;
  }
  const id = `chatcmpl-${Math.random().toString(36).slice(2, 10)}`;
  if (!req.stream) {
    const message =
      'text' in plan
        ? { role: 'assistant', content: plan.text }
        : { role: 'assistant', content: null, tool_calls: plan.toolCalls.map((c, i) => ({ id: `call_${i}`, type: 'function', function: c })) };
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ id, object: 'chat.completion', created: Math.floor(Date.now() / 1000), model: MODEL, choices: [{ index: 0, message, finish_reason: 'text' in plan ? 'stop' : 'tool_calls' }] }));
    return;
  }
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
  if ('text' in plan) {
    res.write(chunk(id, { role: 'assistant', content: '' }, null));
    for (const piece of pieces(plan.text)) {
      if (opts.chunkDelayMs) await sleep(opts.chunkDelayMs);
      res.write(chunk(id, { content: piece }, null));
    }
    res.write(chunk(id, {}, 'stop'));
  } else {
    plan.toolCalls.forEach((c, i) => {
      const callId = `call_${Math.random().toString(36).slice(2, 10)}`;
      res.write(chunk(id, { role: 'assistant', tool_calls: [{ index: i, id: callId, type: 'function', function: { name: c.name, arguments: '' } }] }, null));
      // Arguments arrive in two fragments, as real endpoints send them.
      const half = Math.floor(c.arguments.length / 2);
      res.write(chunk(id, { tool_calls: [{ index: i, function: { arguments: c.arguments.slice(0, half) } }] }, null));
      res.write(chunk(id, { tool_calls: [{ index: i, function: { arguments: c.arguments.slice(half) } }] }, null));
    });
    res.write(chunk(id, {}, 'tool_calls'));
  }
  res.end('data: [DONE]\n\n');
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    req.on('data', (b: Buffer) => parts.push(b));
    req.on('end', () => resolve(Buffer.concat(parts).toString('utf8')));
    req.on('error', reject);
  });
}

export async function startFakeOpenAi(options: FakeOpenAiOptions = {}, port = 0): Promise<FakeOpenAi> {
  const requests: CompletionRequest[] = [];
  let inFlight = 0;
  let peakInFlight = 0;
  const server: Server = createServer((req, res) => {
    void (async () => {
      if (options.unreachable) return void req.socket.destroy();
      if (req.method === 'GET' && req.url?.endsWith('/models')) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ object: 'list', data: [{ id: MODEL, object: 'model', created: 0, owned_by: 'echocenter' }] }));
        return;
      }
      if (req.method !== 'POST' || !req.url?.endsWith('/chat/completions')) {
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { message: 'not found' } }));
        return;
      }
      const body = JSON.parse(await readBody(req)) as CompletionRequest;
      if (options.record !== false) requests.push(body);
      peakInFlight = Math.max(peakInFlight, ++inFlight);
      try {
        await answer(body, res, options);
      } finally {
        inFlight--;
      }
    })().catch(() => {
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const { port: bound } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${bound}/v1`,
    requests,
    options,
    get peakInFlight() {
      return peakInFlight;
    },
    resetPeak: () => {
      peakInFlight = inFlight;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

if (require.main === module) {
  const arg = (name: string, fallback: number) => {
    const i = process.argv.indexOf(`--${name}`);
    return i > 0 ? Number(process.argv[i + 1]) : fallback;
  };
  void startFakeOpenAi({ delayMs: arg('delay', 300), chunkDelayMs: arg('chunk-delay', 50), record: false }, arg('port', 4010)).then((f) => {
    process.stdout.write(`fake OpenAI endpoint at ${f.url} (model "${MODEL}")\n`);
  });
}
