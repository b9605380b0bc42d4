import { invalidArgumentCalls, StreamAssembler, type ChunkLike, type ToolCallDeltaLike } from './stream-assembler';

const text = (content: string, finish: string | null = null): ChunkLike => ({
  choices: [{ delta: { content }, finish_reason: finish }],
});
const calls = (...tool_calls: ToolCallDeltaLike[]): ChunkLike => ({ choices: [{ delta: { tool_calls } }] });
const finish = (reason: string | null): ChunkLike => ({ choices: [{ delta: {}, finish_reason: reason }] });

/** Feeds the chunks; returns the result and the text that was streamed on. */
function run(chunks: ChunkLike[]) {
  const a = new StreamAssembler();
  let streamed = '';
  for (const c of chunks) streamed += a.push(c);
  streamed += a.flush();
  return { ...a.result(), streamed };
}

const ARGS = '{"agentId":"Storage-Custodian","command":"clean /tmp","reasoning":"disk full"}';

describe('StreamAssembler', () => {
  it('joins plain text and streams it on as it comes', () => {
    const r = run([text('Hello '), text('there'), finish('stop')]);
    expect(r).toMatchObject({
      text: 'Hello there',
      streamed: 'Hello there',
      calls: [],
      finishReason: 'stop',
      reasoning: '',
    });
  });

  it('OpenAI style: keyed by index, id and name on the first chunk, arguments in fragments', () => {
    const r = run([
      calls({ index: 0, id: 'call_a', function: { name: 'command_agent', arguments: '' } }),
      calls({ index: 0, function: { arguments: ARGS.slice(0, 20) } }),
      calls({ index: 0, function: { arguments: ARGS.slice(20) } }),
      finish('tool_calls'),
    ]);
    expect(r.calls).toEqual([{ id: 'call_a', name: 'command_agent', arguments: ARGS }]);
    expect(r.finishReason).toBe('tool_calls');
  });

  it('parallel indexed calls interleaved', () => {
    const r = run([
      calls(
        { index: 0, id: 'a', function: { name: 'list_agents' } },
        { index: 1, id: 'b', function: { name: 'recent_logs' } },
      ),
      calls({ index: 1, function: { arguments: '{"limit":' } }),
      calls({ index: 0, function: { arguments: '{}' } }),
      calls({ index: 1, function: { arguments: '5}' } }),
    ]);
    expect(r.calls).toEqual([
      { id: 'a', name: 'list_agents', arguments: '{}' },
      { id: 'b', name: 'recent_logs', arguments: '{"limit":5}' },
    ]);
  });

  it('missing index: keyed by id', () => {
    const r = run([
      calls({ id: 'x1', function: { name: 'command_agent' } }),
      calls({ id: 'x1', function: { arguments: ARGS.slice(0, 10) } }),
      calls({ id: 'x1', function: { arguments: ARGS.slice(10) } }),
      finish('tool_calls'),
    ]);
    expect(r.calls).toEqual([{ id: 'x1', name: 'command_agent', arguments: ARGS }]);
  });

  it('missing index, id only on the first chunk: later fragments continue the last call', () => {
    const r = run([
      calls({ id: 'x1', function: { name: 'command_agent', arguments: '' } }),
      calls({ function: { arguments: ARGS.slice(0, 10) } }),
      calls({ function: { arguments: ARGS.slice(10) } }),
      calls({ id: 'x2', function: { name: 'list_agents' } }),
      calls({ function: { arguments: '{}' } }),
    ]);
    expect(r.calls).toEqual([
      { id: 'x1', name: 'command_agent', arguments: ARGS },
      { id: 'x2', name: 'list_agents', arguments: '{}' },
    ]);
  });

  it('two parallel calls without indexes or ids, each whole in its own chunk (same tool twice)', () => {
    const r = run([
      calls({
        function: { name: 'command_agent', arguments: '{"agentId":"A","command":"get_status","reasoning":"r"}' },
      }),
      calls({
        function: { name: 'command_agent', arguments: '{"agentId":"B","command":"get_status","reasoning":"r"}' },
      }),
      finish('stop'),
    ]);
    expect(r.calls.map((c) => JSON.parse(c.arguments).agentId)).toEqual(['A', 'B']);
    expect(r.calls.map((c) => c.name)).toEqual(['command_agent', 'command_agent']);
    // Generated ids are distinct, so each tool result answers its own call.
    expect(new Set(r.calls.map((c) => c.id)).size).toBe(2);
  });

  it('two parallel calls without indexes in one delta', () => {
    const r = run([
      calls(
        { function: { name: 'list_agents', arguments: '{}' } },
        { function: { name: 'recent_logs', arguments: '{"limit":3}' } },
      ),
    ]);
    expect(r.calls.map((c) => [c.name, c.arguments])).toEqual([
      ['list_agents', '{}'],
      ['recent_logs', '{"limit":3}'],
    ]);
  });

  it('a name repeated on every chunk is not appended', () => {
    const r = run([
      calls({ index: 0, id: 'c', function: { name: 'command_agent', arguments: ARGS.slice(0, 15) } }),
      calls({ index: 0, id: 'c', function: { name: 'command_agent', arguments: ARGS.slice(15, 40) } }),
      calls({ index: 0, function: { name: 'command_agent', arguments: ARGS.slice(40) } }),
    ]);
    expect(r.calls).toEqual([{ id: 'c', name: 'command_agent', arguments: ARGS }]);
  });

  it('a name split over chunks is joined; a growing name replaces', () => {
    const split = run([
      calls({ index: 0, id: 'c', function: { name: 'command_' } }),
      calls({ index: 0, function: { name: 'agent', arguments: ARGS } }),
    ]);
    expect(split.calls[0].name).toBe('command_agent');
    const growing = run([
      calls({ index: 0, function: { name: 'command_' } }),
      calls({ index: 0, function: { name: 'command_agent', arguments: '{}' } }),
    ]);
    expect(growing.calls[0].name).toBe('command_agent');
  });

  it('all arguments in one chunk with the name', () => {
    const r = run([
      calls({ index: 0, id: 'one', function: { name: 'command_agent', arguments: ARGS } }),
      finish('tool_calls'),
    ]);
    expect(r.calls).toEqual([{ id: 'one', name: 'command_agent', arguments: ARGS }]);
  });

  it('no arguments at all become {}', () => {
    expect(run([calls({ index: 0, function: { name: 'list_agents' } })]).calls[0].arguments).toBe('{}');
  });

  it('finish_reason stop or missing with tool calls present still yields the calls', () => {
    const stop = run([
      calls({ index: 0, id: 'a', function: { name: 'list_agents', arguments: '{}' } }),
      finish('stop'),
    ]);
    expect(stop).toMatchObject({ finishReason: 'stop', calls: [{ name: 'list_agents' }] });
    const none = run([calls({ index: 0, id: 'a', function: { name: 'list_agents', arguments: '{}' } })]);
    expect(none).toMatchObject({ finishReason: null, calls: [{ name: 'list_agents' }] });
  });

  it('gives each call without an id an id of its own', () => {
    const r = run([
      calls({ index: 0, function: { name: 'a', arguments: '{}' } }),
      calls({ index: 1, function: { name: 'b', arguments: '{}' } }),
    ]);
    expect(r.calls.map((c) => c.id)).toEqual(['call_0', 'call_1']);
  });

  it('index reused by a gateway for a second call with another id starts a new call', () => {
    const r = run([
      calls({ index: 0, id: 'a', function: { name: 'list_agents', arguments: '{}' } }),
      calls({ index: 0, id: 'b', function: { name: 'recent_logs', arguments: '{}' } }),
    ]);
    expect(r.calls.map((c) => [c.id, c.name])).toEqual([
      ['a', 'list_agents'],
      ['b', 'recent_logs'],
    ]);
  });

  it('reasoning_content (and OpenRouter’s reasoning) is kept out of the answer', () => {
    const r = run([
      { choices: [{ delta: { reasoning_content: 'Let me think. ' } }] },
      { choices: [{ delta: { reasoning: 'Still thinking.' } }] },
      text('The answer.'),
    ]);
    expect(r).toMatchObject({
      text: 'The answer.',
      streamed: 'The answer.',
      reasoning: 'Let me think. Still thinking.',
    });
  });

  it('<think>…</think> in the content is kept out of the answer, also split across chunks', () => {
    const r = run([text('<thi'), text('nk>secret plan</th'), text('ink>\n\nHello'), text(' <b>world</b>')]);
    expect(r).toMatchObject({ text: 'Hello <b>world</b>', streamed: 'Hello <b>world</b>', reasoning: 'secret plan' });
  });

  it('<think> in one chunk, tag split one character at a time', () => {
    const chunks = [...'a<think>x</think>b'].map((c) => text(c));
    expect(run(chunks)).toMatchObject({ text: 'ab', streamed: 'ab', reasoning: 'x' });
  });

  it('a lone "<" that is not a tag is answer text, even at the very end', () => {
    expect(run([text('1 <'), text(' 2 and 3 <')])).toMatchObject({ text: '1 < 2 and 3 <', streamed: '1 < 2 and 3 <' });
  });

  it('an unclosed <think> is thinking, not the reply', () => {
    expect(run([text('<think>never closed')])).toMatchObject({ text: '', streamed: '', reasoning: 'never closed' });
  });

  it('keeps the usage from the last chunk (include_usage)', () => {
    const r = run([
      text('hi'),
      finish('stop'),
      { choices: [], usage: { prompt_tokens: 10, completion_tokens: 2, total_tokens: 12 } },
    ]);
    expect(r.usage).toEqual({ prompt_tokens: 10, completion_tokens: 2, total_tokens: 12 });
    expect(run([text('hi')]).usage).toBeNull();
  });

  it('reads a non-streamed completion through the same rules', () => {
    const r = StreamAssembler.fromCompletion({
      choices: [
        {
          message: {
            content: '<think>hmm</think>Sure.',
            tool_calls: [{ function: { name: 'list_agents', arguments: '' } }],
          },
          finish_reason: 'tool_calls',
        },
      ],
      usage: { total_tokens: 5 },
    });
    expect(r).toEqual({
      text: 'Sure.',
      reasoning: 'hmm',
      calls: [{ id: 'call_0', name: 'list_agents', arguments: '{}' }],
      finishReason: 'tool_calls',
      usage: { total_tokens: 5 },
    });
  });

  it('names the calls whose arguments are not valid JSON', () => {
    expect(
      invalidArgumentCalls([
        { id: 'a', name: 'x', arguments: '{}' },
        { id: 'b', name: 'y', arguments: '{"a":' },
      ]).map((c) => c.id),
    ).toEqual(['b']);
  });
});
