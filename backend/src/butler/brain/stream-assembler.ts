/**
 * One tolerant assembler of streamed (and non-streamed) OpenAI-style chat completions. OpenAI-compatible
 * servers differ in how they stream tool calls (no `index`, the name on every chunk, the name split, the
 * id only once, everything in one chunk) and in where thinking goes (`reasoning_content`, `<think>` tags);
 * this turns all of them into one answer text, the tool calls, the thinking and the usage.
 *
 * Pure and dependency-free (no Nest, no Butler, no SDK import): agents' model personas reuse it later;
 * it lives in backend until then. On the hot path of every turn: the common case (plain text, indexed
 * calls) appends strings and does not allocate per chunk beyond what the chunk itself holds.
 */

/** The parts of a streamed chunk this reads (the SDK's ChatCompletionChunk fits it). */
export interface ChunkLike {
  choices?: ReadonlyArray<{ delta?: DeltaLike | null; finish_reason?: string | null } | undefined> | null;
  usage?: Usage | null;
}

export interface DeltaLike {
  content?: string | null;
  /** DeepSeek, vLLM, Qwen and others; OpenRouter calls it `reasoning`. */
  reasoning_content?: string | null;
  reasoning?: string | null;
  tool_calls?: ReadonlyArray<ToolCallDeltaLike> | null;
}

export interface ToolCallDeltaLike {
  index?: number | null;
  id?: string | null;
  function?: { name?: string | null; arguments?: string | null } | null;
}

/** The parts of a non-streamed completion this reads (the SDK's ChatCompletion fits it). */
export interface CompletionLike {
  choices?: ReadonlyArray<{ message?: MessageLike | null; finish_reason?: string | null } | undefined> | null;
  usage?: Usage | null;
}

export interface MessageLike {
  content?: string | null;
  reasoning_content?: string | null;
  reasoning?: string | null;
  tool_calls?: ReadonlyArray<{
    id?: string | null;
    function?: { name?: string | null; arguments?: string | null } | null;
  }> | null;
}

export interface Usage {
  prompt_tokens?: number;
  completion_tokens?: number;
  total_tokens?: number;
}

export interface AssembledCall {
  id: string;
  name: string;
  /** As received; '{}' when the model sent none. */
  arguments: string;
}

export interface AssembledCompletion {
  /** The answer, without any thinking. */
  text: string;
  /** What the model thought aloud (reasoning fields and `<think>` blocks); never the reply. */
  reasoning: string;
  calls: AssembledCall[];
  finishReason: string | null;
  usage: Usage | null;
}

const OPEN = '<think>';
const CLOSE = '</think>';

interface Slot extends AssembledCall {
  /** Whether `id` came from the server (a generated one may be replaced). */
  serverId: boolean;
}

export class StreamAssembler {
  private text = '';
  private reasoning = '';
  private readonly calls: Slot[] = [];
  private readonly byIndex = new Map<number, Slot>();
  private finishReason: string | null = null;
  private usage: Usage | null = null;
  /** Inside a `<think>` block of the content. */
  private thinking = false;
  /** The end of the content that may be the start of a tag, held until the next piece decides. */
  private held = '';

  /**
   * Takes one chunk; returns the answer text it adds (to stream on), '' when none. Thinking never
   * comes back from here.
   */
  push(chunk: ChunkLike): string {
    if (chunk.usage) this.usage = chunk.usage;
    const choice = chunk.choices?.[0];
    if (!choice) return '';
    if (choice.finish_reason) this.finishReason = choice.finish_reason;
    const delta = choice.delta;
    if (!delta) return '';
    const thought = delta.reasoning_content ?? delta.reasoning;
    if (thought) this.reasoning += thought;
    if (delta.tool_calls) for (let i = 0; i < delta.tool_calls.length; i++) this.addCall(delta.tool_calls[i], i);
    return delta.content ? this.content(delta.content) : '';
  }

  /** Ends the stream: returns what a held partial tag turned out to be (answer text, or ''). */
  flush(): string {
    const rest = this.held;
    this.held = '';
    if (this.thinking) {
      // An unclosed <think>: what followed it was thinking, not an answer.
      this.reasoning += rest;
      return '';
    }
    this.text += rest;
    return rest;
  }

  result(): AssembledCompletion {
    this.flush();
    const calls: AssembledCall[] = this.calls.map((c) => ({
      id: c.id,
      name: c.name,
      arguments: c.arguments.trim() ? c.arguments : '{}',
    }));
    return { text: this.text, reasoning: this.reasoning, calls, finishReason: this.finishReason, usage: this.usage };
  }

  /** A non-streamed completion, through the same rules (thinking tags, missing ids). */
  static fromCompletion(res: CompletionLike): AssembledCompletion {
    const a = new StreamAssembler();
    const choice = res.choices?.[0];
    const msg = choice?.message;
    if (msg) {
      a.push({
        choices: [
          {
            delta: {
              content: msg.content,
              reasoning_content: msg.reasoning_content ?? msg.reasoning,
              tool_calls: msg.tool_calls?.map((c, index) => ({ index, id: c.id, function: c.function })),
            },
            finish_reason: choice.finish_reason,
          },
        ],
        usage: res.usage,
      });
    } else if (res.usage) a.usage = res.usage;
    return a.result();
  }

  private content(piece: string): string {
    // Fast path: no tag can start or continue here.
    if (!this.thinking && !this.held && piece.indexOf('<') < 0) {
      this.text += piece;
      return piece;
    }
    let rest = this.held + piece;
    this.held = '';
    let out = '';
    for (;;) {
      const tag = this.thinking ? CLOSE : OPEN;
      const at = rest.indexOf(tag);
      if (at >= 0) {
        if (this.thinking) this.reasoning += rest.slice(0, at);
        else out += rest.slice(0, at);
        rest = rest.slice(at + tag.length);
        this.thinking = !this.thinking;
        continue;
      }
      const keep = partialTagAtEnd(rest, tag);
      const settled = rest.slice(0, rest.length - keep);
      if (this.thinking) this.reasoning += settled;
      else out += settled;
      this.held = rest.slice(rest.length - keep);
      break;
    }
    // "<think>…</think>\n\nAnswer": the answer starts after the blank lines.
    if (!this.text) out = out.trimStart();
    this.text += out;
    return out;
  }

  private addCall(tc: ToolCallDeltaLike, position: number): void {
    const slot = this.slotFor(tc, position);
    if (tc.id && !slot.serverId) {
      slot.id = tc.id;
      slot.serverId = true;
    }
    const name = tc.function?.name;
    if (name && name !== slot.name) {
      // A repeated name is not appended; a growing one replaces; a fragment is joined.
      slot.name = name.startsWith(slot.name) ? name : slot.name + name;
    }
    const args = tc.function?.arguments;
    if (args) slot.arguments += args;
  }

  /** Keyed by index, else by id, else by position (a new call when the last one is complete). */
  private slotFor(tc: ToolCallDeltaLike, position: number): Slot {
    if (typeof tc.index === 'number') {
      const known = this.byIndex.get(tc.index);
      // Some gateways give every parallel call index 0: a different server id after a complete call is a new one.
      if (known && !(tc.id && known.serverId && tc.id !== known.id && looksComplete(known.arguments))) return known;
      const slot = this.open();
      this.byIndex.set(tc.index, slot);
      return slot;
    }
    if (tc.id) {
      for (let i = this.calls.length - 1; i >= 0; i--) if (this.calls[i].id === tc.id) return this.calls[i];
      return this.open();
    }
    const last = this.calls[this.calls.length - 1];
    // Several entries in one delta are several calls; a named entry after a complete call starts another.
    if (!last || position > 0 || (tc.function?.name && looksComplete(last.arguments))) return this.open();
    return last;
  }

  private open(): Slot {
    const slot: Slot = { id: `call_${this.calls.length}`, name: '', arguments: '', serverId: false };
    this.calls.push(slot);
    return slot;
  }
}

/** Whether a call's arguments are a whole JSON value already (only asked on the rare unkeyed path). */
function looksComplete(args: string): boolean {
  const s = args.trim();
  if (!s || s[s.length - 1] !== '}') return false;
  try {
    JSON.parse(s);
    return true;
  } catch {
    return false;
  }
}

/** How many characters at the end of `s` could begin `tag` (so they wait for the next piece). */
function partialTagAtEnd(s: string, tag: string): number {
  const from = Math.max(0, s.length - tag.length + 1);
  for (let i = from; i < s.length; i++) {
    if (s.charCodeAt(i) === 60 /* < */ && tag.startsWith(s.slice(i))) return s.length - i;
  }
  return 0;
}

/** Calls whose arguments are not valid JSON (the model gets one chance to send them again). */
export function invalidArgumentCalls(calls: readonly AssembledCall[]): AssembledCall[] {
  return calls.filter((c) => {
    try {
      JSON.parse(c.arguments);
      return false;
    } catch {
      return true;
    }
  });
}
