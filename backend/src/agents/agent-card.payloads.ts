import type { AgentCard, AgentCommandCard } from '@echocenter/contracts';
import { PayloadReader } from '../gateway/payload-reader';

const MAX_COMMANDS = 100;
// An argument schema is shown in the console and stored with the card: a few KB describe any real tool.
const MAX_SCHEMA_CHARS = 8000;

/** One entry of `commands`, its problems collected into the outer reader as `commands[i].<field>`. */
function parseCommand(r: PayloadReader, item: unknown, i: number): AgentCommandCard | null {
  let c: PayloadReader;
  try {
    c = PayloadReader.of(item, `commands[${i}].`);
  } catch {
    r.fail(`commands[${i}]`, 'must be an object');
    return null;
  }
  const cmd: AgentCommandCard = {
    name: c.str('name', { max: 64, pattern: /^[A-Za-z0-9_.:-]+$/, patternMessage: 'must be letters, digits, _ . : -' }),
  };
  const description = c.optStr('description', { min: 0, max: 1000 });
  const args = c.optStr('args', { min: 0, max: 200 });
  const readOnly = c.optBool('readOnly');
  const destructive = c.optBool('destructive');
  const schema = c.raw('argsSchema');
  if (description !== undefined) cmd.description = description;
  if (args !== undefined) cmd.args = args;
  if (readOnly !== undefined) cmd.readOnly = readOnly;
  if (destructive !== undefined) cmd.destructive = destructive;
  if (schema !== undefined) {
    if (typeof schema !== 'object' || schema === null || Array.isArray(schema))
      c.fail('argsSchema', 'must be a JSON Schema object');
    else if (JSON.stringify(schema).length > MAX_SCHEMA_CHARS)
      c.fail('argsSchema', `must be at most ${MAX_SCHEMA_CHARS} characters as JSON`);
    else cmd.argsSchema = schema as Record<string, unknown>;
  }
  r.errors.push(...c.errors);
  return cmd;
}

/** `agent:hello`: the card an agent claims (the hub rules its policies afterwards). */
export function parseAgentCard(payload: unknown): AgentCard {
  const r = PayloadReader.of(payload);
  const description = r.optStr('description', { min: 0, max: 2000 });
  const version = r.optStr('version', { max: 64 });
  const list = r.raw('commands');
  const commands: AgentCommandCard[] = [];
  if (!Array.isArray(list)) r.fail('commands', 'must be an array');
  else if (list.length > MAX_COMMANDS) r.fail('commands', `must have at most ${MAX_COMMANDS} entries`);
  else {
    list.forEach((item: unknown, i) => {
      const cmd = parseCommand(r, item, i);
      if (cmd) commands.push(cmd);
    });
    const seen = new Set<string>();
    list.forEach((item: { name?: unknown } | null, i) => {
      const name = typeof item?.name === 'string' ? item.name : null;
      if (name !== null && seen.has(name)) r.fail(`commands[${i}].name`, 'is a duplicate');
      if (name !== null) seen.add(name);
    });
  }
  r.done();
  return { ...(description !== undefined && { description }), ...(version !== undefined && { version }), commands };
}
