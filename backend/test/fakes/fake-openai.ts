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
 * `style` switches how it speaks (see ServerStyle): the quirks of real OpenAI-compatible servers.
 *
 * Run by hand: `npx tsx backend/test/fakes/fake-openai.ts --port 4010 --delay 800`, then start the hub
 * with BUTLER_BASE_URL=http://127.0.0.1:4010/v1 BUTLER_MODEL=fake-butler.
 */
/**
 * How the server streams and what it refuses. 'openai' (the default) is OpenAI's own shape: tool calls
 * keyed by index, id and name on the first chunk, arguments in two fragments, usage when asked.
 */
export type ServerStyle =
  | 'openai'
  /** Tool-call deltas without `index` (id on every chunk): Ollama, Gemini, gateways. */
  | 'missing-index'
  /** The function name on every chunk: MiniMax via NIM, Fireworks, Kimi. */
  | 'repeated-name'
  /** The function name split over two chunks. */
  | 'split-name'
  /** Name and all arguments in one chunk, no index, no id. */
  | 'args-one-chunk'
  /** No index; the id only on a call's first chunk. */
  | 'id-only-first'
  /** Thinking in `reasoning_content` first (DeepSeek, Qwen), finish_reason 'stop' even with tool calls. */
  | 'reasoning'
  /** Thinking in `<think>…</think>` at the start of the content, split across chunks. */
  | 'think-tags'
  /** HTTP 400 "does not support tools" whenever `tools` is sent. */
  | 'tools-refused'
  /** HTTP 400 whenever `stream: true` is sent. */
  | 'streaming-refused'
  /** HTTP 400 "Unrecognized request argument supplied: stream_options". */
  | 'usage-refused'
  /** Accepts stream_options but never sends usage. */
  | 'no-usage';

export const SERVER_STYLES: readonly ServerStyle[] = [
  'openai',
  'missing-index',
  'repeated-name',
  'split-name',
  'args-one-chunk',
  'id-only-first',
  'reasoning',
  'think-tags',
  'tools-refused',
  'streaming-refused',
  'usage-refused',
  'no-usage',
];

export interface FakeOpenAiOptions {
  /** The server's quirks; 'openai' when unset. */
  style?: ServerStyle;
  /** Latency before the first byte of every answer. */
  delayMs?: number;
  /** Pause between streamed pieces. */
  chunkDelayMs?: number;
  failSummaries?: boolean;
  /** Drop every connection at once, like an endpoint that is down. */
  unreachable?: boolean;
  /** After a tool result, ask for the same tool calls again (a model that keeps sending bad arguments). */
  repeatToolCalls?: boolean;
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
  stream_options?: { include_usage?: boolean };
}

type Answer =
  { text: string } | { toolCalls: { name: string; arguments: string }[] } | { error: number } | { hang: true };

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
    return {
      text: `SUMMARY: ${(block ? JSON.stringify(block.data) : String(last?.content ?? '')).replace(/\s+/g, ' ').slice(0, 300)}`,
    };
  }
  if (last?.role === 'tool' && opts.repeatToolCalls) {
    const asked = [...msgs].reverse().find((m) => m.role === 'user');
    const again = directives(String(asked?.content ?? ''));
    if (again.length && req.tools?.length) return { toolCalls: again };
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
  const calls = directives(text);
  if (calls.length && req.tools?.length) return { toolCalls: calls };
  // "Call the function NAME." with NAME offered: that call (the settings' capability probe asks so).
  const named = /^Call the function (\w+)\.$/.exec(text)?.[1];
  if (named && (req.tools as { function?: { name?: string } }[] | undefined)?.some((t) => t.function?.name === named))
    return { toolCalls: [{ name: named, arguments: '{}' }] };
  return { text: `You said: ${text}` };
}

/** The `[[tool:NAME {json}]]` directives of a message, as tool calls. */
function directives(text: string): { name: string; arguments: string }[] {
  return [...text.matchAll(/\[\[tool:(\w+)\s*(\{.*?\})?\]\]/g)].map((m) => ({ name: m[1], arguments: m[2] ?? '{}' }));
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

/** What the style refuses in this request, as the HTTP 400 message; null when it accepts it. */
function refusal(req: CompletionRequest, style: ServerStyle): string | null {
  if (style === 'tools-refused' && req.tools?.length) return `registry.example/${MODEL} does not support tools`;
  if (style === 'streaming-refused' && req.stream) return 'streaming is not supported by this endpoint';
  if (style === 'usage-refused' && req.stream_options) return 'Unrecognized request argument supplied: stream_options';
  return null;
}

function refuse(res: ServerResponse, message: string): void {
  res.writeHead(400, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ error: { message, type: 'invalid_request_error', code: null } }));
}

/** The streamed chunks of one tool call, in the style's shape. */
function toolCallChunks(id: string, c: { name: string; arguments: string }, i: number, style: ServerStyle): string[] {
  const callId = `call_${Math.random().toString(36).slice(2, 10)}`;
  const half = Math.floor(c.arguments.length / 2);
  const [a1, a2] = [c.arguments.slice(0, half), c.arguments.slice(half)];
  const fn = (f: object, extra: object = {}) => chunk(id, { tool_calls: [{ ...extra, function: f }] }, null);
  switch (style) {
    case 'missing-index':
      return [
        fn({ name: c.name, arguments: '' }, { id: callId, type: 'function' }),
        fn({ arguments: a1 }, { id: callId }),
        fn({ arguments: a2 }, { id: callId }),
      ];
    case 'id-only-first':
      return [
        fn({ name: c.name, arguments: '' }, { id: callId, type: 'function' }),
        fn({ arguments: a1 }),
        fn({ arguments: a2 }),
      ];
    case 'repeated-name':
      return [
        fn({ name: c.name, arguments: a1 }, { index: i, id: callId, type: 'function' }),
        fn({ name: c.name, arguments: a2 }, { index: i, id: callId }),
      ];
    case 'split-name': {
      const cut = Math.ceil(c.name.length / 2);
      return [
        fn({ name: c.name.slice(0, cut) }, { index: i, id: callId, type: 'function' }),
        fn({ name: c.name.slice(cut), arguments: a1 }, { index: i }),
        fn({ arguments: a2 }, { index: i }),
      ];
    }
    case 'args-one-chunk':
      return [fn({ name: c.name, arguments: c.arguments }, { type: 'function' })];
    default:
      // Arguments arrive in two fragments, as real endpoints send them.
      return [
        fn({ name: c.name, arguments: '' }, { index: i, id: callId, type: 'function' }),
        fn({ arguments: a1 }, { index: i }),
        fn({ arguments: a2 }, { index: i }),
      ];
  }
}

async function answer(req: CompletionRequest, res: ServerResponse, opts: FakeOpenAiOptions): Promise<void> {
  const style = opts.style ?? 'openai';
  const refused = refusal(req, style);
  if (refused) return refuse(res, refused);
  const plan = decide(req, opts);
  if ('hang' in plan) return; // the client's timeout must end this
  await sleep(opts.delayMs ?? 0);
  if ('error' in plan) {
    res.writeHead(plan.error, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        error: { message: `scripted error ${plan.error}`, type: 'fake_error', code: String(plan.error) },
      }),
    );
    return;
  }
  const id = `chatcmpl-${Math.random().toString(36).slice(2, 10)}`;
  if (!req.stream) {
    const message =
      'text' in plan
        ? { role: 'assistant', content: plan.text }
        : {
            role: 'assistant',
            content: null,
            tool_calls: plan.toolCalls.map((c, i) => ({ id: `call_${i}`, type: 'function', function: c })),
          };
    res.writeHead(200, { 'content-type': 'application/json' });
    const usage = style === 'no-usage' ? {} : { usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 } };
    res.end(
      JSON.stringify({
        id,
        object: 'chat.completion',
        created: Math.floor(Date.now() / 1000),
        model: MODEL,
        choices: [{ index: 0, message, finish_reason: 'text' in plan ? 'stop' : 'tool_calls' }],
        ...usage,
      }),
    );
    return;
  }
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
  if (style === 'reasoning')
    for (const thought of ['Let me think ', 'about this.']) res.write(chunk(id, { reasoning_content: thought }, null));
  if ('text' in plan) {
    res.write(chunk(id, { role: 'assistant', content: '' }, null));
    if (style === 'think-tags')
      for (const part of ['<thi', 'nk>I should answer plainly.</thi', 'nk>\n\n'])
        res.write(chunk(id, { content: part }, null));
    for (const piece of pieces(plan.text)) {
      if (opts.chunkDelayMs) await sleep(opts.chunkDelayMs);
      res.write(chunk(id, { content: piece }, null));
    }
    res.write(chunk(id, {}, 'stop'));
  } else {
    res.write(chunk(id, { role: 'assistant', content: null }, null));
    plan.toolCalls.forEach((c, i) => toolCallChunks(id, c, i, style).forEach((line) => res.write(line)));
    res.write(chunk(id, {}, style === 'reasoning' ? 'stop' : 'tool_calls'));
  }
  if (req.stream_options?.include_usage && style !== 'no-usage') {
    res.write(
      `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created: 0, model: MODEL, choices: [], usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 } })}\n\n`,
    );
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
        res.end(
          JSON.stringify({
            object: 'list',
            data: [{ id: MODEL, object: 'model', created: 0, owned_by: 'echocenter' }],
          }),
        );
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
  void startFakeOpenAi(
    { delayMs: arg('delay', 300), chunkDelayMs: arg('chunk-delay', 50), record: false },
    arg('port', 4010),
  ).then((f) => {
    process.stdout.write(`fake OpenAI endpoint at ${f.url} (model "${MODEL}")\n`);
  });
}
